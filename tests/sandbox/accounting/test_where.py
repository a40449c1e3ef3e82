"""The `where` language on records directly (the HTTP tests cover it end to end)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from xero_sandbox.accounting.context import BadRequest
from xero_sandbox.accounting.where import parse_where

RECORD: dict[str, Any] = {
    "Name": 'Smith "Bros" Ltd',
    "Status": "AUTHORISED",
    "Total": Decimal("115.00"),
    "Date": date(2026, 3, 1),
    "UpdatedDateUTC": datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    "IsSupplier": True,
    "EmailAddress": None,
    "Contact": {"ContactID": "a49967ae-36ff-5ca3-86bf-76e537b95e5e", "Name": "ABC"},
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('Status=="AUTHORISED"', True),
        ('Status!="AUTHORISED"', False),
        ('Status=="authorised"', False),
        ('Status.ToLower()=="authorised"', True),
        ('Name=="Smith \\"Bros\\" Ltd"', True),
        ("Total==115", True),
        ("Total>100 && Total<=115.00", True),
        ("Total<115", False),
        ("Date>=DateTime(2026,03,01)", True),
        ("Date>DateTime(2026, 3, 1)", False),
        ("UpdatedDateUTC>=DateTime(2026,03,02)", True),
        ("IsSupplier", True),
        ("IsSupplier==false", False),
        ("EmailAddress==null", True),
        ('EmailAddress!=null AND EmailAddress.Contains("x")', False),
        ('Contact.ContactID==Guid("A49967AE-36FF-5CA3-86BF-76E537B95E5E")', True),
        ('Contact.Name.StartsWith("AB") || Status=="DRAFT"', True),
        ('NOT (Status=="DRAFT" OR Status=="VOIDED")', True),
        ('!(Status=="AUTHORISED")', False),
        ('Name.EndsWith("Ltd") AND (Total==1 OR Total==115)', True),
        ('Missing=="x"', False),
    ],
    ids=lambda v: v if isinstance(v, str) else str(v),
)
def test_expressions(expression: str, expected: bool) -> None:
    assert parse_where(expression)(RECORD) is expected


@pytest.mark.parametrize(
    "expression",
    ['Status=="A', "Status==", '(Status=="A"', 'Status=="A" AND', "Total @ 5", "DateTime(2026)"],
    ids=["open-string", "no-right-side", "open-paren", "dangling-and", "bad-char", "short-date"],
)
def test_malformed_expressions_say_where(expression: str) -> None:
    with pytest.raises(BadRequest, match="where"):
        parse_where(expression)
