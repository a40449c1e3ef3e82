"""Invoice lists: the 100 cap, paging, filters, where, order and If-Modified-Since."""

from xero_sandbox.accounting import Ledger

from .builders import bill, sale
from .conftest import START, Clock, XeroApi


async def test_unpaged_gets_return_at_most_100_invoices(api: XeroApi, ledger: Ledger) -> None:
    ledger.seed_bulk(START, contacts=5, bills=150)
    unpaged = (await api.get("/Invoices")).json()
    assert len(unpaged["Invoices"]) == 100
    page = (await api.get("/Invoices", params={"page": 2, "pageSize": 100})).json()
    total = len(ledger.invoices)
    assert page["pagination"]["itemCount"] == total
    assert len(page["Invoices"]) == total - 100


async def test_filters_by_status_number_contact_and_where(api: XeroApi, ledger: Ledger) -> None:
    drafted = (await api.put("/Invoices", bill(Status="DRAFT"))).json()["Invoices"][0]
    sold = (await api.put("/Invoices", sale(InvoiceNumber="S-77"))).json()["Invoices"][0]
    by_status = await api.get("/Invoices", params={"Statuses": "DRAFT"})
    assert drafted["InvoiceID"] in {i["InvoiceID"] for i in by_status.json()["Invoices"]}
    assert all(i["Status"] == "DRAFT" for i in by_status.json()["Invoices"])
    by_number = await api.get("/Invoices", params={"InvoiceNumbers": "S-77,NOPE"})
    assert [i["InvoiceID"] for i in by_number.json()["Invoices"]] == [sold["InvoiceID"]]
    by_contact = await api.get(
        "/Invoices", params={"ContactIDs": sold["Contact"]["ContactID"].upper()}
    )
    assert {i["InvoiceID"] for i in by_contact.json()["Invoices"]} >= {sold["InvoiceID"]}
    where = await api.get(
        "/Invoices",
        params={
            "where": f'Type=="ACCREC" AND Contact.ContactID==Guid("{sold["Contact"]["ContactID"]}")'
        },
    )
    assert sold["InvoiceID"] in [i["InvoiceID"] for i in where.json()["Invoices"]]
    by_ids = await api.get("/Invoices", params={"IDs": drafted["InvoiceID"]})
    assert [i["InvoiceID"] for i in by_ids.json()["Invoices"]] == [drafted["InvoiceID"]]


async def test_where_on_amounts_and_dates_and_order(api: XeroApi) -> None:
    await api.put("/Invoices", {"Invoices": [bill(Date="2026-01-15"), bill(Date="2026-02-15")]})
    late = await api.get(
        "/Invoices",
        params={"where": "Date >= DateTime(2026, 02, 01) AND Total > 100", "order": "Date DESC"},
    )
    dates = [i["DateString"] for i in late.json()["Invoices"]]
    assert "2026-01-15T00:00:00" not in dates and dates == sorted(dates, reverse=True)


async def test_if_modified_since_sees_new_and_changed_invoices(api: XeroApi, clock: Clock) -> None:
    first = (await api.put("/Invoices", bill(Status="DRAFT"))).json()["Invoices"][0]
    clock.advance(10)
    mark = clock.now.strftime("%Y-%m-%dT%H:%M:%S")
    clock.advance(1)
    second = (await api.put("/Invoices", bill())).json()["Invoices"][0]
    await api.post(f"/Invoices/{first['InvoiceID']}", {"Status": "AUTHORISED"})
    changed = await api.get("/Invoices", headers={"If-Modified-Since": mark})
    assert {i["InvoiceID"] for i in changed.json()["Invoices"]} == {
        first["InvoiceID"],
        second["InvoiceID"],
    }


async def test_summary_only_leaves_out_lines(api: XeroApi) -> None:
    await api.put("/Invoices", bill())
    summary = await api.get("/Invoices", params={"summaryOnly": "true"})
    assert all("LineItems" not in i for i in summary.json()["Invoices"])


async def test_search_term_looks_in_number_and_reference(api: XeroApi) -> None:
    await api.put("/Invoices", {"Invoices": [sale(InvoiceNumber="ZX-9", Reference="Spring promo"),
                                             bill(Reference="PO-7781 spring stock")]})  # fmt: skip
    found = await api.get("/Invoices", params={"searchTerm": "SPRING"})
    assert len(found.json()["Invoices"]) == 2
    by_number = await api.get("/Invoices", params={"searchTerm": "zx-9"})
    assert [i["InvoiceNumber"] for i in by_number.json()["Invoices"]] == ["ZX-9"]


async def test_documents_show_their_contact_as_it_is_now(api: XeroApi, ledger: Ledger) -> None:
    created = (await api.put("/Invoices", bill("Net Connect"))).json()["Invoices"][0]
    await api.post("/Contacts", {"ContactNumber": "SUP-009", "Name": "NetConnect Fibre"})
    shown = (await api.get(f"/Invoices/{created['InvoiceID']}")).json()["Invoices"][0]
    assert shown["Contact"]["Name"] == "NetConnect Fibre"
