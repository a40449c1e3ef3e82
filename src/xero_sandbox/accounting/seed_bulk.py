"""Many records at once, for benchmarks: contacts, items and bills."""

from datetime import datetime
from decimal import Decimal

from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.totals import EXCLUSIVE, document_totals, line_amount, line_tax


def bulk_contact(number: int, now: datetime) -> Record:
    """A supplier named `Bulk Supplier 000001` (numbered so names stay unique)."""
    return {
        "ContactID": new_id(),
        "ContactNumber": f"BULK-{number:06d}",
        "ContactStatus": "ACTIVE",
        "Name": f"Bulk Supplier {number:06d}",
        "EmailAddress": f"accounts{number}@bulk-supplier.example",
        "Addresses": [],
        "Phones": [],
        "IsSupplier": True,
        "IsCustomer": False,
        "UpdatedDateUTC": now,
        "ContactGroups": [],
        "ContactPersons": [],
        "HasAttachments": False,
        "HasValidationErrors": False,
    }


def bulk_item(number: int, now: datetime) -> Record:
    """A purchased and sold item `BULK-000001`."""
    return {
        "ItemID": new_id(),
        "Code": f"BULK-{number:06d}",
        "Name": f"Bulk item {number:06d}",
        "Description": f"Bulk item {number:06d}",
        "PurchaseDescription": f"Bulk item {number:06d}",
        "IsSold": True,
        "IsPurchased": True,
        "IsTrackedAsInventory": False,
        "PurchaseDetails": {
            "UnitPrice": Decimal("10.00"),
            "AccountCode": "300",
            "TaxType": "INPUT2",
        },
        "SalesDetails": {"UnitPrice": Decimal("15.00"), "AccountCode": "200", "TaxType": "OUTPUT2"},
        "UpdatedDateUTC": now,
    }


def seed_bulk(
    ledger: Ledger, now: datetime, contacts: int = 0, items: int = 0, bills: int = 0
) -> dict[str, int]:
    """Add the given numbers of contacts, items and bills; returns what was added."""
    start = ledger.counters.get("bulk-contact", 0)
    for number in range(start + 1, start + contacts + 1):
        ledger.add_contact(bulk_contact(number, now))
    ledger.counters["bulk-contact"] = start + contacts
    start = ledger.counters.get("bulk-item", 0)
    for number in range(start + 1, start + items + 1):
        ledger.add("Items", bulk_item(number, now))
    ledger.counters["bulk-item"] = start + items
    suppliers = [c for c in ledger.contacts.values() if c.get("IsSupplier")] or list(
        ledger.contacts.values()
    )
    if bills and not suppliers:
        raise ValueError("seed_bulk: bills need at least one contact; pass contacts=1 or more")
    for number in range(bills):
        contact = suppliers[number % len(suppliers)]
        bill = bulk_bill(ledger.counters.get("bulk-bill", 0) + 1, contact, now)
        ledger.counters["bulk-bill"] = ledger.counters.get("bulk-bill", 0) + 1
        ledger.add("Invoices", bill)
    return {"contacts": contacts, "items": items, "bills": bills}


def bulk_bill(number: int, contact: Record, now: datetime) -> Record:
    """An approved bill of one line (account 300, GST 15% exclusive)."""
    quantity = Decimal(1 + number % 7)
    unit_amount = Decimal("12.35")
    amount = line_amount(quantity, unit_amount, None)
    tax = line_tax(amount, Decimal(15), EXCLUSIVE)
    totals = document_totals([amount], [tax], EXCLUSIVE)
    return {
        "Type": "ACCPAY",
        "InvoiceID": new_id(),
        "InvoiceNumber": f"BULK-BILL-{number:06d}",
        "Reference": "",
        "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]},
        "Date": now.date(),
        "DueDate": now.date(),
        "LineAmountTypes": EXCLUSIVE,
        "LineItems": [
            {
                "LineItemID": new_id(),
                "Description": "Bulk goods",
                "Quantity": quantity,
                "UnitAmount": unit_amount,
                "AccountCode": "300",
                "TaxType": "INPUT2",
                "TaxAmount": tax,
                "LineAmount": amount,
                "Tracking": [],
            }
        ],
        "CurrencyCode": "NZD",
        "CurrencyRate": Decimal(1),
        "Status": "AUTHORISED",
        "SubTotal": totals.sub_total,
        "TotalTax": totals.total_tax,
        "Total": totals.total,
        "TotalDiscount": Decimal("0.00"),
        "AmountDue": totals.total,
        "AmountPaid": Decimal("0.00"),
        "AmountCredited": Decimal("0.00"),
        "HasAttachments": False,
        "IsDiscounted": False,
        "Payments": [],
        "CreditNotes": [],
        "Prepayments": [],
        "Overpayments": [],
        "UpdatedDateUTC": now,
    }
