"""Properties of Xero's arithmetic over many generated documents (pure, no HTTP)."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import DERANDOMIZE, EXAMPLES
from xero_sandbox.accounting import Ledger
from xero_sandbox.accounting.fields import Invalid
from xero_sandbox.accounting.invoices import plan_invoice

NOW = datetime(2026, 3, 2, tzinfo=UTC)
LEDGER = Ledger.demo(NOW, tenant_id="0f0e0d0c-0b0a-4908-8706-050403020100")

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=4)
quantity = st.decimals(min_value=Decimal("0"), max_value=Decimal("500"), places=4)
lines = st.lists(
    st.fixed_dictionaries(
        {
            "Description": st.just("x"),
            "Quantity": quantity,
            "UnitAmount": money,
            "AccountCode": st.sampled_from(["300", "400", "429"]),
            "TaxType": st.sampled_from(["INPUT2", "NONE", "TAX001", "GSTONIMPORTS"]),
        }
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None)
@given(
    lines=lines,
    amounts_type=st.sampled_from(["Exclusive", "Inclusive", "NoTax"]),
    unit_dp=st.sampled_from([2, 4]),
)
def test_totals_add_up_and_round_to_cents(
    lines: list[dict[str, Any]], amounts_type: str, unit_dp: int
) -> None:
    element = {"Type": "ACCPAY", "Contact": {"Name": "ABC Furniture"}, "Status": "DRAFT",
               "LineAmountTypes": amounts_type, "LineItems": lines}  # fmt: skip
    try:
        plan = plan_invoice(
            LEDGER, NOW, element, may_update=False, unit_dp=unit_dp, batch_numbers=set()
        )
    except Invalid as error:  # only a negative total may be refused here
        assert error.messages == ["Total must not be negative: raise a credit note instead"]
        return
    invoice = plan()
    del LEDGER.invoices[invoice["InvoiceID"]]
    cent = Decimal("0.01")
    for value in (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]):
        assert value == value.quantize(cent)
    assert invoice["SubTotal"] + invoice["TotalTax"] == invoice["Total"]
    assert invoice["TotalTax"] == sum(line["TaxAmount"] for line in invoice["LineItems"])
    amounts = sum(line["LineAmount"] for line in invoice["LineItems"])
    assert (invoice["Total"] if amounts_type == "Inclusive" else invoice["SubTotal"]) == amounts
    if amounts_type == "NoTax":
        assert invoice["TotalTax"] == 0
    assert invoice["AmountDue"] == invoice["Total"]


@settings(max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None)
@given(value=st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True),
                       st.booleans(), st.none(), st.lists(st.integers(), max_size=2)))  # fmt: skip
def test_any_field_value_gives_an_answer_not_a_crash(value: Any) -> None:
    for field in ("Quantity", "UnitAmount", "LineAmount", "DiscountRate", "TaxAmount"):
        element = {"Type": "ACCREC", "Contact": {"Name": "Boom FM"}, "Status": "DRAFT",
                   "LineItems": [{"AccountCode": "200", field: value}]}  # fmt: skip
        try:
            plan = plan_invoice(
                LEDGER, NOW, element, may_update=False, unit_dp=2, batch_numbers=set()
            )
        except Invalid as error:
            assert error.messages
            continue
        invoice = plan()
        del LEDGER.invoices[invoice["InvoiceID"]]
