"""Contacts: paging, searching, filtering, creating and updating, archived ones, events."""

import pytest

from xero_sandbox.accounting import Event, Ledger

from .conftest import START, Clock, XeroApi


async def test_unpaged_get_lists_active_contacts_by_name(api: XeroApi) -> None:
    body = (await api.get("/Contacts")).json()
    names = [c["Name"] for c in body["Contacts"]]
    assert len(names) == 19 and names == sorted(names, key=str.lower)
    assert "Old Harbour Traders" not in names
    assert "pagination" not in body


async def test_include_archived_lists_the_archived_contact(api: XeroApi) -> None:
    body = (await api.get("/Contacts", params={"includeArchived": "true"})).json()
    archived = [c["Name"] for c in body["Contacts"] if c["ContactStatus"] == "ARCHIVED"]
    assert archived == ["Old Harbour Traders"]


async def test_pages_of_up_to_1000_with_a_pagination_object(api: XeroApi, ledger: Ledger) -> None:
    ledger.seed_bulk(START, contacts=2481)
    first = (await api.get("/Contacts", params={"page": 1, "pageSize": 1000})).json()
    assert first["pagination"] == {"page": 1, "pageSize": 1000, "pageCount": 3, "itemCount": 2500}
    assert len(first["Contacts"]) == 1000
    last = (await api.get("/Contacts", params={"page": 3, "pageSize": 5000})).json()
    assert last["pagination"]["pageSize"] == 1000
    assert len(last["Contacts"]) == 500
    beyond = (await api.get("/Contacts", params={"page": 4, "pageSize": 1000})).json()
    assert beyond["Contacts"] == []
    default = (await api.get("/Contacts", params={"page": 2})).json()
    assert default["pagination"]["pageSize"] == 100 and len(default["Contacts"]) == 100


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"searchTerm": "media"}, ["Rex Media Group"]),
        ({"searchTerm": "SUP-00"}, 9),
        ({"searchTerm": "harbour", "includeArchived": "true"}, ["Old Harbour Traders"]),
        ({"where": 'ContactNumber.StartsWith("CUS")'}, 9),
        ({"where": "IsSupplier==true AND IsCustomer==true"}, ["Office Supplies Direct"]),
        ({"where": 'Name=="Boom FM"'}, ["Boom FM"]),
    ],
    ids=["search-name", "search-number", "search-archived", "where-starts-with", "where-bools",
         "where-name"],
)  # fmt: skip
async def test_search_and_where(
    api: XeroApi, params: dict[str, str], expected: list[str] | int
) -> None:
    contacts = (await api.get("/Contacts", params=params)).json()["Contacts"]
    names = [c["Name"] for c in contacts]
    assert names == expected if isinstance(expected, list) else len(names) == expected


async def test_ids_filter_and_summary_only(api: XeroApi, ledger: Ledger) -> None:
    wanted = [c["ContactID"] for c in list(ledger.contacts.values())[:3]]
    response = await api.get("/Contacts", params={"IDs": ",".join(wanted), "summaryOnly": "true"})
    contacts = response.json()["Contacts"]
    assert sorted(c["ContactID"] for c in contacts) == sorted(wanted)
    assert all("Addresses" not in c and "Phones" not in c for c in contacts)


async def test_get_by_id_and_by_contact_number(api: XeroApi, ledger: Ledger) -> None:
    boom = ledger.contact_named("Boom FM")
    assert boom is not None
    by_id = (await api.get(f"/Contacts/{boom['ContactID']}")).json()["Contacts"][0]
    by_number = (await api.get("/Contacts/CUS-002")).json()["Contacts"][0]
    assert by_id["ContactID"] == by_number["ContactID"] == boom["ContactID"]
    assert (await api.get("/Contacts/NOPE-999")).status_code == 404


async def test_put_creates_and_emits_a_create_event(api: XeroApi, ledger: Ledger) -> None:
    ledger.drain_events()
    response = await api.put(
        "/Contacts",
        {"Contacts": [{"Name": "Kiwi Paper Mill", "ContactNumber": "SUP-100",
                       "EmailAddress": "ap@kiwipaper.example"}]},
    )  # fmt: skip
    created = response.json()["Contacts"][0]
    assert created["ContactStatus"] == "ACTIVE"
    assert created["UpdatedDateUTC"] == "/Date(1772443800000+0000)/"
    assert ledger.drain_events() == [Event("CONTACT", "CREATE", created["ContactID"], START)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"Name": "boom fm"},
         "The contact name boom fm is already assigned to another contact. The contact name "
         "must be unique across all active contacts."),
        ({"Name": "New One", "ContactNumber": "CUS-001"},
         "The contact number CUS-001 is already assigned to another contact. The contact "
         "number must be unique across all contacts."),
        ({"Name": "Far Away Ltd", "DefaultCurrency": "JPY"},
         "Organisation is not subscribed to currency JPY"),
        ({"EmailAddress": "x@example.com"}, "Name is required: every contact needs a unique name"),
        ({"Name": "Long", "ContactNumber": "N" * 51},
         "ContactNumber must not be more than 50 characters long (it is 51); shorten it"),
    ],
    ids=["duplicate-name", "duplicate-number", "currency", "no-name", "number-too-long"],
)  # fmt: skip
async def test_invalid_contacts_are_refused(
    api: XeroApi, body: dict[str, str], message: str
) -> None:
    response = await api.put("/Contacts", body)
    assert response.status_code == 400
    assert message in [m["Message"] for m in response.json()["Elements"][0]["ValidationErrors"]]


async def test_duplicate_names_within_one_batch_are_refused(api: XeroApi, ledger: Ledger) -> None:
    before = len(ledger.contacts)
    response = await api.put("/Contacts", {"Contacts": [{"Name": "Twin"}, {"Name": "TWIN"}]})
    assert response.status_code == 400
    assert len(ledger.contacts) == before


async def test_post_updates_by_id_and_by_number_and_archives(
    api: XeroApi, ledger: Ledger, clock: Clock
) -> None:
    boom = ledger.contact_named("Boom FM")
    assert boom is not None
    ledger.drain_events()
    clock.advance(60)
    renamed = await api.post("/Contacts", {"ContactID": boom["ContactID"], "Name": "Boom Radio"})
    assert renamed.json()["Contacts"][0]["Name"] == "Boom Radio"
    assert ledger.contact_named("Boom FM") is None
    await api.post("/Contacts", {"ContactNumber": "CUS-002", "EmailAddress": "new@boom.example"})
    archived = await api.post(f"/Contacts/{boom['ContactID']}", {"ContactStatus": "ARCHIVED"})
    contact = archived.json()["Contacts"][0]
    assert (contact["EmailAddress"], contact["ContactStatus"]) == ("new@boom.example", "ARCHIVED")
    assert [e.type for e in ledger.drain_events()] == ["UPDATE", "UPDATE", "UPDATE"]


async def test_post_without_id_creates_a_new_contact(api: XeroApi, ledger: Ledger) -> None:
    response = await api.post("/Contacts", {"Contacts": [{"Name": "Fresh Fruit Co"}]})
    assert response.status_code == 200
    assert ledger.contact_named("fresh fruit co") is not None


async def test_summarize_errors_false_creates_the_good_ones(api: XeroApi, ledger: Ledger) -> None:
    response = await api.put(
        "/Contacts",
        {"Contacts": [{"Name": "Good One"}, {"Name": "Boom FM"}, {"Name": "Good Two"}]},
        params={"summarizeErrors": "false"},
    )
    assert response.status_code == 200
    results = response.json()["Contacts"]
    assert [r["StatusAttributeString"] for r in results] == ["OK", "ERROR", "OK"]
    assert results[1]["ValidationErrors"][0]["Message"].startswith("The contact name Boom FM")
    assert ledger.contact_named("Good One") and ledger.contact_named("Good Two")


async def test_if_modified_since_returns_only_later_changes(
    api: XeroApi, ledger: Ledger, clock: Clock
) -> None:
    clock.advance(3600)
    await api.post("/Contacts", {"ContactNumber": "CUS-003", "EmailAddress": "x@limo.example"})
    changed = await api.get("/Contacts", headers={"If-Modified-Since": "2026-03-02T10:30:00"})
    assert [c["Name"] for c in changed.json()["Contacts"]] == ["City Limousines"]
    http_date = await api.get(
        "/Contacts", headers={"If-Modified-Since": "Mon, 02 Mar 2026 10:30:01 GMT"}
    )
    assert http_date.json()["Contacts"] == []


async def test_a_bad_if_modified_since_is_a_clear_400(api: XeroApi) -> None:
    response = await api.get("/Contacts", headers={"If-Modified-Since": "yesterday"})
    assert response.status_code == 400
    assert "If-Modified-Since" in response.json()["Message"]


async def test_a_single_contact_shows_its_balances(api: XeroApi, ledger: Ledger) -> None:
    rent = await api.get("/Contacts/SUP-008")
    balances = rent.json()["Contacts"][0]["Balances"]
    # The demo rent bill: 2,300.00 with 1,000.00 paid, due ten days after the seed date.
    assert balances["AccountsPayable"] == {"Outstanding": 1300.0, "Overdue": 0.0}
    assert balances["AccountsReceivable"] == {"Outstanding": 0.0, "Overdue": 0.0}


async def test_at_most_five_contact_persons(api: XeroApi) -> None:
    people = [{"FirstName": f"P{n}", "EmailAddress": f"p{n}@x.example"} for n in range(6)]
    response = await api.put("/Contacts", {"Name": "Crowded Ltd", "ContactPersons": people})
    assert "You can only have a maximum of 5 contact persons." in response.text
    fine = await api.put("/Contacts", {"Name": "Crowded Ltd", "ContactPersons": people[:5]})
    assert len(fine.json()["Contacts"][0]["ContactPersons"]) == 5


async def test_names_are_unique_among_active_contacts_only(api: XeroApi, ledger: Ledger) -> None:
    reused = await api.put("/Contacts", {"Name": "Old Harbour Traders"})
    assert reused.status_code == 200, "an archived contact's name may be used again"
    fresh_id = reused.json()["Contacts"][0]["ContactID"]
    active = ledger.contact_named("old harbour traders")
    assert active is not None and active["ContactID"] == fresh_id
    archived = next(c for c in ledger.contacts_named("Old Harbour Traders") if c is not active)
    restore = await api.post(f"/Contacts/{archived['ContactID']}", {"ContactStatus": "ACTIVE"})
    assert restore.status_code == 400
    assert "is already assigned to another contact" in restore.text
    invoice = await api.put(
        "/Invoices",
        {"Type": "ACCPAY", "Contact": {"Name": "Old Harbour Traders"}, "DueDate": "2026-04-01",
         "LineItems": [{"Description": "x", "UnitAmount": 5, "AccountCode": "429"}]},
    )  # fmt: skip
    assert invoice.json()["Invoices"][0]["Contact"]["ContactID"] == fresh_id
