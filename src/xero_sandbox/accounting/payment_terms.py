"""Due dates from payment terms, when a document leaves `DueDate` out (as Xero fills it)."""

import calendar
from datetime import date, timedelta
from typing import Any


def _day_of(year: int, month: int, day: int) -> date:
    if month > 12:
        year, month = year + 1, month - 12
    last = calendar.monthrange(year, month)[1]
    return date(year, month, max(1, min(day, last)))


def due_date(issued: date, term: dict[str, Any] | None) -> date | None:
    """The due date a term gives a document issued on `issued`, if the term is complete."""
    if not term or "Day" not in term or "Type" not in term:
        return None
    day, kind = int(term["Day"]), term["Type"]
    if kind == "DAYSAFTERBILLDATE":
        return issued + timedelta(days=day)
    if kind == "DAYSAFTERBILLMONTH":
        month_end = _day_of(issued.year, issued.month, 31)
        return month_end + timedelta(days=day)
    if kind == "OFCURRENTMONTH":
        return _day_of(issued.year, issued.month, day)
    if kind == "OFFOLLOWINGMONTH":
        return _day_of(issued.year, issued.month + 1, day)
    return None
