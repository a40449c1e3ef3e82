"""One payment deleted by two requests at the same moment (a real server, two threads):
one deletes it, the other is told it is deleted already (409), never a misleading 422 about
what the documents owe, and the documents end as one delete leaves them."""

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from tests.integration.api.company_records import CompanyRecords, make_records
from tests.integration.api.conftest import Tenant
from tests.integration.sync.harness import serve_api

ROUNDS = 80


@pytest.fixture
def records(client: TestClient, admin: Tenant) -> CompanyRecords:
    return make_records(client, admin, "Acme")


@pytest.fixture
def api_url(container: Container, records: CompanyRecords) -> Iterator[str]:
    yield from serve_api(container)


def delete_twice_at_once(api_url: str, tenant: Tenant, payment_id: str) -> list[tuple[int, str]]:
    barrier = threading.Barrier(2)
    answers: list[Any] = [None, None]

    def send(index: int) -> None:
        with httpx.Client(base_url=api_url, timeout=30) as http:
            barrier.wait()
            answer = http.post(tenant.url(f"/payments/{payment_id}/delete"), headers=tenant.headers)
            answers[index] = (answer.status_code, answer.text[:300])

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_payment_deleted_twice_at_once_is_deleted_once_and_the_other_told_so(
    client: TestClient, admin: Tenant, records: CompanyRecords, api_url: str
) -> None:
    bill = client.get(admin.url(f"/bills/{records.bill}"), headers=admin.headers).json()
    part = (Decimal(bill["total"]) / (ROUNDS + 1)).quantize(Decimal("0.01"))
    for _ in range(ROUNDS):
        body = {"date": "2026-11-10", "amount": str(part), "currency": "NZD",
                "bank_account_code": "090", "party_id": records.supplier,
                "allocations": [{"document_id": records.bill, "amount": str(part)}]}  # fmt: skip
        made = client.post(admin.url("/payments"), json=body, headers=admin.headers)
        assert made.status_code == 201, made.text
        paid = client.get(admin.url(f"/bills/{records.bill}"), headers=admin.headers).json()

        answers = delete_twice_at_once(api_url, admin, made.json()["id"])

        assert sorted(code for code, _ in answers) == [200, 409], answers
        after = client.get(admin.url(f"/bills/{records.bill}"), headers=admin.headers).json()
        assert Decimal(after["amount_paid"]) == Decimal(paid["amount_paid"]) - part
