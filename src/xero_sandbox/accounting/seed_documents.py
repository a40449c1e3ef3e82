"""The demo company's documents: bills, sales invoices, credit notes, purchase orders and
payments in every status, made through the same rules as the API."""

from datetime import datetime, timedelta
from typing import Any

from xero_sandbox.accounting.bank_transactions import plan_bank_transaction
from xero_sandbox.accounting.credit_notes import plan_credit_note
from xero_sandbox.accounting.invoices import plan_invoice
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.payments import plan_payment
from xero_sandbox.accounting.purchase_orders import plan_purchase_order
from xero_sandbox.accounting.settlement import CREDIT_NOTE, allocate, plan_allocation


def _line(description: str, amount: str, account: str, tax: str, quantity: int = 1) -> Record:
    return {"Description": description, "Quantity": quantity, "UnitAmount": amount,
            "AccountCode": account, "TaxType": tax}  # fmt: skip


def seed_documents(ledger: Ledger, now: datetime) -> None:
    """Add the demo documents; no webhook events are left behind."""
    today = now.date()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    def invoice(type_: str, contact: str, lines: list[Record], status: str, **extra: Any) -> Record:
        element = {"Type": type_, "Contact": {"Name": contact}, "Date": day(-20),
                   "DueDate": day(10), "LineItems": lines, "Status": status, **extra}  # fmt: skip
        return plan_invoice(
            ledger, now, element, may_update=False, unit_dp=2, batch_numbers=set()
        )()

    def change(record: Record, status: str) -> None:
        element = {"InvoiceID": record["InvoiceID"], "Status": status}
        plan_invoice(ledger, now, element, may_update=True, unit_dp=2, batch_numbers=set())()

    def pay(record: Record, amount: str) -> None:
        element = {"Invoice": {"InvoiceID": record["InvoiceID"]}, "Account": {"Code": "090"},
                   "Date": day(-5), "Amount": amount}  # fmt: skip
        plan_payment(ledger, now, element)()

    invoice("ACCPAY", "ABC Furniture", [_line("Oak desks", "320.00", "630", "INPUT2", 2)], "DRAFT",
            InvoiceNumber="AF-1182")  # fmt: skip
    invoice("ACCPAY", "PowerDirect", [_line("Electricity", "245.50", "445", "INPUT2")], "SUBMITTED",
            InvoiceNumber="PD-20931")  # fmt: skip
    invoice("ACCPAY", "Net Connect", [_line("Fibre broadband", "89.00", "489", "INPUT2")],
            "AUTHORISED", InvoiceNumber="NC-5521")  # fmt: skip
    rent = invoice("ACCPAY", "Truxton Property Management",
                   [_line("Office rent", "2000.00", "469", "INPUT2")], "AUTHORISED",
                   InvoiceNumber="RENT-03")  # fmt: skip
    pay(rent, "1000.00")
    cab = invoice("ACCPAY", "Capital Cab Co", [_line("Taxi fares", "45.20", "493", "INPUT2")],
                  "AUTHORISED", InvoiceNumber="CC-778")  # fmt: skip
    pay(cab, str(cab["Total"]))
    parking = invoice("ACCPAY", "Melrose Parking", [_line("Parking", "30.00", "449", "INPUT2")],
                      "AUTHORISED")  # fmt: skip
    change(parking, "VOIDED")
    video = invoice("ACCPAY", "Hoyt Productions",
                    [_line("Video shoot", "1500.00", "400", "INPUT2")], "DRAFT")  # fmt: skip
    change(video, "DELETED")

    invoice(
        "ACCREC", "Bayside Club", [_line("Installation", "95.00", "200", "OUTPUT2", 3)], "DRAFT"
    )
    invoice("ACCREC", "Ridgeway University", [_line("A4 paper", "34.95", "200", "OUTPUT2", 20)],
            "SUBMITTED")  # fmt: skip
    invoice("ACCREC", "Boom FM", [{**_line("Ergonomic chairs", "259.00", "200", "OUTPUT2", 4),
                                   "DiscountRate": 10}], "AUTHORISED")  # fmt: skip
    limo = invoice("ACCREC", "City Limousines", [_line("Oak desk", "549.00", "200", "OUTPUT2")],
                   "AUTHORISED")  # fmt: skip
    pay(limo, str(limo["Total"]))
    marine = invoice("ACCREC", "Marine Systems", [_line("Toner", "89.00", "200", "OUTPUT2", 5)],
                     "AUTHORISED")  # fmt: skip
    rex = invoice("ACCREC", "Rex Media Group", [_line("Delivery", "25.00", "200", "OUTPUT2")],
                  "AUTHORISED")  # fmt: skip
    change(rex, "VOIDED")

    refund = plan_credit_note(
        ledger, now,
        {"Type": "ACCRECCREDIT", "Contact": {"Name": "Marine Systems"}, "Date": day(-10),
         "LineItems": [_line("Returned toner", "89.00", "200", "OUTPUT2")], "Status": "AUTHORISED"},
        may_update=False, unit_dp=2,
    )()  # fmt: skip
    allocation = plan_allocation(
        ledger, CREDIT_NOTE, refund,
        {"Invoice": {"InvoiceID": marine["InvoiceID"]}, "Amount": str(refund["Total"]),
         "Date": day(-10)},
        now,
    )  # fmt: skip
    allocate(ledger, CREDIT_NOTE, refund, allocation, now)
    plan_credit_note(
        ledger, now,
        {"Type": "ACCPAYCREDIT", "Contact": {"Name": "Office Supplies Direct"}, "Date": day(-8),
         "LineItems": [_line("Damaged chairs", "145.50", "300", "INPUT2")], "Status": "AUTHORISED"},
        may_update=False, unit_dp=2,
    )()  # fmt: skip

    for status, contact in (("DRAFT", "Office Supplies Direct"), ("AUTHORISED", "ABC Furniture"),
                            ("SUBMITTED", "SMART Agency")):  # fmt: skip
        plan_purchase_order(
            ledger, now,
            {"Contact": {"Name": contact}, "Date": day(-3), "DeliveryDate": day(7),
             "LineItems": [_line("Office chairs", "145.50", "630", "INPUT2", 6)],
             "DeliveryInstructions": "Deliver to reception, level 2.", "Status": status},
            may_update=False, unit_dp=2, batch_numbers=set(),
        )()  # fmt: skip

    plan_bank_transaction(
        ledger, now,
        {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"Name": "Young Bros Transport"},
         "BankAccount": {"Code": "090"}, "Date": day(-2),
         "LineItems": [{"Description": "Paid twice", "LineAmount": "100.00"}]},
        2,
    )()  # fmt: skip
    ledger.drain_events()
