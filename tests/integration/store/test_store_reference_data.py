from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy.exc import StatementError

from ledgerlink.domain.catalogue import (
    Account,
    AccountClass,
    ReferenceStatus,
    TaxComponent,
    TaxRate,
    TrackingCategory,
    TrackingOption,
)
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.repositories.reference import ReferenceRepository
from ledgerlink.store.uow import SqlUnitOfWork

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.integration.conftest import UowFactory


@dataclass(frozen=True)
class Kind:
    repository: Callable[[SqlUnitOfWork], ReferenceRepository[Any]]
    build: Callable[[int], Any]
    key: Callable[[Any], str]


def _account(index: int) -> Account:
    return Account(
        code=f"4{index:02d}",
        name=f"Expense {index}",
        type="EXPENSE",
        account_class=AccountClass.EXPENSE,
        tax_type="INPUT2",
        xero_id=uuid4(),
    )


def _tax_rate(index: int) -> TaxRate:
    return TaxRate.from_components(
        name=f"GST+QST {index}",
        tax_type=f"TAX{index:03d}",
        components=(
            TaxComponent(name="GST", rate=Decimal("5")),
            TaxComponent(name="QST", rate=Decimal("9.975"), is_compound=True),
        ),
        applies_to=(AccountClass.EXPENSE, AccountClass.REVENUE),
    )


def _tracking(index: int) -> TrackingCategory:
    return TrackingCategory(
        name=f"Region {index}",
        options=(
            TrackingOption(name="East"),
            TrackingOption(name="West", status=ReferenceStatus.ARCHIVED),
        ),
        xero_id=uuid4(),
    )


KINDS = {
    "account": Kind(lambda uow: uow.accounts, _account, lambda value: value.code),
    "tax_rate": Kind(lambda uow: uow.tax_rates, _tax_rate, lambda value: value.tax_type),
    "tracking_category": Kind(
        lambda uow: uow.tracking_categories, _tracking, lambda value: value.name
    ),
}


@pytest.fixture(params=list(KINDS), ids=list(KINDS))
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


def test_reference_data_round_trips_and_save_replaces(
    uow_factory: UowFactory, kind: Kind, company_id: UUID
) -> None:
    value = kind.build(1)
    with uow_factory() as uow:
        kind.repository(uow).add(company_id, value)
        uow.commit()

    with uow_factory() as uow:
        assert kind.repository(uow).get(company_id, kind.key(value)) == value
        with pytest.raises(DuplicateRecord):
            kind.repository(uow).add(company_id, value)
        archived = replace(value, status=ReferenceStatus.ARCHIVED)
        kind.repository(uow).save(company_id, archived)
        kind.repository(uow).save(company_id, kind.build(2))
        uow.commit()

    with uow_factory() as uow:
        assert kind.repository(uow).get(company_id, kind.key(value)) == archived
        assert kind.repository(uow).count(company_id) == 2


def test_reference_data_lists_by_status_in_pages_per_company(
    uow_factory: UowFactory, kind: Kind, company_id: UUID, other_company_id: UUID
) -> None:
    values = [kind.build(index) for index in range(5)]
    values[1] = replace(values[1], status=ReferenceStatus.ARCHIVED)
    elsewhere = kind.build(7)
    with uow_factory() as uow:
        for value in values:
            kind.repository(uow).save(company_id, value)
        kind.repository(uow).save(other_company_id, elsewhere)
        uow.commit()

    with uow_factory() as uow:
        repository = kind.repository(uow)
        assert repository.list(company_id, status="ARCHIVED") == [values[1]]
        assert repository.list(company_id, limit=2, offset=2) == values[2:4]
        assert repository.count(company_id, status="ACTIVE") == 4
        assert repository.get(other_company_id, kind.key(values[0])) is None
        assert repository.list(other_company_id) == [elsewhere]


def test_tax_rates_give_the_active_effective_rates(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    with uow_factory() as uow:
        uow.tax_rates.save(company_id, _tax_rate(1))
        uow.tax_rates.save(company_id, replace(_tax_rate(2), status=ReferenceStatus.DELETED))
        uow.commit()

    with uow_factory() as uow:
        assert uow.tax_rates.rates(company_id) == {"TAX001": Decimal("15.47375")}


def test_a_rate_that_would_be_rounded_is_refused(uow_factory: UowFactory, company_id: UUID) -> None:
    too_precise = TaxRate(name="Odd", tax_type="ODD", rate=Decimal("1.12345678901"))
    with uow_factory() as uow, pytest.raises(StatementError, match="more than 10 decimal places"):
        uow.tax_rates.save(company_id, too_precise)
