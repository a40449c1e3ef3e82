"""`/companies/{company_id}/xero/settings`: what is sent to Xero and how (admins only)."""

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import AdminDep, ClockDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.store.records import CompanySettings
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.manual import retry_failed
from ledgerlink.xero.outbound.settings import OPTIONS_KEY, ExportSettings, export_settings

router = APIRouter(prefix="/companies/{company_id}/xero", tags=["xero"])


class ExportSettingsPublic(ExportSettings):
    """The settings, with what a person should know about them."""

    notes: list[str] = Field(default_factory=list)
    retried: int = 0


def _current(uow: SqlUnitOfWork, access: AdminDep) -> tuple[CompanySettings, ExportSettings]:
    company = uow.companies.get(access.company_id)
    if company is None:
        raise not_found(f"company {access.company_id}")
    stored = company.settings
    return stored, export_settings(stored.rounding, stored.line_amount_type, stored.options)


def _public(settings: ExportSettings, retried: int = 0) -> ExportSettingsPublic:
    return ExportSettingsPublic(**settings.model_dump(), notes=settings.caveats(), retried=retried)


@router.get("/settings", summary="The company's export settings")
def get_settings(access: AdminDep, uow: UowDep) -> ExportSettingsPublic:
    _, settings = _current(uow, access)
    return _public(settings)


@router.put(
    "/settings",
    summary="Replace the export settings; failed documents are retried under them",
)
def put_settings(
    body: ExportSettings, access: AdminDep, uow: UowDep, clock: ClockDep
) -> ExportSettingsPublic:
    stored, _ = _current(uow, access)
    options: dict[str, Any] = {**stored.options, OPTIONS_KEY: body.options_json()}
    uow.companies.update_settings(
        access.company_id,
        CompanySettings(
            rounding=body.unit_price_dp,
            line_amount_type=body.line_amount_type,
            options=options,
        ),
    )
    retried = retry_failed(uow, access.company_id, clock())
    return commit_answering(uow, _public(body, retried))
