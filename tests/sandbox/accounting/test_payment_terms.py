"""Due dates: given, or worked out from the organisation's payment terms as Xero does."""

from datetime import date
from typing import Any

import pytest

from xero_sandbox.accounting import Ledger
from xero_sandbox.accounting.payment_terms import due_date

from .builders import bill, sale
from .conftest import XeroApi


@pytest.mark.parametrize(
    ("term", "issued", "expected"),
    [
        ({"Day": 14, "Type": "DAYSAFTERBILLDATE"}, date(2026, 3, 20), date(2026, 4, 3)),
        ({"Day": 10, "Type": "DAYSAFTERBILLMONTH"}, date(2026, 2, 5), date(2026, 3, 10)),
        ({"Day": 25, "Type": "OFCURRENTMONTH"}, date(2026, 3, 2), date(2026, 3, 25)),
        ({"Day": 31, "Type": "OFFOLLOWINGMONTH"}, date(2026, 1, 15), date(2026, 2, 28)),
        ({"Day": 20, "Type": "OFFOLLOWINGMONTH"}, date(2026, 12, 1), date(2027, 1, 20)),
        (None, date(2026, 3, 2), None),
    ],
    ids=["days-after-date", "days-after-month", "of-current-month", "following-month-clamped",
         "following-month-new-year", "no-term"],
)  # fmt: skip
def test_terms(term: dict[str, Any] | None, issued: date, expected: date | None) -> None:
    assert due_date(issued, term) == expected


async def test_missing_due_dates_follow_the_demo_terms(api: XeroApi) -> None:
    payable = (await api.put("/Invoices", bill(DueDate=None))).json()["Invoices"][0]
    receivable = (await api.put("/Invoices", sale(DueDate=None))).json()["Invoices"][0]
    assert payable["DueDateString"] == "2026-04-20T00:00:00"  # 20th of the following month
    assert receivable["DueDateString"] == "2026-03-15T00:00:00"  # 14 days after 1 March


async def test_without_terms_an_approved_invoice_needs_a_due_date(
    api: XeroApi, ledger: Ledger
) -> None:
    del ledger.organisation["PaymentTerms"]
    response = await api.put("/Invoices", bill(DueDate=None))
    assert response.status_code == 400
    assert "DueDate is required before an invoice is submitted or approved" in response.text
    draft = await api.put("/Invoices", bill(DueDate=None, Status="DRAFT"))
    assert draft.status_code == 200


async def test_a_contacts_own_terms_win(api: XeroApi) -> None:
    await api.post(
        "/Contacts",
        {
            "ContactNumber": "SUP-002",
            "PaymentTerms": {"Bills": {"Day": 7, "Type": "OFCURRENTMONTH"}},
        },
    )
    created = (await api.put("/Invoices", bill("Capital Cab Co", DueDate=None))).json()
    assert created["Invoices"][0]["DueDateString"] == "2026-03-07T00:00:00"
    bad_terms = {"Sales": {"Day": 40, "Type": "SOON"}}
    bad = await api.post("/Contacts", {"ContactNumber": "SUP-002", "PaymentTerms": bad_terms})
    assert bad.status_code == 400
    assert "PaymentTerms.Sales needs a Day from 0 to 31" in bad.text
