"""Suppliers and customers: `/companies/{company_id}/suppliers` and `/customers`."""

from typing import Any

from fastapi import APIRouter

from ledgerlink.api.crud import Resource, add_routes
from ledgerlink.api.deps import CompanyAccess
from ledgerlink.api.schemas.parties import (
    CustomerCreate,
    CustomerPublic,
    CustomerUpdate,
    PartyCreate,
    PartyPublic,
    PartyUpdate,
)
from ledgerlink.domain.parties import Address, Customer, Party, Supplier
from ledgerlink.store.uow import SqlUnitOfWork

router = APIRouter(prefix="/companies/{company_id}", tags=["parties"])


def _fields(body: PartyCreate | PartyUpdate) -> dict[str, Any]:
    fields = body.model_dump(exclude_unset=True)
    if body.address is not None:
        fields["address"] = Address(**body.address.model_dump())
    people = getattr(body, "contact_people", None)
    if people is not None:
        # Checked by the domain, which names the person at fault (contact_people[2].email).
        fields["contact_people"] = [person.model_dump() for person in people]
    return fields


def _creator(kind: type[Party]) -> Any:
    def create(access: CompanyAccess, body: PartyCreate, _uow: SqlUnitOfWork) -> Party:
        return kind.create(company_id=access.company_id, **_fields(body))

    return create


def _update(party: Party, body: PartyUpdate, _uow: SqlUnitOfWork) -> None:
    party.edit(**_fields(body))


for path, label, kind, repository, public, create_body, update_body in (
    ("/suppliers", "supplier", Supplier, lambda uow: uow.suppliers,
     PartyPublic, PartyCreate, PartyUpdate),
    ("/customers", "customer", Customer, lambda uow: uow.customers,
     CustomerPublic, CustomerCreate, CustomerUpdate),
):  # fmt: skip
    add_routes(
        router,
        Resource(
            path=path,
            label=label,
            repository=repository,
            public=public,
            create_body=create_body,
            update_body=update_body,
            create=_creator(kind),
            update=_update,
            statuses=("ACTIVE", "ARCHIVED"),
        ),
    )
