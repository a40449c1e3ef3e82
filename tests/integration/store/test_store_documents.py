from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import pytest
from store_builders import DOCUMENT_KINDS, DocumentKind, Parties, add_parties, state

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.errors import DuplicateRecord, UnknownReference

if TYPE_CHECKING:
    from tests.integration.conftest import UowFactory


@pytest.fixture(params=list(DOCUMENT_KINDS), ids=list(DOCUMENT_KINDS))
def kind(request: pytest.FixtureRequest) -> DocumentKind:
    return DOCUMENT_KINDS[request.param]


# Supplier credit note numbers are the suppliers' own and may repeat, and a credit
# note's party is a supplier or a customer depending on its kind (checked by the caller).
NUMBERED_WITH_ONE_PARTY = [name for name, kind in DOCUMENT_KINDS.items() if kind.numbers_unique]


@pytest.fixture(params=NUMBERED_WITH_ONE_PARTY, ids=NUMBERED_WITH_ONE_PARTY)
def numbered_kind(request: pytest.FixtureRequest) -> DocumentKind:
    return DOCUMENT_KINDS[request.param]


@pytest.fixture
def parties(uow_factory: UowFactory, company_id: UUID) -> Parties:
    with uow_factory() as uow:
        found = add_parties(uow, company_id)
        uow.commit()
    return found


def test_document_round_trips(
    uow_factory: UowFactory, kind: DocumentKind, parties: Parties
) -> None:
    document = kind.build(parties, "DOC-1")
    with uow_factory() as uow:
        kind.repository(uow).add(document)
        uow.commit()

    with uow_factory() as uow:
        loaded = kind.repository(uow).get(parties.company_id, document.id)
        by_number = kind.repository(uow).get_by_number(parties.company_id, "DOC-1")

    assert loaded is not None
    assert state(loaded) == state(document)
    assert loaded.totals == document.totals
    assert by_number is not None
    assert by_number.id == document.id


def test_document_update_is_saved_with_its_new_version(
    uow_factory: UowFactory, kind: DocumentKind, parties: Parties
) -> None:
    document = kind.build(parties, "DOC-1")
    with uow_factory() as uow:
        kind.repository(uow).add(document)
        uow.commit()

    with uow_factory() as uow:
        loaded = kind.repository(uow).get(parties.company_id, document.id)
        assert loaded is not None
        loaded.edit(reference="Changed", lines=loaded.lines[:1])
        kind.advance(loaded)
        uow.commit()

    with uow_factory() as uow:
        reloaded = kind.repository(uow).get(parties.company_id, document.id)

    assert reloaded is not None
    assert reloaded.version > document.version
    assert state(reloaded) == state(loaded)
    assert reloaded.reference == "Changed"
    assert len(reloaded.lines) == 1
    assert reloaded.status.value == kind.advanced_status


def test_documents_list_by_status_in_pages(
    uow_factory: UowFactory, kind: DocumentKind, parties: Parties
) -> None:
    with uow_factory() as uow:
        repository = kind.repository(uow)
        documents = [kind.build(parties, f"DOC-{index}") for index in range(5)]
        for index, document in enumerate(documents):
            if index % 2 == 0:
                kind.advance(document)
            repository.add(document)
        uow.commit()

    with uow_factory() as uow:
        repository = kind.repository(uow)
        advanced = repository.list(parties.company_id, status=kind.advanced_status)
        first = repository.list(parties.company_id, limit=3)
        rest = repository.list(parties.company_id, limit=3, offset=3)
        counted = repository.count(parties.company_id, status=kind.advanced_status)
        total = repository.count(parties.company_id)

    assert sorted(d.number or "" for d in advanced) == ["DOC-0", "DOC-2", "DOC-4"]
    assert counted == 3
    assert total == 5
    assert len(first) == 3
    assert len(rest) == 2
    assert {d.id for d in first + rest} == {d.id for d in documents}


def test_another_company_never_sees_a_document(
    uow_factory: UowFactory, kind: DocumentKind, parties: Parties, other_company_id: UUID
) -> None:
    document = kind.build(parties, "DOC-1")
    with uow_factory() as uow:
        kind.repository(uow).add(document)
        uow.commit()

    with uow_factory() as uow:
        repository = kind.repository(uow)
        assert repository.get(other_company_id, document.id) is None
        assert repository.get_by_number(other_company_id, "DOC-1") is None
        assert repository.list(other_company_id) == []
        assert repository.count(other_company_id) == 0
        assert repository.get(parties.company_id, uuid4()) is None


def test_document_numbers_are_unique_per_company(
    uow_factory: UowFactory, numbered_kind: DocumentKind, parties: Parties, other_company_id: UUID
) -> None:
    kind = numbered_kind
    with uow_factory() as uow:
        kind.repository(uow).add(kind.build(parties, "DOC-1"))
        uow.commit()

    with uow_factory() as uow:
        other = add_parties(uow, other_company_id)
        kind.repository(uow).add(kind.build(other, "DOC-1"))
        with pytest.raises(DuplicateRecord, match="number 'DOC-1' already exists"):
            kind.repository(uow).add(kind.build(parties, "DOC-1"))
        kind.repository(uow).add(kind.build(parties, "DOC-2"))
        uow.commit()

    with uow_factory() as uow:
        assert kind.repository(uow).count(parties.company_id) == 2


def test_a_document_cannot_point_at_another_companys_party(
    uow_factory: UowFactory, numbered_kind: DocumentKind, parties: Parties, other_company_id: UUID
) -> None:
    kind = numbered_kind
    foreign = Parties(other_company_id, parties.supplier_id, parties.customer_id)
    with uow_factory() as uow, pytest.raises(UnknownReference, match="in this company"):
        kind.repository(uow).add(kind.build(foreign, "DOC-1"))


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 5000}, "limit"),
        ({"offset": -1}, "offset"),
    ],
    ids=["unknown-status", "limit-0", "limit-too-big", "negative-offset"],
)
def test_bad_list_arguments_name_the_field(
    uow_factory: UowFactory,
    kind: DocumentKind,
    company_id: UUID,
    arguments: dict[str, object],
    field: str,
) -> None:
    with uow_factory() as uow, pytest.raises(InvalidValue) as caught:
        kind.repository(uow).list(company_id, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_documents_list_per_party(
    uow_factory: UowFactory, kind: DocumentKind, parties: Parties, company_id: UUID
) -> None:
    with uow_factory() as uow:
        others = add_parties(uow, company_id)
        mine = [kind.build(parties, f"MINE-{index}") for index in range(3)]
        kind.advance(mine[0])
        for document in [*mine, kind.build(others, "THEIRS-1")]:
            kind.repository(uow).add(document)
        uow.commit()

    party_id = getattr(mine[0], "supplier_id", None) or getattr(
        mine[0], "customer_id", None
    ) or mine[0].party_id  # fmt: skip
    with uow_factory() as uow:
        repository = kind.repository(uow)
        listed = repository.list_for_party(company_id, party_id)
        advanced = repository.list_for_party(company_id, party_id, status=kind.advanced_status)
        paged = repository.list_for_party(company_id, party_id, limit=1, offset=2)

    assert sorted(d.number or "" for d in listed) == ["MINE-0", "MINE-1", "MINE-2"]
    assert [d.id for d in advanced] == [mine[0].id]
    assert len(paged) == 1
