"""The demo organisation's content, the empty one, bulk seeding and persistence."""

import json
from collections import Counter
from datetime import date

from xero_sandbox.accounting import Ledger

from .conftest import START, XeroApi


def test_demo_has_bills_and_invoices_in_every_status(ledger: Ledger) -> None:
    seen = Counter((i["Type"], i["Status"]) for i in ledger.invoices.values())
    for type_ in ("ACCPAY", "ACCREC"):
        for status in ("DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"):
            assert seen[(type_, status)] >= 1, (type_, status)
    assert seen[("ACCPAY", "DELETED")] == 1
    assert ledger.payments and ledger.credit_notes and ledger.purchase_orders
    assert ledger.overpayments
    assert ledger.drain_events() == [], "seeding sends no webhooks"
    assert ledger.lock_date is None


def test_demo_documents_are_consistent(ledger: Ledger) -> None:
    for invoice in ledger.invoices.values():
        if invoice["Status"] in ("VOIDED", "DELETED"):
            continue
        owed = invoice["Total"] - invoice["AmountPaid"] - invoice["AmountCredited"]
        assert invoice["AmountDue"] == owed
        assert (invoice["Status"] == "PAID") == (owed == 0)


async def test_a_partly_paid_demo_bill_shows_its_payment(api: XeroApi) -> None:
    rent = (await api.get("/Invoices", params={"InvoiceNumbers": "RENT-03"})).json()["Invoices"]
    assert (rent[0]["AmountPaid"], rent[0]["AmountDue"]) == (1000, 1300)


def test_persistence_round_trip_keeps_everything(ledger: Ledger) -> None:
    ledger.organisation["PeriodLockDate"] = date(2025, 12, 31)
    restored = Ledger.from_dict(json.loads(json.dumps(ledger.to_dict())))
    assert restored.to_dict() == ledger.to_dict()
    assert restored.lock_date == date(2025, 12, 31)
    assert restored.contact_named("boom fm") is not None
    assert (restored.tenant_id, restored.name, restored.short_code) == (
        ledger.tenant_id, ledger.name, ledger.short_code)  # fmt: skip


def test_seed_bulk_adds_what_it_reports(ledger: Ledger) -> None:
    before = (len(ledger.contacts), len(ledger.items), len(ledger.invoices))
    added = ledger.seed_bulk(START, contacts=1000, items=50, bills=200)
    assert added == {"contacts": 1000, "items": 50, "bills": 200}
    after = (len(ledger.contacts), len(ledger.items), len(ledger.invoices))
    assert after == (before[0] + 1000, before[1] + 50, before[2] + 200)
    again = ledger.seed_bulk(START, contacts=10)
    assert again["contacts"] == 10 and len(ledger.contacts) == after[0] + 10


async def test_bulk_bills_are_served_like_any_other(api: XeroApi, ledger: Ledger) -> None:
    ledger.seed_bulk(START, contacts=2, bills=3)
    bills = await api.get("/Invoices", params={"where": 'InvoiceNumber.StartsWith("BULK-BILL")'})
    assert len(bills.json()["Invoices"]) == 3


def test_empty_ledger_is_bare() -> None:
    empty = Ledger.empty("Bare Ltd", START, tenant_id="11111111-2222-3333-4444-555555555555")
    assert empty.tenant_id == "11111111-2222-3333-4444-555555555555"
    assert empty.contacts == {} and empty.invoices == {} and empty.tracking_categories == {}
    assert set(empty.tax_rates) == {"INPUT2", "OUTPUT2", "NONE", "ZERORATED"}
