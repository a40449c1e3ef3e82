"""Items (products): `/companies/{company_id}/items`."""

from fastapi import APIRouter

from ledgerlink.api.crud import Resource, add_routes
from ledgerlink.api.deps import CompanyAccess
from ledgerlink.api.schemas.items import ItemCreate, ItemPublic, ItemUpdate
from ledgerlink.domain.catalogue import Item
from ledgerlink.store.uow import SqlUnitOfWork

router = APIRouter(prefix="/companies/{company_id}", tags=["items"])


def _create(access: CompanyAccess, body: ItemCreate, _uow: SqlUnitOfWork) -> Item:
    return Item.create(company_id=access.company_id, **body.model_dump())


def _update(item: Item, body: ItemUpdate, _uow: SqlUnitOfWork) -> None:
    item.edit(**body.model_dump(exclude_unset=True))


add_routes(
    router,
    Resource(
        path="/items",
        label="item",
        repository=lambda uow: uow.items,
        public=ItemPublic,
        create_body=ItemCreate,
        update_body=ItemUpdate,
        create=_create,
        update=_update,
        statuses=("ACTIVE", "ARCHIVED"),
    ),
)
