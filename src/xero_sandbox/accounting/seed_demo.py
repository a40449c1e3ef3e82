"""The demo organisation, "Demo Company (Sandbox)"."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from xero_sandbox.accounting.contacts import new_contact_record
from xero_sandbox.accounting.ids import short_code, stable_id
from xero_sandbox.accounting.ledger import Ledger
from xero_sandbox.accounting.seed_documents import seed_documents
from xero_sandbox.accounting.seed_reference import organisation_record, seed_reference

DEMO_NAME = "Demo Company (Sandbox)"

# (name, contact number, supplier?, customer?, archived?)
DEMO_CONTACTS: list[tuple[str, str, bool, bool, bool]] = [
    ("ABC Furniture", "SUP-001", True, False, False),
    ("Capital Cab Co", "SUP-002", True, False, False),
    ("Hoyt Productions", "SUP-003", True, False, False),
    ("Melrose Parking", "SUP-004", True, False, False),
    ("PowerDirect", "SUP-005", True, False, False),
    ("SMART Agency", "SUP-006", True, False, False),
    ("Swanston Security", "SUP-007", True, False, False),
    ("Truxton Property Management", "SUP-008", True, False, False),
    ("Net Connect", "SUP-009", True, False, False),
    ("Office Supplies Direct", "SUP-010", True, True, False),
    ("Bayside Club", "CUS-001", False, True, False),
    ("Boom FM", "CUS-002", False, True, False),
    ("City Limousines", "CUS-003", False, True, False),
    ("Marine Systems", "CUS-004", False, True, False),
    ("Ridgeway University", "CUS-005", False, True, False),
    ("Port & Philip Freight", "CUS-006", False, True, False),
    ("Rex Media Group", "CUS-007", False, True, False),
    ("Young Bros Transport", "CUS-008", False, True, False),
    ("Basket Case", "CUS-009", False, True, False),
    ("Old Harbour Traders", "SUP-011", True, False, True),
]

# (code, name, purchase price, sale price, inventory?)
DEMO_ITEMS: list[tuple[str, str, str, str, bool]] = [
    ("DESK-OAK", "Oak desk", "320.00", "549.00", True),
    ("CHAIR-ERG", "Ergonomic chair", "145.50", "259.00", True),
    ("PAPER-A4", "A4 paper, box of 5 reams", "21.30", "34.95", True),
    ("TONER-BK", "Black toner cartridge", "58.1250", "89.00", False),
    ("INSTALL", "Installation (per hour)", "0.00", "95.00", False),
    ("DELIVERY", "Delivery", "15.00", "25.00", False),
]


def _contacts(ledger: Ledger, now: datetime) -> None:
    for name, number, supplier, customer, archived in DEMO_CONTACTS:
        slug = "".join(ch for ch in name.lower() if ch.isalnum())
        record = new_contact_record(
            {
                "Name": name,
                "ContactNumber": number,
                "EmailAddress": f"accounts@{slug}.example",
                "IsSupplier": supplier,
                "IsCustomer": customer,
                "ContactStatus": "ARCHIVED" if archived else "ACTIVE",
                "Addresses": [
                    {
                        "AddressType": "POBOX",
                        "AddressLine1": "PO Box 1234",
                        "City": "Wellington",
                        "PostalCode": "6140",
                        "Country": "New Zealand",
                    }
                ],
                "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "4 555 0100"}],
            },
            now,
        )
        record["ContactID"] = stable_id(ledger.tenant_id, f"contact:{number}")
        ledger.add_contact(record)


def _items(ledger: Ledger, now: datetime) -> None:
    for code, name, cost, price, inventory in DEMO_ITEMS:
        record: dict[str, Any] = {
            "ItemID": stable_id(ledger.tenant_id, f"item:{code}"),
            "Code": code,
            "Name": name,
            "Description": name,
            "PurchaseDescription": name,
            "IsSold": True,
            "IsPurchased": True,
            "IsTrackedAsInventory": inventory,
            "PurchaseDetails": {
                "UnitPrice": Decimal(cost),
                "AccountCode": "300" if not inventory else None,
                "COGSAccountCode": "310" if inventory else None,
                "TaxType": "INPUT2",
            },
            "SalesDetails": {
                "UnitPrice": Decimal(price),
                "AccountCode": "200",
                "TaxType": "OUTPUT2",
            },
            "UpdatedDateUTC": now,
        }
        record["PurchaseDetails"] = {k: v for k, v in record["PurchaseDetails"].items() if v}
        if inventory:
            record.update(InventoryAssetAccountCode="630", QuantityOnHand=Decimal(0),
                          TotalCostPool=Decimal(0))  # fmt: skip
        ledger.add("Items", record)


def seed_demo(now: datetime, tenant_id: str) -> Ledger:
    """Reference data plus contacts, items and documents in every status."""
    ledger = Ledger(
        tenant_id=tenant_id,
        name=DEMO_NAME,
        short_code=short_code(tenant_id),
        organisation=organisation_record(DEMO_NAME, tenant_id, now, demo=True),
    )
    seed_reference(ledger, now, full=True)
    ledger.organisation["PaymentTerms"] = {
        "Bills": {"Day": 20, "Type": "OFFOLLOWINGMONTH"},
        "Sales": {"Day": 14, "Type": "DAYSAFTERBILLDATE"},
    }
    _contacts(ledger, now)
    _items(ledger, now)
    seed_documents(ledger, now)
    return ledger
