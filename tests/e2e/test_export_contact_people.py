"""A customer's contact people, set over REST, reach the Xero sandbox as the contact's
primary person and ``ContactPersons``; the people Xero has no room for are named in the
customer's sync log; bad people are refused naming the person and field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.sync.bills import ready
from tests.integration.sync.harness import ExportSetup, export_setup
from tests.integration.sync.sales import customer, xero_contacts

__all__ = ["export_setup", "ready"]


def people(count: int) -> list[dict[str, Any]]:
    return [
        {"first_name": f"Person{n}", "last_name": "Ng", "email": f"p{n}@harbour.test",
         "include_in_emails": n == 1}
        for n in range(count)
    ]  # fmt: skip


async def test_contact_people_reach_xero_and_those_left_out_are_named(
    ready: ExportSetup,
) -> None:
    customer_id = customer(ready, contact_people=people(8))
    stored = ready.get(f"/customers/{customer_id}")
    assert [p["first_name"] for p in stored["contact_people"]] == [f"Person{n}" for n in range(8)]

    await ready.run_worker()

    [contact] = await xero_contacts(ready, "Harbour Cafe")
    assert (contact["FirstName"], contact["LastName"]) == ("Person0", "Ng")
    persons = contact["ContactPersons"]
    assert [p["FirstName"] for p in persons] == [f"Person{n}" for n in range(1, 6)]
    assert persons[0]["EmailAddress"] == "p1@harbour.test"
    assert persons[0]["IncludeInEmails"] is True
    state = ready.get(f"/sync/customer/{customer_id}")
    assert state["state"] == "sent"
    answer = state["log"][-1]["answer"]
    assert "not sent to Xero: Person6 Ng, Person7 Ng" in answer


async def test_a_change_of_people_follows_to_xero(ready: ExportSetup) -> None:
    customer_id = customer(ready, contact_people=people(2))
    await ready.run_worker()

    renamed = [{"first_name": "Mere", "last_name": "Tui", "email": "mere@harbour.test"},
               *people(3)[1:]]  # fmt: skip
    ready.patch(f"/customers/{customer_id}", {"contact_people": renamed})
    await ready.run_worker()

    [contact] = await xero_contacts(ready, "Harbour Cafe")
    assert (contact["FirstName"], contact["LastName"]) == ("Mere", "Tui")
    assert [p["FirstName"] for p in contact["ContactPersons"]] == ["Person1", "Person2"]
    log = ready.get(f"/sync/customer/{customer_id}")["log"]
    assert "not sent to Xero" not in (log[-1]["answer"] or "")

    ready.patch(f"/customers/{customer_id}", {"contact_people": renamed[:1]})
    await ready.run_worker()

    [contact] = await xero_contacts(ready, "Harbour Cafe")
    assert (contact["FirstName"], contact["ContactPersons"]) == ("Mere", [])


@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"first_name": "Ana", "email": "not-an-email"}, "contact_people[2].email"),
        ({"first_name": "  ", "email": "ana@harbour.test"}, "contact_people[2].first_name"),
        ({"last_name": "Ng"}, "contact_people[2].first_name"),
        ({"first_name": "Ana", "phone": "021"}, "contact_people[2].phone"),
    ],
    ids=["bad-email", "blank-first-name", "no-first-name", "unknown-field"],
)
def test_a_bad_person_is_refused_naming_the_person_and_field(
    export_setup: ExportSetup, person: dict[str, Any], field: str
) -> None:
    body = {"name": "Harbour Cafe", "contact_people": [*people(2), person]}
    refused = export_setup.api.post(export_setup.url("/customers"), json=body)

    assert refused.status_code == 422, refused.text
    assert field in [error["field"] for error in refused.json()["errors"]]
    made = export_setup.post("/customers", {"name": "Harbour Cafe"}, status=201)
    patched = export_setup.api.patch(
        export_setup.url(f"/customers/{made['id']}"), json={"contact_people": [*people(2), person]}
    )
    assert patched.status_code == 422, patched.text
    assert field in [error["field"] for error in patched.json()["errors"]]
    assert export_setup.get(f"/customers/{made['id']}")["contact_people"] == []
    assert export_setup.get("/customers")["count"] == 1
