"""Only what the worker sends waits in the outbox; every other event is settled as written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from ledgerlink.domain.events import KINDS_SENT_TO_XERO
from ledgerlink.sync.engine import Worker
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS, KINDS
from tests.integration.api.company_records import make_records, post
from tests.integration.api.conftest import Tenant
from tests.integration.conftest import FakeClock


def outbox(client: TestClient, tenant: Tenant, state: str) -> list[tuple[str, str, str]]:
    answer = client.get(tenant.url(f"/outbox?state={state}&limit=1000"), headers=tenant.headers)
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()["data"]
    return [(row["kind"], row["document_id"], row["event_type"]) for row in rows]


def test_the_domain_and_the_exporter_agree_on_the_kinds_sent() -> None:
    assert set(KINDS) == KINDS_SENT_TO_XERO
    assert set(DOCUMENT_KINDS) < KINDS_SENT_TO_XERO  # suppliers go as contacts


async def test_customers_invoices_and_payments_never_wait_while_a_bill_waits_for_the_worker(
    client: TestClient,
    admin: Tenant,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
) -> None:
    records = make_records(client, admin, "Acme")
    payment = post(
        client,
        admin,
        "/payments",
        {
            "date": "2026-11-10",
            "amount": "15.00",
            "currency": "NZD",
            "bank_account_code": "090",
            "party_id": records.customer,
            "allocations": [{"document_id": records.invoice, "amount": "15.00"}],
        },
    )["id"]

    assert outbox(client, admin, "pending") == [
        ("supplier", records.supplier, "PartyChanged"),
        ("bill", records.bill, "DocumentApproved"),
    ]
    assert outbox(client, admin, "not_sent") == [
        ("customer", records.customer, "PartyChanged"),
        ("item", records.item, "ItemChanged"),
        ("bill", records.bill, "DocumentSubmitted"),
        ("sales_invoice", records.invoice, "DocumentApproved"),
        ("sales_invoice", records.invoice, "PaymentApplied"),
        ("payment", payment, "PaymentRecorded"),
    ]

    clock.now = dt.datetime.now(dt.UTC)  # the API stamps rows with the real time
    await make_worker().drain()

    assert outbox(client, admin, "pending") == []
    assert outbox(client, admin, "done") == [
        ("supplier", records.supplier, "PartyChanged"),
        ("bill", records.bill, "DocumentApproved"),
    ]
