"""`/companies/{company_id}/xero/settings`: what is sent to Xero and how (admins only)."""

from fastapi import APIRouter
from pydantic import Field

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import AdminDep, ClockDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.sync.export_settings import current_export_settings, save_export_settings
from ledgerlink.xero.outbound.settings import ExportSettings

router = APIRouter(prefix="/companies/{company_id}/xero", tags=["xero"])


class ExportSettingsPublic(ExportSettings):
    """The settings, with what a person should know about them."""

    notes: list[str] = Field(default_factory=list)
    retried: int = 0


def _public(settings: ExportSettings, retried: int = 0) -> ExportSettingsPublic:
    return ExportSettingsPublic(**settings.model_dump(), notes=settings.caveats(), retried=retried)


@router.get("/settings", summary="The company's export settings")
def get_settings(access: AdminDep, uow: UowDep) -> ExportSettingsPublic:
    settings = current_export_settings(uow, access.company_id)
    if settings is None:
        raise not_found(f"company {access.company_id}")
    return _public(settings)


@router.put(
    "/settings",
    summary="Replace the export settings; failed documents are retried under them",
)
def put_settings(
    body: ExportSettings, access: AdminDep, uow: UowDep, clock: ClockDep
) -> ExportSettingsPublic:
    retried = save_export_settings(uow, access.company_id, body, clock())
    if retried is None:
        raise not_found(f"company {access.company_id}")
    return commit_answering(uow, _public(body, retried))
