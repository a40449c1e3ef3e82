"""Lists as Xero serves them: `where`, `order`, `If-Modified-Since`, `IDs`, paging."""

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

from starlette.requests import Request

from xero_sandbox.accounting.context import BadRequest, query_param
from xero_sandbox.accounting.ledger import Record
from xero_sandbox.accounting.where import parse_where

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def modified_since(request: Request) -> datetime | None:
    """The `If-Modified-Since` header as an aware UTC datetime (second precision)."""
    header = request.headers.get("if-modified-since")
    if not header:
        return None
    text = header.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError) as error:
            raise BadRequest(
                f"If-Modified-Since {header!r} is not a date: use e.g. "
                "'2024-01-31T12:00:00' or 'Wed, 31 Jan 2024 12:00:00 GMT'"
            ) from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0)


def split_list(text: str | None) -> list[str]:
    """A comma-separated query parameter (`IDs`, `Statuses`, ...) as a list."""
    if not text:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, Decimal | int | float):
        return (1, Decimal(str(value)))
    if isinstance(value, datetime):
        return (2, value.timestamp())
    if isinstance(value, date):
        return (2, datetime.combine(value, datetime.min.time(), UTC).timestamp())
    return (3, str(value).lower())


def apply_order(records: list[Record], order: str | None) -> list[Record]:
    """Sort by `Field [ASC|DESC], Other [ASC|DESC]`."""
    if not order:
        return records
    for clause in reversed([part.strip() for part in order.split(",") if part.strip()]):
        words = clause.split()
        field = words[0]
        direction = words[1].upper() if len(words) > 1 else "ASC"
        if direction not in ("ASC", "DESC") or len(words) > 2:
            raise BadRequest(f"order: {clause!r} should be 'Field ASC' or 'Field DESC'")
        path = field.split(".")

        def key(record: Record, path: list[str] = path) -> tuple[int, Any]:
            value: Any = record
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            return _sort_key(value)

        records = sorted(records, key=key, reverse=direction == "DESC")
    return records


def filter_common(request: Request, records: Iterable[Record], id_field: str) -> list[Record]:
    """Apply `IDs`, `If-Modified-Since`, `where` and `order` to a table's records."""
    selected = list(records)
    ids = {value.lower() for value in split_list(query_param(request, "IDs"))}
    if ids:
        selected = [record for record in selected if record[id_field].lower() in ids]
    since = modified_since(request)
    if since is not None:
        selected = [
            record
            for record in selected
            if record["UpdatedDateUTC"].replace(microsecond=0) >= since
        ]
    return where_and_order(request, selected)


def where_and_order(request: Request, records: list[Record]) -> list[Record]:
    """Apply `where` and `order`, for the lists that take no `IDs` or `If-Modified-Since`."""
    where = query_param(request, "where")
    if where:
        predicate = parse_where(where)
        records = [record for record in records if predicate(record)]
    return apply_order(records, query_param(request, "order"))


def page_number(request: Request) -> int | None:
    """The requested `page` (1-based), if any."""
    text = query_param(request, "page")
    if text is None or text == "":
        return None
    try:
        page = int(text)
    except ValueError as error:
        raise BadRequest(f"page must be a whole number from 1 up; got {text!r}") from error
    return max(page, 1)


def page_size(request: Request) -> int:
    """The requested `pageSize`, 1 to 1000 (default 100)."""
    text = query_param(request, "pageSize")
    if text is None or text == "":
        return DEFAULT_PAGE_SIZE
    try:
        size = int(text)
    except ValueError as error:
        raise BadRequest(f"pageSize must be a whole number from 1 to 1000; got {text!r}") from error
    return min(max(size, 1), MAX_PAGE_SIZE)


def paginate(records: list[Record], page: int, size: int) -> tuple[list[Record], dict[str, int]]:
    """One page of records and Xero's `pagination` object."""
    start = (page - 1) * size
    pagination = {
        "page": page,
        "pageSize": size,
        "pageCount": math.ceil(len(records) / size),
        "itemCount": len(records),
    }
    return records[start : start + size], pagination


def filtered_page(
    request: Request, records: Iterable[Record], id_field: str
) -> tuple[list[Record], dict[str, Any]]:
    """`filter_common`, then the requested page with Xero's `pagination` beside the records."""
    selected = filter_common(request, records, id_field)
    extra: dict[str, Any] = {}
    page = page_number(request)
    if page is not None:
        selected, extra["pagination"] = paginate(selected, page, page_size(request))
    return selected, extra
