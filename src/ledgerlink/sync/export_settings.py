"""Saving a company's export settings: stored, then failed documents retried under them
(a default account or a status may be exactly what Xero was missing)."""

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from ledgerlink.store.records import CompanySettings
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.manual import retry_failed
from ledgerlink.sync.imports import REFRESH_SETTING
from ledgerlink.xero.outbound.settings import OPTIONS_KEY, ExportSettings, export_settings


def current_export_settings(uow: SqlUnitOfWork, company_id: UUID) -> ExportSettings | None:
    """The company's export settings, or None when there is no such company."""
    company = uow.companies.get(company_id)
    if company is None:
        return None
    stored = company.settings
    return export_settings(stored.rounding, stored.line_amount_type, stored.options)


def save_export_settings(
    uow: SqlUnitOfWork, company_id: UUID, chosen: ExportSettings, now: datetime
) -> int | None:
    """Store ``chosen`` and retry the failed documents; how many were retried (None: no
    such company). The caller commits."""
    company = uow.companies.get(company_id)
    if company is None:
        return None
    options: dict[str, Any] = {**company.settings.options, OPTIONS_KEY: chosen.options_json()}
    uow.companies.update_settings(
        company_id,
        CompanySettings(
            rounding=chosen.unit_price_dp,
            line_amount_type=chosen.line_amount_type,
            options=options,
        ),
    )
    return retry_failed(uow, company_id, now)


def refresh_minutes(uow: SqlUnitOfWork, company_id: UUID) -> int:
    """How often the worker refreshes what was imported from Xero (0: only on demand)."""
    company = uow.companies.get(company_id)
    found = company.settings.options.get(REFRESH_SETTING) if company else None
    return found if isinstance(found, int) and found > 0 else 0


def set_refresh_minutes(uow: SqlUnitOfWork, company_id: UUID, minutes: int) -> None:
    """Refresh every ``minutes`` (0 turns scheduled refreshes off). The caller commits."""
    company = uow.companies.get(company_id)
    if company is None:
        return
    options = {**company.settings.options, REFRESH_SETTING: minutes}
    uow.companies.update_settings(company_id, replace(company.settings, options=options))
