"""Invoice validation with Xero's messages, status transitions, lists and filters."""

from datetime import date
from typing import Any

import pytest

from xero_sandbox.accounting import Ledger

from .builders import bill, line, sale
from .conftest import Clock, XeroApi


def _messages(response: Any) -> list[str]:
    return [m["Message"] for m in response.json()["Elements"][0]["ValidationErrors"]]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (bill("Old Harbour Traders"),
         "The contact with the specified contact details has been archived. The contact must be "
         "un-archived before creating new invoices or credit notes."),
        (bill("ABC Furniture", line(account="999")),
         "Account code '999' is not a valid code for this document."),
        (bill("ABC Furniture", line(account="455")),
         "Account code '455' has been archived, or has been deleted. Each line item must "
         "reference a valid account."),
        (bill("ABC Furniture", line(account="090", tax="NONE")),
         "Account code '090' is not a valid code for this document."),
        (bill("ABC Furniture", line(account="800", tax="NONE")),
         "Account code '800' is not a valid code for this document."),
        (bill("ABC Furniture", line(account="400", tax="OUTPUT2")),
         "The TaxType code 'OUTPUT2' cannot be used with account code '400'."),
        (sale("Boom FM", line(account="200", tax="INPUT2")),
         "The TaxType code 'INPUT2' cannot be used with account code '200'."),
        (bill("ABC Furniture", line(tax="GST15")),
         "The TaxType code GST15 does not exist or cannot be used for this type of transaction."),
        (bill("ABC Furniture", line(tax="TAX002")),
         "The TaxType code TAX002 does not exist or cannot be used for this type of transaction."),
        (bill(CurrencyCode="JPY"), "Organisation is not subscribed to currency JPY"),
        (bill("ABC Furniture", line(DiscountRate=10)),
         "DiscountRate can only be used on sales invoices (ACCREC); remove it from this document"),
        (bill(Status="PAID"), "Invoice not of valid status for creation"),
        (bill("ABC Furniture", line(Tracking=[{"Name": "Project (2019)", "Option": "Launch"}])),
         "Tracking category 'Project (2019)' does not exist or is archived; use an active "
         "category from GET /TrackingCategories"),
        (bill("ABC Furniture", line(Tracking=[{"Name": "Region", "Option": "West Coast"}])),
         "Tracking option 'West Coast' is not an active option of 'Region'"),
        (bill(Date="01/03/2026"),
         "Date '01/03/2026' is not a date: use YYYY-MM-DD, e.g. 2024-01-31"),
        (bill("ABC Furniture", line(quantity=-1)),
         "The quantity value '-1.0000' is invalid. Quantity must not be less than zero."),
        (bill("ABC Furniture", line(quantity="two")),
         "Quantity must be a number such as 12.50; got 'two'"),
        (bill(Contact={"ContactID": "00000000-0000-0000-0000-00000000abcd"}),
         "Contact with ContactID 00000000-0000-0000-0000-00000000abcd could not be found"),
        (bill("ABC Furniture", line(account="", tax="NONE")),
         "Account code or ID must be specified."),
    ],
    ids=["archived-contact", "unknown-account", "archived-account", "bank-account",
         "control-account", "tax-not-for-expense", "tax-not-for-revenue", "unknown-tax",
         "archived-tax", "currency", "discount-on-bill", "create-as-paid",
         "archived-tracking", "archived-option", "bad-date", "negative-quantity", "bad-quantity",
         "unknown-contact-id", "no-account"],
)  # fmt: skip
async def test_invalid_invoices_are_refused_and_nothing_is_created(
    api: XeroApi, ledger: Ledger, body: dict[str, Any], message: str
) -> None:
    before = len(ledger.invoices)
    response = await api.put("/Invoices", {"Invoices": [{k: v for k, v in body.items()
                                                          if v is not None}]})  # fmt: skip
    assert response.status_code == 400
    error = response.json()
    assert (error["ErrorNumber"], error["Type"], error["Message"]) == (
        10, "ValidationException", "A validation exception occurred")  # fmt: skip
    assert message in _messages(response)
    assert len(ledger.invoices) == before


@pytest.mark.parametrize(
    ("lock_field", "message"),
    [
        ("EndOfYearLockDate",
         "The document date cannot be before the end of year lock date, currently set at "
         "28-Feb-2026"),
        ("PeriodLockDate",
         "The document date cannot be before the period lock date, currently set at 28-Feb-2026"),
    ],
    ids=["year-end", "period"],
)  # fmt: skip
async def test_nothing_posted_on_or_before_the_lock_date(
    api: XeroApi, ledger: Ledger, lock_field: str, message: str
) -> None:
    ledger.organisation[lock_field] = date(2026, 2, 28)
    on_lock = await api.put("/Invoices", bill(Date="2026-02-28"))
    assert _messages(on_lock) == [message]
    after = await api.put("/Invoices", bill(Date="2026-03-01"))
    assert after.status_code == 200


async def test_drafts_may_sit_in_a_locked_period_but_not_be_approved(
    api: XeroApi, ledger: Ledger
) -> None:
    ledger.organisation["PeriodLockDate"] = date(2026, 2, 28)
    draft = await api.put("/Invoices", bill(Date="2026-02-10", Status="DRAFT"))
    assert draft.status_code == 200
    waiting = await api.put("/Invoices", bill(Date="2026-02-10", Status="SUBMITTED"))
    assert waiting.status_code == 200
    invoice_id = draft.json()["Invoices"][0]["InvoiceID"]
    approve = await api.post(f"/Invoices/{invoice_id}", {"Status": "AUTHORISED"})
    assert "period lock date" in _messages(approve)[0]
    moved = await api.post(
        f"/Invoices/{invoice_id}", {"Status": "AUTHORISED", "Date": "2026-03-01"}
    )
    assert moved.json()["Invoices"][0]["Status"] == "AUTHORISED"


async def test_both_lock_dates_are_named_when_both_apply(api: XeroApi, ledger: Ledger) -> None:
    ledger.organisation["PeriodLockDate"] = date(2026, 1, 31)
    ledger.organisation["EndOfYearLockDate"] = date(2025, 3, 31)
    response = await api.put("/Invoices", bill(Date="2025-03-15"))
    assert _messages(response) == [
        "The document date cannot be before the period lock date, currently set at 31-Jan-2026",
        "The document date cannot be before the end of year lock date, currently set at "
        "31-Mar-2025",
    ]


async def test_payments_in_a_locked_period_are_refused(api: XeroApi, ledger: Ledger) -> None:
    created = (await api.put("/Invoices", bill())).json()["Invoices"][0]
    ledger.organisation["PeriodLockDate"] = date(2026, 3, 1)
    response = await api.put(
        "/Payments",
        {"Invoice": {"InvoiceID": created["InvoiceID"]}, "Account": {"Code": "090"},
         "Date": "2026-03-01", "Amount": 10},
    )  # fmt: skip
    assert "period lock date" in response.text


async def test_purchase_orders_ignore_lock_dates(api: XeroApi, ledger: Ledger) -> None:
    ledger.organisation["PeriodLockDate"] = date(2026, 3, 1)
    order = {"Contact": {"Name": "ABC Furniture"}, "Date": "2026-02-01", "Status": "AUTHORISED",
             "LineItems": [line("10.00")]}  # fmt: skip
    assert (await api.put("/PurchaseOrders", order)).status_code == 200


async def test_an_unknown_contact_name_creates_the_contact(api: XeroApi, ledger: Ledger) -> None:
    response = await api.put("/Invoices", bill("Brand New Supplier Ltd"))
    assert response.status_code == 200
    contact = ledger.contact_named("Brand New Supplier Ltd")
    assert contact is not None and contact["IsSupplier"] is True
    assert response.json()["Invoices"][0]["Contact"]["ContactID"] == contact["ContactID"]


async def test_contact_by_contact_number(api: XeroApi) -> None:
    response = await api.put("/Invoices", bill(Contact={"ContactNumber": "SUP-005"}))
    assert response.json()["Invoices"][0]["Contact"]["Name"] == "PowerDirect"


async def test_sales_invoice_numbers_are_generated_and_unique(api: XeroApi) -> None:
    first = (await api.put("/Invoices", sale())).json()["Invoices"][0]
    assert first["InvoiceNumber"].startswith("INV-")
    taken = await api.put("/Invoices", sale(InvoiceNumber=first["InvoiceNumber"]))
    assert "Invoice # must be unique." in _messages(taken)
    same_batch = await api.put(
        "/Invoices", {"Invoices": [sale(InvoiceNumber="X-1"), sale(InvoiceNumber="X-1")]}
    )
    assert same_batch.status_code == 400
    bills = await api.put("/Invoices", {"Invoices": [bill(InvoiceNumber="S-1"),
                                                     bill(InvoiceNumber="S-1")]})  # fmt: skip
    assert bills.status_code == 200, "bill numbers are the supplier's and need not be unique"


async def test_summarize_errors_false_creates_the_good_invoices(
    api: XeroApi, ledger: Ledger
) -> None:
    before = len(ledger.invoices)
    response = await api.put(
        "/Invoices",
        {"Invoices": [bill(), bill(CurrencyCode="JPY"), sale()]},
        params={"summarizeErrors": "false"},
    )
    assert response.status_code == 200
    results = response.json()["Invoices"]
    assert [r["StatusAttributeString"] for r in results] == ["OK", "ERROR", "OK"]
    assert results[1]["ValidationErrors"] == [
        {"Message": "Organisation is not subscribed to currency JPY"}
    ]
    assert (results[0]["HasErrors"], results[1]["HasErrors"]) == (False, True)
    assert len(ledger.invoices) == before + 2


async def test_one_bad_element_fails_the_whole_batch_by_default(
    api: XeroApi, ledger: Ledger
) -> None:
    before = len(ledger.invoices)
    response = await api.put("/Invoices", {"Invoices": [bill(), bill(CurrencyCode="JPY")]})
    assert response.status_code == 400
    assert len(response.json()["Elements"]) == 1
    assert len(ledger.invoices) == before


async def _status_path(api: XeroApi, path: list[str]) -> Any:
    created = (await api.put("/Invoices", bill(Status=path[0]))).json()["Invoices"][0]
    response = None
    for status in path[1:]:
        response = await api.post(f"/Invoices/{created['InvoiceID']}", {"Status": status})
    return response


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["DRAFT", "SUBMITTED"], True),
        (["DRAFT", "AUTHORISED"], True),
        (["DRAFT", "DELETED"], True),
        (["SUBMITTED", "DRAFT"], True),
        (["SUBMITTED", "DELETED"], True),
        (["SUBMITTED", "AUTHORISED"], True),
        (["AUTHORISED", "VOIDED"], True),
        (["AUTHORISED", "DELETED"], False),
        (["AUTHORISED", "DRAFT"], False),
        (["AUTHORISED", "SUBMITTED"], False),
        (["AUTHORISED", "VOIDED", "AUTHORISED"], False),
        (["DRAFT", "DELETED", "DRAFT"], False),
        (["DRAFT", "VOIDED"], False),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, list) else str(v),
)
async def test_status_transitions(api: XeroApi, path: list[str], allowed: bool) -> None:
    response = await _status_path(api, path)
    if allowed:
        assert response.status_code == 200
        assert response.json()["Invoices"][0]["Status"] == path[-1]
    else:
        assert response.status_code == 400
        assert _messages(response) == ["Invoice not of valid status for modification"]


async def test_voided_and_deleted_invoices_owe_nothing(api: XeroApi) -> None:
    voided = await _status_path(api, ["AUTHORISED", "VOIDED"])
    assert voided.json()["Invoices"][0]["AmountDue"] == 0


async def test_editing_a_draft_recomputes_totals_and_emits_update(
    api: XeroApi, ledger: Ledger, clock: Clock
) -> None:
    created = (await api.put("/Invoices", bill(Status="DRAFT"))).json()["Invoices"][0]
    ledger.drain_events()
    clock.advance(5)
    edited = await api.post(
        "/Invoices", {"InvoiceID": created["InvoiceID"], "LineItems": [line("200.00", 2)]}
    )
    invoice = edited.json()["Invoices"][0]
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (400, 60, 460)
    events = ledger.drain_events()
    assert [(e.category, e.type, e.resource_id) for e in events] == [
        ("INVOICE", "UPDATE", created["InvoiceID"])
    ]


async def test_get_by_id_and_by_invoice_number(api: XeroApi) -> None:
    created = (await api.put("/Invoices", sale())).json()["Invoices"][0]
    by_id = await api.get(f"/Invoices/{created['InvoiceID']}")
    by_number = await api.get(f"/Invoices/{created['InvoiceNumber']}")
    assert by_id.json()["Invoices"][0] == by_number.json()["Invoices"][0]
    assert (await api.get("/Invoices/INV-9999")).status_code == 404


async def test_renumbering_moves_lookups_and_uniqueness(api: XeroApi) -> None:
    created = (await api.put("/Invoices", sale(InvoiceNumber="OLD-1", Status="DRAFT"))).json()
    invoice_id = created["Invoices"][0]["InvoiceID"]
    await api.post(f"/Invoices/{invoice_id}", {"InvoiceNumber": "NEW-1"})
    assert (await api.get("/Invoices/NEW-1")).json()["Invoices"][0]["InvoiceID"] == invoice_id
    assert (await api.get("/Invoices/OLD-1")).status_code == 404
    reuse_old = await api.put("/Invoices", sale(InvoiceNumber="OLD-1"))
    assert reuse_old.status_code == 200
    reuse_new = await api.put("/Invoices", sale(InvoiceNumber="NEW-1"))
    assert "Invoice # must be unique." in _messages(reuse_new)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'{"Invoices": [1, 2]}', b""],
    ids=["not-json", "empty-list", "not-objects", "empty"],
)
async def test_unreadable_bodies_are_a_clear_400(api: XeroApi, body: bytes) -> None:
    response = await api.call("PUT", "/Invoices", content=body)
    assert response.status_code == 400
    error = response.json()
    assert error["Type"] == "PostDataInvalidException" and "body" in error["Message"]


async def test_a_contact_made_from_a_name_sends_its_own_create_event(
    api: XeroApi, ledger: Ledger
) -> None:
    ledger.drain_events()
    created = (await api.put("/Invoices", bill("Fresh Supplier Ltd"))).json()["Invoices"][0]
    events = [(e.category, e.type, e.resource_id) for e in ledger.drain_events()]
    assert events == [
        ("CONTACT", "CREATE", created["Contact"]["ContactID"]),
        ("INVOICE", "CREATE", created["InvoiceID"]),
    ]


async def test_approving_a_draft_checks_it_again(api: XeroApi, ledger: Ledger) -> None:
    loose = bill("Swanston Security", {"Description": "Guarding", "Quantity": 1,
                                       "UnitAmount": 80}, Status="DRAFT")  # fmt: skip
    draft = (await api.put("/Invoices", loose)).json()["Invoices"][0]
    no_account = await api.post(f"/Invoices/{draft['InvoiceID']}", {"Status": "AUTHORISED"})
    assert "Account code or ID must be specified." in _messages(no_account)
    await api.post(f"/Invoices/{draft['InvoiceID']}", {"LineItems": [line("80.00", account="429")]})
    contact = ledger.contact_named("Swanston Security")
    assert contact is not None
    await api.post(f"/Contacts/{contact['ContactID']}", {"ContactStatus": "ARCHIVED"})
    archived = await api.post(f"/Invoices/{draft['InvoiceID']}", {"Status": "AUTHORISED"})
    assert any("has been archived" in m for m in _messages(archived))
    await api.post(f"/Contacts/{contact['ContactID']}", {"ContactStatus": "ACTIVE"})
    approved = await api.post(f"/Invoices/{draft['InvoiceID']}", {"Status": "AUTHORISED"})
    assert approved.json()["Invoices"][0]["Status"] == "AUTHORISED"
