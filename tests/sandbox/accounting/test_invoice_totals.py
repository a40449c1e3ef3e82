"""Totals worked by hand, as Xero computes them: per-line tax rounded half away from zero."""

from typing import Any

import pytest

from .builders import bill, line, sale
from .conftest import XeroApi


async def _create(api: XeroApi, body: dict[str, Any], **params: str) -> dict[str, Any]:
    response = await api.put("/Invoices", {"Invoices": [body]}, params=params)
    assert response.status_code == 200, response.text
    invoice: dict[str, Any] = response.json()["Invoices"][0]
    return invoice


@pytest.mark.parametrize(
    ("body", "params", "expected"),
    [
        # 3 × 12.35 = 37.05, tax 5.5575 → 5.56; 9.99, tax 1.4985 → 1.50.
        (bill("ABC Furniture", line("12.35", 3), line("9.99")), {}, ("47.04", "7.06", "54.10")),
        # Three lines of 0.10: tax 0.015 → 0.02 each, so 0.06 (not 0.045 → 0.05 on the total).
        (bill("ABC Furniture", line("0.10"), line("0.10"), line("0.10")), {},
         ("0.30", "0.06", "0.36")),
        # 0.30 × 15% = 0.045 rounds half away from zero to 0.05 (half-even would give 0.04).
        (bill("ABC Furniture", line("0.30")), {}, ("0.30", "0.05", "0.35")),
        # Inclusive: 115.00 holds 15.00 tax; 10.00 holds 10 × 15 / 115 = 1.3043 → 1.30.
        (bill("ABC Furniture", line("115.00"), line("10.00"), LineAmountTypes="Inclusive"), {},
         ("108.70", "16.30", "125.00")),
        # NoTax: no tax whatever the line's tax type.
        (bill("ABC Furniture", line("80.00", 2), LineAmountTypes="NoTax"), {},
         ("160.00", "0.00", "160.00")),
        # Compound TAX001: 5% levy then 15% GST on amount plus levy = 20.75%.
        (bill("ABC Furniture", line("100.00", tax="TAX001"), line("33.33", tax="TAX001")), {},
         ("133.33", "27.67", "161.00")),
        # 2 dp unit prices by default: 1.23456 → 1.23, × 3 = 3.69.
        (bill("ABC Furniture", line("1.23456", 3)), {}, ("3.69", "0.55", "4.24")),
        # unitdp=4: 1.23456 → 1.2346, × 3 = 3.7038 → 3.70.
        (bill("ABC Furniture", line("1.23456", 3)), {"unitdp": "4"}, ("3.70", "0.56", "4.26")),
        # Sales discount: 2 × 49.99 = 99.98 less 12.5% = 87.4825 → 87.48; tax 13.122 → 13.12.
        (sale("Boom FM", line("49.99", 2, account="200", tax="OUTPUT2", DiscountRate=12.5)), {},
         ("87.48", "13.12", "100.60")),
        # A given LineAmount is accepted as sent.
        (bill("ABC Furniture", {"Description": "Fee", "LineAmount": 42.5, "AccountCode": "404",
                                "TaxType": "NONE"}), {}, ("42.50", "0.00", "42.50")),
    ],
    ids=["exclusive", "per-line-rounding", "half-away-from-zero", "inclusive", "no-tax",
         "compound", "unit-2dp", "unit-4dp", "discount", "given-line-amount"],
)  # fmt: skip
async def test_totals(
    api: XeroApi, body: dict[str, Any], params: dict[str, str], expected: tuple[str, str, str]
) -> None:
    invoice = await _create(api, body, **params)
    got = (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"])
    assert tuple(f"{value:.2f}" for value in got) == expected
    assert invoice["AmountDue"] == invoice["Total"]
    assert invoice["AmountPaid"] == invoice["AmountCredited"] == 0


async def test_discount_amount_and_total_discount_are_reported(api: XeroApi) -> None:
    invoice = await _create(
        api, sale("Boom FM", line("49.99", 2, account="200", tax="OUTPUT2", DiscountRate=12.5))
    )
    (only,) = invoice["LineItems"]
    assert (only["LineAmount"], only["DiscountAmount"], only["TaxAmount"]) == (87.48, 12.5, 13.12)
    assert invoice["TotalDiscount"] == 12.5 and invoice["IsDiscounted"] is True


async def test_item_code_fills_price_account_and_tax(api: XeroApi) -> None:
    invoice = await _create(
        api, bill("ABC Furniture", {"ItemCode": "TONER-BK", "Quantity": 4}), **{"unitdp": "4"}
    )
    (only,) = invoice["LineItems"]
    assert (only["UnitAmount"], only["AccountCode"], only["TaxType"]) == (58.125, "300", "INPUT2")
    assert only["LineAmount"] == 232.5 and only["Description"] == "Black toner cartridge"


async def test_wire_format_dates_and_tracking(api: XeroApi) -> None:
    body = bill(
        "ABC Furniture",
        line("10.00", Tracking=[{"Name": "Region", "Option": "North"},
                                {"Name": "department", "Option": "sales"}]),
    )  # fmt: skip
    invoice = await _create(api, body)
    assert invoice["Date"] == "/Date(1772323200000+0000)/"
    assert invoice["DateString"] == "2026-03-01T00:00:00"
    assert invoice["DueDateString"] == "2026-03-31T00:00:00"
    tracking = invoice["LineItems"][0]["Tracking"]
    assert [(t["Name"], t["Option"]) for t in tracking] == [
        ("Region", "North"),
        ("Department", "Sales"),
    ]
    assert all(t["TrackingCategoryID"] and t["TrackingOptionID"] for t in tracking)


async def test_net_dates_are_accepted_in(api: XeroApi) -> None:
    invoice = await _create(api, bill(Date="/Date(1772323200000+0000)/"))
    assert invoice["DateString"] == "2026-03-01T00:00:00"


async def test_get_shows_unit_amounts_at_2dp_unless_unitdp_4(api: XeroApi) -> None:
    invoice = await _create(api, bill("ABC Furniture", line("1.23456", 3)), unitdp="4")
    path = f"/Invoices/{invoice['InvoiceID']}"
    plain = (await api.get(path)).json()["Invoices"][0]["LineItems"][0]
    precise = (await api.get(path, params={"unitdp": "4"})).json()["Invoices"][0]["LineItems"][0]
    assert (plain["UnitAmount"], precise["UnitAmount"]) == (1.23, 1.2346)
    assert plain["LineAmount"] == precise["LineAmount"] == 3.7


async def test_expected_and_planned_payment_dates_are_dates(api: XeroApi) -> None:
    receivable = await _create(api, sale(ExpectedPaymentDate="2026-03-20"))
    payable = await _create(api, bill(PlannedPaymentDate="2026-03-25"))
    assert receivable["ExpectedPaymentDate"] == "/Date(1773964800000+0000)/"
    assert payable["PlannedPaymentDate"] == "/Date(1774396800000+0000)/"
