"""Our totals of a sales invoice equal the totals Xero computes for the JSON we send it.

Random invoices (quantities, 2 or 4 dp unit prices, discounts, Exclusive / Inclusive /
NoTax, tax rates of one, two and three components, compound ones among them) are built
here, sent through the builders and the client to the sandbox over HTTP, and Xero's
``SubTotal``, ``TotalTax`` and ``Total`` compared with ours. A negative invoice goes as a
credit note, whose totals are ours turned round. Then a table of hand-picked edge cases.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgerlink.domain import Line, TaxRate
from tests.properties import DERANDOMIZE, EXAMPLES

from .billing import SALES, TAX_RATES, customer, make_tax_rates, sales_invoice, send_sale
from .conftest import Connected

AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")


@pytest.fixture
async def rates(in_process: Connected) -> dict[str, TaxRate]:
    return await make_tax_rates(in_process)


@pytest.fixture
async def contact_id(in_process: Connected) -> str:
    return await customer(in_process.client(), "Totals Ltd")


def line_of(rates: dict[str, TaxRate], tax_type: str | None, **fields: Any) -> Line:
    rate = rates[tax_type].rate if tax_type else None
    return Line(description="x", account_code=SALES, tax_type=tax_type, tax_rate=rate, **fields)


RATE_NAMES = [name for name, _ in TAX_RATES]


@st.composite
def invoices(draw: st.DrawFn) -> tuple[int, str, list[dict[str, Any]]]:
    """Unit dp, line amount type and lines (``rate`` names one of ``TAX_RATES``)."""
    unit_dp = draw(st.sampled_from([2, 4]))
    amounts = draw(st.sampled_from(AMOUNT_TYPES))
    lines = draw(
        st.lists(
            st.fixed_dictionaries({
                "quantity": st.one_of(
                    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(500), places=4),
                    st.integers(min_value=-20, max_value=20).map(Decimal),
                ),
                "unit_price": st.decimals(min_value=Decimal(0), max_value=Decimal(99999),
                                          places=unit_dp),
                "discount_rate": st.one_of(
                    st.none(),
                    st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2),
                ),
                "rate": st.one_of(st.none(), st.sampled_from(RATE_NAMES)),
            }),
            min_size=1, max_size=6,
        )
    )  # fmt: skip
    return unit_dp, amounts, lines


@settings(
    max_examples=EXAMPLES,
    derandomize=DERANDOMIZE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=invoices())
async def test_our_totals_equal_xeros_for_random_sales_invoices(
    in_process: Connected,
    rates: dict[str, TaxRate],
    contact_id: str,
    drawn: tuple[int, str, list[dict[str, Any]]],
) -> None:
    unit_dp, amounts, raw = drawn
    lines = []
    for fields in raw:
        rate = fields["rate"]
        numbers = {k: v for k, v in fields.items() if k != "rate"}
        lines.append(line_of(rates, _rate(rates, rate) if rate else None, **numbers))
    invoice = sales_invoice(lines, amounts, unit_dp=unit_dp)
    _, xero = await send_sale(in_process.client(), invoice, contact_id, status="DRAFT")
    assert xero.as_ours() == invoice.totals


def _rate(rates: dict[str, TaxRate], name_start: str) -> str:
    return next(t for t, r in rates.items() if r.name.startswith(name_start))


# (why, line amount type, [(quantity, unit price, discount %, tax rate name)], our total)
EDGES: list[tuple[str, str, list[tuple[str, str, str | None, str | None]], str]] = [
    ("half a cent of tax rounds away from zero, per line", "Exclusive",
     [("1", "0.10", None, "GST 15"), ("1", "0.10", None, "GST 15")], "0.24"),
    ("tax is rounded per line, not on the sum", "Exclusive",
     [("1", "10.03", None, "GST 15"), ("1", "0.07", None, "GST 15")], "11.61"),
    ("a 4 dp unit price: the line amount rounds to the cent", "Exclusive",
     [("3", "0.3333", None, "GST 15")], "1.15"),
    ("a half-cent line amount rounds up", "NoTax", [("1", "0.005", None, None)], "0.01"),
    ("a discount leaving half a cent", "Exclusive",
     [("1", "0.15", "50", "GST 15")], "0.09"),
    ("a 100 % discount is free", "Exclusive", [("2", "19.99", "100", "GST 15")], "0.00"),
    ("inclusive: the total is the line amounts", "Inclusive",
     [("1", "100.00", None, "GST 5 + QST"), ("1", "0.01", None, "GST 5 + QST")], "100.01"),
    ("compound rate of three components, exclusive", "Exclusive",
     [("7", "13.37", "3.5", "Levy"), ("0.0001", "99999.0000", None, "Levy")], "118.88"),
    ("two simple components add up", "Exclusive", [("1", "33.33", None, "GST 5 + PST")],
     "37.33"),
    ("a credit line below a sale", "Exclusive",
     [("2", "50.00", None, "GST 15"), ("-1", "20.00", None, "GST 15")], "92.00"),
    ("negative overall: sent as a credit note", "Inclusive",
     [("1", "10.00", None, "GST 15"), ("-3", "10.0050", None, "GST 15")], "-20.02"),
    ("a line without a tax type carries no tax, not the account's default", "Exclusive",
     [("1", "10.00", None, None), ("1", "10.00", None, "GST 15")], "21.50"),
    ("negative with a discount: credit notes take no discount", "Exclusive",
     [("1", "10.00", "10", "GST 15"), ("-3", "10.0050", "33.33", "GST 15")], "-12.66"),
    ("NoTax ignores the rate", "NoTax", [("3", "1.2345", None, "GST 15")], "3.70"),
]  # fmt: skip


@pytest.mark.parametrize(("amounts", "rows", "total"), [e[1:] for e in EDGES],
                         ids=[e[0] for e in EDGES])  # fmt: skip
async def test_edge_cases_total_as_xero_does(
    in_process: Connected,
    rates: dict[str, TaxRate],
    contact_id: str,
    amounts: str,
    rows: list[tuple[str, str, str | None, str | None]],
    total: str,
) -> None:
    lines = [
        line_of(
            rates,
            _rate(rates, rate) if rate else None,
            quantity=Decimal(quantity),
            unit_price=Decimal(price),
            discount_rate=Decimal(discount) if discount else None,
        )
        for quantity, price, discount, rate in rows
    ]
    invoice = sales_invoice(lines, amounts)
    assert invoice.total == Decimal(total)
    _, xero = await send_sale(in_process.client(), invoice, contact_id)
    assert xero.as_ours() == invoice.totals
