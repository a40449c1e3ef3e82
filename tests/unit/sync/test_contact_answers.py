"""A contacts batch Xero refused for one contact's fault: the others go again, by the flag."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from ledgerlink.domain.parties import Supplier
from ledgerlink.sync.export.contacts import create_contacts
from ledgerlink.xero.outbound.contacts import contact_of
from xero_client import BatchResult, Contact, ElementErrors
from xero_client._batch import refused_chunk

COMPANY = UUID("00000000-0000-4000-8000-000000000001")


class RefusesTheSecond:
    """Answers a create as Xero does when it refuses a chunk over one element's fault."""

    async def create_contacts(
        self, contacts: Sequence[Contact], *, idempotency_key: str
    ) -> list[BatchResult[Any]]:
        faults = [ElementErrors(index=1, messages=("Email address must be valid.",))]
        return refused_chunk(range(len(contacts)), faults)


async def test_contacts_refused_only_with_another_go_again_and_the_faulty_one_fails() -> None:
    parties = [Supplier(company_id=COMPANY, name=f"Supplier {n}") for n in range(3)]

    answers = await create_contacts(
        RefusesTheSecond(),  # type: ignore[arg-type]
        parties,
        [contact_of(p) for p in parties],
        "ll-supplier-create-k",
    )

    assert answers.refused == {parties[1].id: ("Email address must be valid.",)}
    assert set(answers.unsent) == {parties[0].id, parties[2].id}
    assert answers.contact_ids == {}
