"""Items from Xero: purchase and inventory items, matched on code then name."""

from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.catalogue import Item
from ledgerlink.sync.imports import ImportRunner
from tests.client.sandbox.conftest import Connected
from tests.integration.conftest import UowFactory
from tests.integration.imports.conftest import counts, outbox_rows, run_import
from xero_client import Item as XeroItem
from xero_client import ItemPrice, XeroClient


def _add_here(uow_factory: UowFactory, company_id: UUID, **fields: object) -> Item:
    with uow_factory() as uow:
        item = Item.create(company_id=company_id, **fields)  # type: ignore[arg-type]
        uow.items.add(item)
        uow.commit()
    return item


async def test_purchase_and_inventory_items_come_in_and_sold_only_ones_are_skipped(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    await demo.create_items(
        [
            XeroItem(
                code="GIFT-CARD",
                name="Gift card",
                is_sold=True,
                is_purchased=False,
                sales_details=ItemPrice(unit_price=Decimal("50.00"), account_code="200"),
            )
        ]
    )

    job = await run_import(runner, company_id, "items", import_all=True)

    assert job.state == "done"
    assert [(s["name"], s["reason"][:14]) for s in job.skips] == [("Gift card", "only sold, not")]
    with uow_factory() as uow:
        desk = uow.items.get_by_code(company_id, "DESK-OAK")
        toner = uow.items.get_by_code(company_id, "TONER-BK")
    assert desk is not None and desk.is_tracked_as_inventory
    assert (desk.purchase_account_code, desk.inventory_asset_account_code) == ("310", "630")
    assert toner is not None and toner.purchase_price == Decimal("58.1250")
    assert (toner.purchase_account_code, toner.sales_account_code) == ("300", "200")
    assert outbox_rows(uow_factory, company_id) == []


async def test_items_here_are_matched_on_code_then_name_and_xero_data_wins(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID
) -> None:
    by_code = _add_here(uow_factory, company_id, code="DESK-OAK", name="Desk", sales_price="1")
    by_name = _add_here(uow_factory, company_id, code="OLD-DLV", name="Delivery")
    sent_before = len(outbox_rows(uow_factory, company_id))

    job = await run_import(runner, company_id, "items", import_all=True)
    again = await run_import(runner, company_id, "items", import_all=True)

    with uow_factory() as uow:
        desk = uow.items.get(company_id, by_code.id)
        delivery = uow.items.get(company_id, by_name.id)
        total = uow.items.count(company_id)
        link = uow.xero_links.get(company_id, "item", by_name.id)
    assert desk is not None and (desk.name, desk.sales_price) == ("Oak desk", Decimal("549.00"))
    assert delivery is not None and delivery.code == "DELIVERY"
    assert (job.updated, total) == (2, job.created + 2)
    assert link is not None and link.synced_version == delivery.version
    assert counts(again) == (0, 0, job.created + 2, 0)
    assert len(outbox_rows(uow_factory, company_id)) == sent_before


async def test_a_refresh_reads_changed_items_only(
    runner: ImportRunner,
    uow_factory: UowFactory,
    company_id: UUID,
    xero: Connected,
    demo: XeroClient,
) -> None:
    xero.clock.advance(60)
    first = await run_import(runner, company_id, "items", import_all=True)
    xero.clock.advance(3600)
    paper = next(i for i in await demo.list_items() if i.code == "PAPER-A4")
    await demo.update_item(
        XeroItem(item_id=paper.item_id, purchase_details=ItemPrice(unit_price=Decimal("22.40")))
    )

    refresh = await run_import(runner, company_id, "items", refresh=True)

    assert first.created > 1
    assert (refresh.processed, refresh.updated) == (1, 1)
    with uow_factory() as uow:
        item = uow.items.get_by_code(company_id, "PAPER-A4")
    assert item is not None and item.purchase_price == Decimal("22.40")


async def test_an_item_deleted_in_xero_turns_inactive_here_on_the_next_full_import(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    await run_import(runner, company_id, "items", import_all=True)
    delivery = next(i for i in await demo.list_items() if i.code == "DELIVERY")
    await demo.request("DELETE", f"/Items/{delivery.item_id}")

    again = await run_import(runner, company_id, "items", import_all=True)

    assert again.updated == 1
    with uow_factory() as uow:
        item = uow.items.get_by_code(company_id, "DELIVERY")
    assert item is not None and not item.active and item.version == 2
    assert outbox_rows(uow_factory, company_id) == []
