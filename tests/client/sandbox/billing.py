"""What the billing tests against the sandbox share: compound tax rates made in the sandbox
and imported as the product imports them, and domain sales invoices sent through the
builders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledgerlink.domain import Line, SalesInvoice, TaxRate, Totals
from ledgerlink.xero.inbound.reference import tax_rate_from_xero
from ledgerlink.xero.outbound.lines import LineDefaults, unitdp_for
from ledgerlink.xero.outbound.sales import credit_note_json, sales_invoice_json
from xero_client import Contact, XeroClient, dump_json, load_json
from xero_sandbox import DEMO_TENANT_ID

from .conftest import Connected

COMPANY = UUID("00000000-0000-4000-8000-000000000001")
CUSTOMER = UUID("00000000-0000-4000-8000-0000000000c1")
MARCH_2 = dt.date(2026, 3, 2)
SALES = "200"
BANK = "090"
DEFAULTS = LineDefaults(account_code=SALES)

# (name, [(component, rate, compound)]): simple, several simple, compound, three parts.
TAX_RATES: tuple[tuple[str, list[tuple[str, str, bool]]], ...] = (
    ("GST 15", [("GST", "15", False)]),
    ("GST 5 + PST 7", [("GST", "5", False), ("PST", "7", False)]),
    ("GST 5 + QST 9.975 compound", [("GST", "5", False), ("QST", "9.975", True)]),
    ("Levy 2.5 + State 6.35 + City 8.875 compound",
     [("Levy", "2.5", False), ("State", "6.35", False), ("City", "8.875", True)]),
    ("Zero", [("Zero", "0", False)]),
)  # fmt: skip


async def raw_put(connected: Connected, path: str, body: Any) -> Any:
    """A write the typed client has no call for (e.g. tax rates), as Xero receives it."""
    token = await connected.tokens.access_token()
    response = await connected.http.put(
        f"{connected.endpoints.api_url}{path}",
        content=dump_json(body),
        headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID,
                 "Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return load_json(response.content)


async def make_tax_rates(connected: Connected) -> dict[str, TaxRate]:
    """The test tax rates created in the sandbox, then imported (Xero's effective rate)."""
    await raw_put(connected, "/TaxRates", {"TaxRates": [
        {"Name": name, "TaxComponents": [
            {"Name": part, "Rate": Decimal(rate), "IsCompound": compound}
            for part, rate, compound in components
        ]} for name, components in TAX_RATES
    ]})  # fmt: skip
    names = {name for name, _ in TAX_RATES}
    listed = await connected.client().list_tax_rates()
    imported = [tax_rate_from_xero(rate) for rate in listed if rate.name in names]
    return {rate.tax_type: rate for rate in imported}


async def customer(client: XeroClient, name: str) -> str:
    (created,) = await client.create_contacts([Contact(name=name, is_customer=True)])
    assert created.ok and created.id is not None, created.errors
    return created.id


def sales_invoice(
    lines: Sequence[Line], amounts: str = "Exclusive", *, unit_dp: int = 4, **fields: Any
) -> SalesInvoice:
    return SalesInvoice(
        company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2, due_date=dt.date(2026, 3, 31),
        currency="NZD", line_amount_type=amounts, lines=tuple(lines), unit_dp=unit_dp,
        **fields,
    )  # fmt: skip


@dataclass(frozen=True)
class XeroTotals:
    """What Xero computed for a document sent there, and its sign (-1: a credit note)."""

    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    sign: int

    def as_ours(self) -> Totals:
        """Xero's totals in our terms (a credit note's turned back round)."""
        return Totals(self.sign * self.sub_total, self.sign * self.total_tax,
                      self.sign * self.total)  # fmt: skip


async def send_sale(
    client: XeroClient, invoice: SalesInvoice, contact_id: str, status: str = "AUTHORISED"
) -> tuple[str, XeroTotals]:
    """Send the invoice (a negative one as a credit note); its Xero id and Xero's totals."""
    unitdp = unitdp_for(invoice.lines)
    if invoice.is_negative:
        note = credit_note_json(invoice, contact_id=contact_id, status=status, defaults=DEFAULTS)
        (result,) = await client.create_credit_notes([note], unitdp=unitdp)
        sign = -1
    else:
        built = sales_invoice_json(invoice, contact_id=contact_id, status=status, defaults=DEFAULTS)
        (result,) = await client.create_invoices([built], unitdp=unitdp)  # type: ignore[assignment]
        sign = 1
    assert result.ok and result.id and result.element is not None, result.errors
    element = result.element
    assert element.sub_total is not None and element.total_tax is not None
    assert element.total is not None
    return result.id, XeroTotals(element.sub_total, element.total_tax, element.total, sign)
