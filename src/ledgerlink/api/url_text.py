"""The text a request carries in its URL (path and query string) is checked like a body's."""

from fastapi import Request

from ledgerlink.api.problems import field_error
from ledgerlink.domain.limits import TEXT_MAX_LENGTH, text_problem


def check_url_text(request: Request) -> None:
    """Refuse NUL characters, text UTF-8 cannot encode and overlong values in the URL."""
    params = [*request.path_params.items(), *request.query_params.multi_items()]
    for name, value in params:
        if not isinstance(value, str):
            continue
        problem = text_problem(value) or text_problem(name)
        if problem is None and len(value) > TEXT_MAX_LENGTH:
            problem = f"at most {TEXT_MAX_LENGTH} characters, got {len(value)}"
        if problem is not None:
            raise field_error(422, ascii(name)[1:-1], problem)
