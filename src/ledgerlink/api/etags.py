"""Versions as entity tags: `ETag` on answers, `If-Match` to refuse stale changes (412)."""

from typing import Annotated, Any

from fastapi import Header, Response

from ledgerlink.api.problems import Problem

IF_MATCH_HELP = (
    'Optional. The `ETag` of the record as last read (e.g. `"3"`, its version). When it '
    "is sent and the record has changed since, nothing is changed and the answer is "
    "412 Precondition Failed: read the record again and reapply the change. Without it "
    "the change is applied to whatever version is stored."
)

_ETAG_HEADER = {
    "ETag": {
        "description": "The record's version as an entity tag; send it back as `If-Match`.",
        "schema": {"type": "string", "example": '"3"'},
    }
}


def tagged(status: int = 200, *, stale: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses`: the `ETag` header of the answer and, if `stale`, the 412."""
    responses: dict[int | str, dict[str, Any]] = {status: {"headers": _ETAG_HEADER}}
    if stale:
        responses[412] = {"description": "`If-Match` names a version that is not the stored one"}
    return responses


IfMatch = Annotated[str | None, Header(alias="If-Match", description=IF_MATCH_HELP)]


def etag(version: int) -> str:
    """The entity tag of a record at `version`."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def check_if_match(if_match: str | None, what: str, version: int) -> None:
    """Refuse with 412 unless `if_match` is absent, `*` or names `version`.

    A weak tag (`W/"3"`) is taken as its version too.
    """
    if if_match is None:
        return
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if "*" in tags or etag(version) in tags:
        return
    raise Problem(
        412,
        "Precondition Failed",
        f"{what} is at version {version} ({etag(version)}), not {if_match.strip()}; "
        "someone changed it since you read it: read it again and reapply your change",
        [{"field": "If-Match", "message": f"the current ETag is {etag(version)}"}],
    )
