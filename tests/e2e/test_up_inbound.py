"""`ledgerlink up` (real processes): a contact renamed and a credit note made in the sandbox
reach ledgerlink through the sandbox's signed webhooks, with nothing sent back."""

import asyncio
from typing import Any

import httpx

from tests.e2e.test_up import Up, connect_and_import, up
from tests.e2e.test_up_webhooks import wait_until
from tests.integration.sync.conftest import ClientCredentials
from xero_sandbox import DEMO_TENANT_ID

__all__ = ["up"]


def in_xero(root: str, method: str, path: str, body: Any = None, **params: Any) -> Any:
    """What a person does in Xero, through its API."""

    async def call() -> Any:
        async with httpx.AsyncClient(timeout=10) as http:
            token = await ClientCredentials(http, root).access_token()
            answer = await http.request(
                method, f"{root}/api.xro/2.0{path}", json=body, params=params,
                headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID,
                         "Accept": "application/json"},
            )  # fmt: skip
            assert answer.status_code == 200, answer.text
            return answer.json()

    return asyncio.run(call())


def test_a_contact_renamed_and_a_credit_note_made_in_xero_reach_ledgerlink(up: Up) -> None:
    with httpx.Client(base_url=up.base, headers=up.headers, timeout=10) as api:
        root = connect_and_import(up, api)
        supplier = api.get(f"{root}/suppliers?status=ACTIVE").json()["data"][0]
        (contact,) = in_xero(up.sandbox, "GET", "/Contacts",
                             where=f'Name=="{supplier["name"]}"')["Contacts"]  # fmt: skip
        outbox_before = len(api.get(f"{root}/outbox?limit=1000").json()["data"])

        renamed = f"{supplier['name']} (renamed in Xero)"
        in_xero(up.sandbox, "POST", f"/Contacts/{contact['ContactID']}",
                {"Contacts": [{"ContactID": contact["ContactID"], "Name": renamed}]})  # fmt: skip
        found = wait_until(
            lambda: api.get(f"{root}/suppliers/{supplier['id']}").json(),
            lambda s: s["name"] == renamed,
        )
        assert found["name"] == renamed

        note = {"Type": "ACCPAYCREDIT", "Contact": {"ContactID": contact["ContactID"]},
                "Date": "2026-11-24", "Status": "AUTHORISED", "CreditNoteNumber": "CN-UP-1",
                "LineItems": [{"Description": "Returned", "Quantity": "1",
                               "UnitAmount": "20.00", "AccountCode": "400",
                               "TaxType": "INPUT2"}]}  # fmt: skip
        in_xero(up.sandbox, "PUT", "/CreditNotes", {"CreditNotes": [note]})
        notes = wait_until(
            lambda: api.get(f"{root}/credit-notes").json()["data"],
            lambda data: any(n["number"] == "CN-UP-1" for n in data),
        )
        (made,) = [n for n in notes if n["number"] == "CN-UP-1"]
        assert (made["party_id"], made["status"], made["total"]) == (
            supplier["id"],
            "approved",
            "23.00",
        )
        assert (
            len(api.get(f"{root}/outbox?limit=1000").json()["data"]) == outbox_before
        )  # nothing echoes
