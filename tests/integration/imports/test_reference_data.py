"""Accounts, tax rates and tracking categories imported from the sandbox over HTTP."""

from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain.catalogue import AccountClass, ReferenceStatus, check_tracking_categories
from ledgerlink.sync.imports import ImportRunner
from tests.integration.conftest import UowFactory
from tests.integration.imports.conftest import counts, outbox_rows, run_import
from xero_client import XeroClient


def _skips(job_skips: list[dict[str, str]]) -> dict[str, str]:
    return {skip["name"]: skip["reason"] for skip in job_skips}


@pytest.mark.parametrize(
    ("code", "account_type", "account_class"),
    [
        ("200", "SALES", AccountClass.REVENUE),
        ("260", "REVENUE", AccountClass.REVENUE),
        ("270", "OTHERINCOME", AccountClass.REVENUE),
        ("310", "DIRECTCOSTS", AccountClass.EXPENSE),
        ("412", "EXPENSE", AccountClass.EXPENSE),
        ("615", "CURRENT", AccountClass.ASSET),
        ("630", "INVENTORY", AccountClass.ASSET),
        ("710", "FIXED", AccountClass.ASSET),
        ("750", "NONCURRENT", AccountClass.ASSET),
        ("830", "CURRLIAB", AccountClass.LIABILITY),
        ("900", "TERMLIAB", AccountClass.LIABILITY),
        ("910", "LIABILITY", AccountClass.LIABILITY),
    ],
    ids=["sales", "revenue", "other-income", "direct-costs", "expense", "current-asset",
         "inventory", "fixed-asset", "non-current-asset", "current-liability", "term-liability",
         "liability"],
)  # fmt: skip
async def test_compatible_accounts_come_in_with_their_type_class_and_tax(
    runner: ImportRunner,
    uow_factory: UowFactory,
    company_id: UUID,
    demo: XeroClient,
    code: str,
    account_type: str,
    account_class: AccountClass,
) -> None:
    if code == "615":  # the demo's only current asset is Accounts Receivable, a system account
        short_term = {"Code": "615", "Name": "Short-term Deposits", "Type": "CURRENT"}
        await demo.request("PUT", "/Accounts", json=short_term)
    job = await run_import(runner, company_id, "accounts")

    assert job.state == "done", job.message
    in_xero = next(a for a in await demo.list_accounts() if a.code == code)
    with uow_factory() as uow:
        account = uow.accounts.get(company_id, code)
    assert account is not None
    assert (account.type, account.account_class) == (account_type, account_class)
    assert account.name == in_xero.name
    assert account.tax_type == in_xero.tax_type
    assert str(account.xero_id) == in_xero.account_id


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("090", "account type BANK cannot be used"),
        ("960", "account type EQUITY cannot be used"),
        ("620", "account type PREPAYMENT cannot be used"),
        ("416", "account type DEPRECIATN cannot be used"),
        ("800", "a system account (CREDITORS)"),
        ("820", "a system account (GST)"),
    ],
    ids=["bank", "equity", "prepayment", "depreciation", "payables", "gst"],
)
async def test_other_account_types_are_listed_as_skipped_with_the_reason(
    runner: ImportRunner,
    uow_factory: UowFactory,
    company_id: UUID,
    demo: XeroClient,
    code: str,
    reason: str,
) -> None:
    job = await run_import(runner, company_id, "accounts")

    name = next(a.name for a in await demo.list_accounts() if a.code == code)
    assert _skips(job.skips)[name].startswith(reason)
    with uow_factory() as uow:
        assert uow.accounts.get(company_id, code) is None
    assert job.processed == job.total == len(await demo.list_accounts())


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("400", "OVERHEADS"),
        ("310", "DIRECTCOSTS"),
        ("200", "SALES"),
        ("830", "CURRLIAB"),
        ("900", "TERMLIAB"),
        ("860", "CURRLIAB"),  # the rounding system account
    ],
    ids=["overheads", "direct-costs", "sales", "current-liability", "term-liability", "rounding"],
)
async def test_expense_cost_revenue_and_liability_accounts_come_in(
    runner: ImportRunner,
    uow_factory: UowFactory,
    company_id: UUID,
    demo: XeroClient,
    code: str,
    kind: str,
) -> None:
    in_xero = {a.code: a for a in await demo.list_accounts()}
    if code not in in_xero or str(in_xero[code].type) != kind:
        pytest.fail(f"the demo chart should have {code} as {kind}")
    await run_import(runner, company_id, "accounts")
    with uow_factory() as uow:
        account = uow.accounts.get(company_id, code)
    assert account is not None
    assert account.type == kind


async def test_archived_accounts_come_in_inactive_at_first_import_and_later(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    created = await demo.request(
        "PUT", "/Accounts", json={"Code": "415", "Name": "Staff Training", "Type": "EXPENSE"}
    )
    account_id = created["Accounts"][0]["AccountID"]
    await run_import(runner, company_id, "accounts")
    await demo.request("POST", f"/Accounts/{account_id}", json={"Status": "ARCHIVED"})

    again = await run_import(runner, company_id, "accounts")

    assert again.updated == 1
    with uow_factory() as uow:
        archived_at_first = uow.accounts.get(company_id, "265")
        account = uow.accounts.get(company_id, "415")
    assert archived_at_first is not None and not archived_at_first.active
    assert account is not None and account.status is ReferenceStatus.ARCHIVED
    assert not account.active


async def test_tax_rates_keep_components_effective_rate_and_the_classes_they_apply_to(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    job = await run_import(runner, company_id, "tax-rates")

    in_xero = await demo.list_tax_rates()
    assert (job.state, job.created, job.skipped) == ("done", len(in_xero), 0)
    with uow_factory() as uow:
        here = {rate.tax_type: rate for rate in uow.tax_rates.list(company_id, limit=1000)}
    for rate in in_xero:
        assert rate.tax_type is not None
        mine = here[rate.tax_type]
        assert mine.name == rate.name
        assert mine.rate == rate.effective_rate
        assert [c.rate for c in mine.components] == [c.rate for c in rate.tax_components]
        assert (AccountClass.REVENUE in mine.applies_to) == bool(rate.can_apply_to_revenue)
    assert any(len(rate.components) > 1 for rate in here.values())
    assert all(isinstance(rate.rate, Decimal) for rate in here.values())


async def test_tracking_categories_become_line_fields_with_archived_options_inactive(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID
) -> None:
    job = await run_import(runner, company_id, "tracking-categories")

    assert job.state == "done"
    with uow_factory() as uow:
        categories = {c.name: c for c in uow.tracking_categories.list(company_id)}
    assert categories["Region"].active and categories["Department"].active
    assert categories["Project (2019)"].status is ReferenceStatus.ARCHIVED
    west = categories["Region"].option("West Coast")
    assert west is not None and west.status is ReferenceStatus.ARCHIVED
    north = categories["Region"].option("North")
    assert north is not None and north.status is ReferenceStatus.ACTIVE


async def test_swapping_the_active_tracking_categories_in_xero_keeps_two_active_here(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    await run_import(runner, company_id, "tracking-categories")
    categories = {c.name: c for c in await demo.list_tracking_categories(include_archived=True)}
    region = categories["Region"].tracking_category_id
    project = categories["Project (2019)"].tracking_category_id
    await demo.request("POST", f"/TrackingCategories/{region}", json={"Status": "ARCHIVED"})
    await demo.request("POST", f"/TrackingCategories/{project}", json={"Status": "ACTIVE"})

    again = await run_import(runner, company_id, "tracking-categories")

    assert again.updated == 2
    with uow_factory() as uow:
        here = uow.tracking_categories.list(company_id)
    check_tracking_categories(here)
    assert sorted(c.name for c in here if c.active) == ["Department", "Project (2019)"]


async def test_a_category_deleted_in_xero_turns_inactive_here_and_is_kept(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    await run_import(runner, company_id, "tracking-categories")
    categories = {c.name: c for c in await demo.list_tracking_categories(include_archived=True)}
    await demo.request(
        "DELETE", f"/TrackingCategories/{categories['Project (2019)'].tracking_category_id}"
    )

    again = await run_import(runner, company_id, "tracking-categories")

    assert (again.updated, again.created) == (1, 0)
    with uow_factory() as uow:
        kept = uow.tracking_categories.get(company_id, "Project (2019)")
    assert kept is not None and kept.status is ReferenceStatus.DELETED


@pytest.mark.parametrize("kind", ["accounts", "tax-rates", "tracking-categories"], ids=str)
async def test_importing_twice_changes_nothing_and_sends_nothing_to_xero(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, kind: str
) -> None:
    first = await run_import(runner, company_id, kind)
    second = await run_import(runner, company_id, kind)

    assert first.created > 0
    assert counts(second) == (0, 0, first.created + first.updated, first.skipped)
    assert outbox_rows(uow_factory, company_id) == []
