"""`/TaxRates`: the organisation's tax rates, with components and where they may be used."""

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of, query_param
from xero_sandbox.accounting.fields import Problems, boolean, decimal, text
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import where_and_order
from xero_sandbox.accounting.seed_reference import tax_rate_record
from xero_sandbox.accounting.wire import bad_request, envelope, not_found

_APPLIES_TO = (
    "CanApplyToAssets",
    "CanApplyToEquity",
    "CanApplyToExpenses",
    "CanApplyToLiabilities",
    "CanApplyToRevenue",
)


def _components(element: dict[str, Any], problems: Problems) -> list[tuple[str, str, bool]]:
    raw = element.get("TaxComponents")
    if not isinstance(raw, list) or not raw:
        problems.add('TaxComponents is required: e.g. [{"Name": "GST", "Rate": 15}]')
        return []
    components: list[tuple[str, str, bool]] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.add(f"TaxComponents[{index}] must be an object with Name and Rate")
            continue
        name = text(item, "Name", problems) or ""
        rate = decimal(item, "Rate", problems)
        if not name or rate is None:
            problems.add(f"TaxComponents[{index}] needs a Name and a Rate")
            continue
        if rate < 0 or rate > 100:
            problems.add(f"TaxComponents[{index}].Rate must be between 0 and 100; got {rate}")
        components.append((name, str(rate), bool(boolean(item, "IsCompound", problems))))
    return components


def plan_save(ledger: Ledger, element: dict[str, Any], create: bool) -> Plan:
    """PUT creates a rate (TaxType `TAX00n`); POST updates the rate named by TaxType/Name."""
    problems = Problems()
    name = text(element, "Name", problems, max_length=50)
    tax_type = text(element, "TaxType", problems)
    existing: Record | None = None
    if not create:
        existing = ledger.tax_rates.get(tax_type or "") or next(
            (r for r in ledger.tax_rates.values() if r["Name"] == name), None
        )
    if not name and existing is None:
        problems.add("Name is required: give the tax rate a name")
    clash = next(
        (r for r in ledger.tax_rates.values() if name and r["Name"].lower() == name.lower()), None
    )
    if clash is not None and clash is not existing:
        problems.add(f"A tax rate named '{name}' already exists; choose another name")
    components = (
        _components(element, problems)
        if existing is None or "TaxComponents" in element
        else [(c["Name"], str(c["Rate"]), c["IsCompound"]) for c in existing["TaxComponents"]]
    )
    status = text(element, "Status", problems)
    if status not in (None, "ACTIVE", "DELETED", "ARCHIVED"):
        problems.add(f"Status {status!r} is not valid: use ACTIVE, ARCHIVED or DELETED")
    problems.check()

    def save() -> Record:
        applies = {
            key: element.get(key, existing[key] if existing else True) is not False
            for key in _APPLIES_TO
        }
        if existing is None:
            number = len([t for t in ledger.tax_rates if t.startswith("TAX")]) + 1
            new_type = f"TAX{number:03d}"
            while new_type in ledger.tax_rates:
                number += 1
                new_type = f"TAX{number:03d}"
            row = (new_type, name or "", "INPUT", "ACTIVE", components, applies)
            return ledger.add("TaxRates", tax_rate_record(row))
        row = (
            existing["TaxType"],
            name or existing["Name"],
            existing["ReportTaxType"],
            status or existing["Status"],
            components,
            applies,
        )
        existing.update(tax_rate_record(row))
        return existing

    return save


async def list_tax_rates(request: Request) -> Response:
    ledger = ledger_of(request)
    records = list(ledger.tax_rates.values())
    tax_type = query_param(request, "TaxType")
    if tax_type:
        records = [r for r in records if r["TaxType"] == tax_type]
    try:
        records = where_and_order(request, records)
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("TaxRates", records, now_of(request))


async def get_tax_rate(request: Request) -> Response:
    record = ledger_of(request).tax_rates.get(request.path_params["TaxType"])
    if record is None:
        return not_found()
    return envelope("TaxRates", [record], now_of(request))


def _saver(ledger: Ledger, create: bool) -> Callable[[dict[str, Any]], Plan]:
    return lambda element: plan_save(ledger, element, create)


async def create_tax_rates(request: Request) -> Response:
    now = now_of(request)
    return await run_batch(request, "TaxRates", _saver(ledger_of(request), True), now)


async def update_tax_rates(request: Request) -> Response:
    now = now_of(request)
    return await run_batch(request, "TaxRates", _saver(ledger_of(request), False), now)


def routes() -> list[Route]:
    return [
        Route("/TaxRates", list_tax_rates, methods=["GET"]),
        Route("/TaxRates", create_tax_rates, methods=["PUT"]),
        Route("/TaxRates", update_tax_rates, methods=["POST"]),
        Route("/TaxRates/{TaxType}", get_tax_rate, methods=["GET"]),
    ]
