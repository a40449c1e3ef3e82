"""`/companies/{company_id}/supplier-credits`: credit held with suppliers, read only.

Supplier credit is the rest of an overpayment or prepayment made to a supplier in Xero
(``SPEND-OVERPAYMENT``, ``SPEND-PREPAYMENT``), kept here by the payments poll and pulls:
what Xero allocates of it to bills pays them here and is what is used of it.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from ledgerlink.api.deps import CompanyDep, UowDep
from ledgerlink.api.etags import set_etag
from ledgerlink.api.problems import not_found
from ledgerlink.api.schemas.common import MAX_OFFSET, MAX_PAGE_SIZE, Page
from ledgerlink.api.status_filter import stored_status
from ledgerlink.domain.supplier_credit import SupplierCredit
from ledgerlink.store.repositories.supplier_credits import SUPPLIER_CREDIT_STATUSES
from ledgerlink.store.uow import SqlUnitOfWork

router = APIRouter(prefix="/companies/{company_id}", tags=["supplier credit"])


class SupplierCreditPublic(BaseModel):
    id: UUID
    supplier_id: UUID
    source: str = Field(description="overpayment or prepayment: what it is in Xero")
    status: str = Field(description="open (some left), used (all allocated) or voided")
    date: dt.date
    amount: Decimal
    currency: str
    amount_used: Decimal = Field(description="What Xero has allocated of it to bills")
    remaining: Decimal = Field(description="What is left to allocate to the supplier's bills")
    reference: str | None
    xero_id: str | None = Field(description="The overpayment's or prepayment's id in Xero")
    version: int


def _public(uow: SqlUnitOfWork, credit: SupplierCredit) -> SupplierCreditPublic:
    link = uow.xero_links.get(credit.company_id, SupplierCredit.KIND, credit.id)
    return SupplierCreditPublic(
        id=credit.id,
        supplier_id=credit.supplier_id,
        source=str(credit.source),
        status=credit.status,
        date=credit.date,
        amount=credit.amount,
        currency=str(credit.currency),
        amount_used=credit.amount_used,
        remaining=credit.remaining,
        reference=credit.reference,
        xero_id=None if link is None else link.xero_id,
        version=credit.version,
    )


@router.get(
    "/supplier-credits",
    response_model=Page[SupplierCreditPublic],
    summary="List supplier credit (overpayments and prepayments made to suppliers in Xero)",
    description="Read only: it is made and moved by what Xero holds (pull or payments poll).",
)
def list_supplier_credits(
    access: CompanyDep,
    uow: UowDep,
    supplier_id: Annotated[UUID | None, Query(description="Only this supplier's")] = None,
    status: Annotated[
        str | None,
        Query(
            description="Only those of this status (either letter case).",
            json_schema_extra={"enum": list(SUPPLIER_CREDIT_STATUSES)},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Page[SupplierCreditPublic]:
    stored = stored_status(status, SUPPLIER_CREDIT_STATUSES)
    repo = uow.supplier_credits
    credits = repo.list_of(
        access.company_id, supplier_id=supplier_id, status=stored, limit=limit, offset=offset
    )
    return Page[SupplierCreditPublic](
        data=[_public(uow, credit) for credit in credits],
        count=repo.count_of(access.company_id, supplier_id=supplier_id, status=stored),
        limit=limit,
        offset=offset,
    )


@router.get(
    "/supplier-credits/{credit_id}",
    response_model=SupplierCreditPublic,
    summary="Get one supplier credit",
)
def get_supplier_credit(
    credit_id: UUID, access: CompanyDep, uow: UowDep, response: Response
) -> SupplierCreditPublic:
    credit = uow.supplier_credits.get(access.company_id, credit_id)
    if credit is None:
        raise not_found(f"supplier credit {credit_id}")
    set_etag(response, credit.version)
    return _public(uow, credit)
