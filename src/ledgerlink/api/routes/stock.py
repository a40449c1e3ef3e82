"""Stock takes: `/companies/{company_id}/stock-takes`.

A stock take of a tracked item is kept here and its difference from Xero's quantity on
hand reaches Xero as an inventory adjustment; an untracked item's count is refused (422).
"""

from uuid import UUID

from fastapi import APIRouter, Query

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import ClockDep, CompanyDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.api.schemas.common import MAX_OFFSET, MAX_PAGE_SIZE, Page
from ledgerlink.api.schemas.stock import StockTakeCreate, StockTakePublic, StockTakeSync
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.stock import StockTake
from ledgerlink.store.clock import Clock
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.overview import sync_state

router = APIRouter(prefix="/companies/{company_id}/stock-takes", tags=["stock takes"])


def _public(uow: SqlUnitOfWork, clock: Clock, take: StockTake) -> StockTakePublic:
    item = uow.items.get(take.company_id, take.item_id)
    state = sync_state(uow, clock, take.company_id, StockTake.KIND, take.id)
    return StockTakePublic(
        id=take.id,
        item_id=take.item_id,
        item_code=item.code if item is not None else None,
        date=take.date,
        counted_quantity=take.counted_quantity,
        reason=take.reason,
        on_hand_in_xero=take.on_hand_in_xero,
        adjustment=take.adjustment,
        unit_cost=take.unit_cost,
        sync=(
            StockTakeSync(
                state=state.state, xero_id=state.xero_id, last_error=state.last_error, fix=state.fix
            )
            if state is not None
            else None
        ),
    )


@router.get("", summary="List stock takes, newest first")
def list_stock_takes(
    access: CompanyDep,
    uow: UowDep,
    clock: ClockDep,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Page[StockTakePublic]:
    takes = uow.stock_takes.list(access.company_id, limit=limit, offset=offset)
    return Page[StockTakePublic](
        data=[_public(uow, clock, take) for take in takes],
        count=uow.stock_takes.count(access.company_id),
        limit=limit,
        offset=offset,
    )


@router.get("/{take_id}", summary="Get a stock take and where it is with Xero")
def get_stock_take(
    take_id: UUID, access: CompanyDep, uow: UowDep, clock: ClockDep
) -> StockTakePublic:
    take = uow.stock_takes.get(access.company_id, take_id)
    if take is None:
        raise not_found(f"stock take {take_id}")
    return _public(uow, clock, take)


@router.post("", status_code=201, summary="Record a stock take of a tracked item")
def create_stock_take(
    body: StockTakeCreate, access: CompanyDep, uow: UowDep, clock: ClockDep
) -> StockTakePublic:
    item = uow.items.get(access.company_id, body.item_id)
    if item is None:
        raise InvalidValue("item_id", f"no item {body.item_id} in this company")
    take = StockTake.record(
        company_id=access.company_id,
        item=item,
        date=body.date,
        counted_quantity=body.counted_quantity,
        reason=body.reason,
    )
    uow.stock_takes.add(take)
    return commit_answering(uow, _public(uow, clock, take))
