"""Settings: what goes to Xero, in which status, rounding, line amounts, default
accounts and tax (drop-downs of what was imported), and the refresh interval."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from ledgerlink.domain.money import LineAmountType
from ledgerlink.sync.export_settings import (
    current_export_settings,
    refresh_minutes,
    save_export_settings,
    set_refresh_minutes,
)
from ledgerlink.web.auth import AdminPageDep, CompanyPageDep, UowDep
from ledgerlink.web.render import redirect, render
from ledgerlink.xero.outbound.settings import DocumentsToSend, ExportSettings

router = APIRouter()

FIELDS = (
    "documents",
    "purchase_order_status",
    "bill_status",
    "unit_price_dp",
    "line_amount_type",
    "default_account_code",
    "default_tax_type",
    "shipping_account_code",
)
REFRESH_CHOICES = {0: "only when asked", 15: "every 15 minutes", 60: "every hour",
                   360: "every 6 hours", 1440: "every day"}  # fmt: skip
STATUS_CHOICES = {"DRAFT": "Draft", "SUBMITTED": "Awaiting approval", "AUTHORISED": "Approved"}
LINE_AMOUNT_CHOICES = {
    LineAmountType.EXCLUSIVE.value: "Tax exclusive",
    LineAmountType.INCLUSIVE.value: "Tax inclusive",
    LineAmountType.NO_TAX.value: "No tax",
}
DOCUMENT_CHOICES = {
    DocumentsToSend.BOTH.value: "Purchase orders and bills",
    DocumentsToSend.PURCHASE_ORDERS.value: "Purchase orders only",
    DocumentsToSend.BILLS.value: "Bills only",
    DocumentsToSend.NONE.value: "Nothing (paused)",
}


def _render(
    request: Request,
    page: CompanyPageDep,
    uow: UowDep,
    values: dict[str, Any],
    errors: dict[str, str],
    refresh: int,
) -> Response:
    company_id = page.company_id
    accounts = uow.accounts.list(company_id, status="ACTIVE", limit=1000)
    context = {
        "current": "Settings",
        "values": values,
        "errors": errors,
        "refresh": refresh,
        "refresh_choices": REFRESH_CHOICES,
        "status_choices": STATUS_CHOICES,
        "document_choices": DOCUMENT_CHOICES,
        "line_amount_types": LINE_AMOUNT_CHOICES,
        "account_choices": {a.code: f"{a.code} · {a.name}" for a in accounts},
        "tax_choices": {
            t.tax_type: f"{t.name} ({t.rate}%)"
            for t in uow.tax_rates.list(company_id, status="ACTIVE", limit=1000)
        },
        "caveats": ExportSettings.model_validate(values).caveats() if not errors else [],
        "retried": request.query_params.get("retried", ""),
    }
    return render(request, "settings.html", context, status=422 if errors else 200)


@router.get("/companies/{company_id}/settings")
def settings_page(request: Request, page: CompanyPageDep, uow: UowDep) -> Response:
    current = current_export_settings(uow, page.company_id) or ExportSettings()
    values = current.model_dump(mode="json")
    return _render(request, page, uow, values, {}, refresh_minutes(uow, page.company_id))


@router.post("/companies/{company_id}/settings")
async def save_settings(request: Request, page: AdminPageDep, uow: UowDep) -> Response:
    form = await request.form()
    values: dict[str, Any] = {
        name: str(form.get(name, "")) for name in FIELDS if isinstance(form.get(name, ""), str)
    }
    if values.get("unit_price_dp", "").isdigit():
        values["unit_price_dp"] = int(values["unit_price_dp"])
    raw_refresh = str(form.get("refresh_minutes", "0"))
    refresh = int(raw_refresh) if raw_refresh.isdigit() else -1
    errors: dict[str, str] = {}
    if refresh not in REFRESH_CHOICES:
        errors["refresh_minutes"] = "choose one of the intervals offered"
    try:
        chosen = ExportSettings.model_validate(values)
    except ValidationError as invalid:
        for error in invalid.errors():
            field = ".".join(str(part) for part in error["loc"]) or "settings"
            errors[field] = error["msg"]
    if errors:
        return _render(request, page, uow, values, errors, max(refresh, 0))
    retried = save_export_settings(uow, page.company_id, chosen, request.app.state.clock())
    set_refresh_minutes(uow, page.company_id, refresh)
    uow.commit()
    return redirect(
        request, f"/companies/{page.company_id}/settings?done=saved&retried={retried or 0}"
    )
