"""The caller's companies: `/companies` and `/companies/{company_id}`."""

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from ledgerlink.api.deps import CallerDep, CompanyDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.store.records import Company

router = APIRouter(tags=["companies"])


class CompanyPublic(BaseModel):
    id: UUID
    name: str
    role: str
    rounding: int
    line_amount_type: str


class CompaniesPublic(BaseModel):
    data: list[CompanyPublic]
    count: int


def _public(company: Company, role: str) -> CompanyPublic:
    return CompanyPublic(
        id=company.id,
        name=company.name,
        role=role,
        rounding=company.settings.rounding,
        line_amount_type=company.settings.line_amount_type.value,
    )


@router.get("/companies", summary="List the companies the caller belongs to")
def list_companies(caller: CallerDep, uow: UowDep) -> CompaniesPublic:
    data = []
    for company_id, role in caller.roles.items():
        company = uow.companies.get(company_id)
        if company is not None:
            data.append(_public(company, role.value))
    data.sort(key=lambda c: c.name)
    return CompaniesPublic(data=data, count=len(data))


@router.get("/companies/{company_id}", summary="Get one of the caller's companies")
def get_company(access: CompanyDep, uow: UowDep) -> CompanyPublic:
    company = uow.companies.get(access.company_id)
    if company is None:
        raise not_found(f"company {access.company_id}")
    return _public(company, access.role.value)
