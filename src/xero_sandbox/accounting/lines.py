"""Document lines: validation against the chart, tax rates, items and tracking, and amounts."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xero_sandbox.accounting.accounts import TAX_FLAG_BY_CLASS, account_allowed_on_lines
from xero_sandbox.accounting.fields import Problems, decimal, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.items import item_by_code
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.totals import (
    NO_TAX,
    DocumentTotals,
    document_totals,
    line_amount,
    line_tax,
    round_money,
    round_unit,
)

MAX_TRACKING_PER_LINE = 2
# Xero's words when an approved document has a line without an account.
ACCOUNT_REQUIRED = "Account code or ID must be specified."
PURCHASE_KINDS = frozenset({"ACCPAY", "ACCPAYCREDIT", "PO", "SPEND"})
DISCOUNT_KINDS = frozenset({"ACCREC"})


@dataclass(frozen=True)
class LineRules:
    """What a document allows on its lines."""

    kind: str  # ACCPAY, ACCREC, ACCPAYCREDIT, ACCRECCREDIT, PO, SPEND, RECEIVE
    line_amount_types: str
    unit_dp: int
    account_required: bool


def _account(ledger: Ledger, line: dict[str, Any], problems: Problems) -> Record | None:
    code = text(line, "AccountCode", problems)
    account_id = line.get("AccountID")
    account: Record | None = None
    if code:
        account = ledger.account_by_code(code)
        if account is None:
            problems.add(f"Account code '{code}' is not a valid code for this document.")
            return None
    elif account_id:
        account = ledger.accounts.get(str(account_id).lower())
        if account is None:
            problems.add(f"AccountID {account_id} is not a valid account for this document.")
            return None
    if account is None:
        return None
    if account["Status"] != "ACTIVE":
        problems.add(
            f"Account code '{account['Code']}' has been archived, or has been deleted. Each line "
            "item must reference a valid account."
        )
    elif not account_allowed_on_lines(account):
        problems.add(f"Account code '{account['Code']}' is not a valid code for this document.")
    return account


def _tax_rate(
    ledger: Ledger, tax_type: str, account: Record | None, problems: Problems
) -> Record | None:
    rate = ledger.tax_rates.get(tax_type)
    if rate is None or rate["Status"] != "ACTIVE":
        problems.add(
            f"The TaxType code {tax_type} does not exist or cannot be used for this type of "
            "transaction."
        )
        return None
    if account is not None and not rate.get(TAX_FLAG_BY_CLASS[account["Class"]], True):
        problems.add(
            f"The TaxType code '{tax_type}' cannot be used with account code '{account['Code']}'."
        )
    return rate


def _tracking(ledger: Ledger, raw: Any, problems: Problems) -> list[Record]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        problems.add('Tracking must be a list like [{"Name": "Region", "Option": "North"}]')
        return []
    if len(raw) > MAX_TRACKING_PER_LINE:
        problems.add("A line can have at most 2 tracking categories")
    resolved: list[Record] = []
    for entry in raw:
        category_id = entry.get("TrackingCategoryID")
        name = entry.get("Name")
        category = next(
            (
                c
                for c in ledger.tracking_categories.values()
                if (category_id and c["TrackingCategoryID"] == str(category_id).lower())
                or (not category_id and name and c["Name"].lower() == str(name).lower())
            ),
            None,
        )
        if category is None or category["Status"] != "ACTIVE":
            problems.add(
                f"Tracking category '{name or category_id}' does not exist or is archived; "
                "use an active category from GET /TrackingCategories"
            )
            continue
        option_id = entry.get("TrackingOptionID")
        option_name = entry.get("Option")
        option = next(
            (
                o
                for o in category["Options"]
                if (option_id and o["TrackingOptionID"] == str(option_id).lower())
                or (not option_id and option_name and o["Name"].lower() == str(option_name).lower())
            ),
            None,
        )
        if option is None or option["Status"] != "ACTIVE":
            problems.add(
                f"Tracking option '{option_name or option_id}' is not an active option of "
                f"'{category['Name']}'"
            )
            continue
        resolved.append(
            {
                "TrackingCategoryID": category["TrackingCategoryID"],
                "TrackingOptionID": option["TrackingOptionID"],
                "Name": category["Name"],
                "Option": option["Name"],
            }
        )
    return resolved


def build_line(
    ledger: Ledger, line: dict[str, Any], rules: LineRules, problems: Problems
) -> Record:
    """Validate one line and work out its amount and tax."""
    record: Record = {"LineItemID": str(line.get("LineItemID") or new_id()).lower()}
    description = text(line, "Description", problems, max_length=4000)
    item_code = text(line, "ItemCode", problems)
    item: Record | None = None
    defaults: dict[str, Any] = {}
    if item_code:
        item = item_by_code(ledger, item_code)
        if item is None:
            problems.add(
                f"Item code '{item_code}' is not valid: create the item first or leave it out"
            )
        else:
            purchase = rules.kind in PURCHASE_KINDS
            defaults = dict(item.get("PurchaseDetails" if purchase else "SalesDetails") or {})
            if purchase and item.get("IsTrackedAsInventory"):
                defaults["AccountCode"] = item.get("InventoryAssetAccountCode")
            record["ItemCode"] = item["Code"]
            record["Item"] = {"ItemID": item["ItemID"], "Code": item["Code"], "Name": item["Name"]}
            description = description or (
                item.get("PurchaseDescription") if purchase else item.get("Description")
            )
    record["Description"] = description or ""
    if not line.get("AccountCode") and not line.get("AccountID") and defaults.get("AccountCode"):
        line = {**line, "AccountCode": defaults["AccountCode"]}
    account = _account(ledger, line, problems)
    if account is not None:
        record["AccountCode"] = account["Code"]
        record["AccountID"] = account["AccountID"]
    elif rules.account_required and not line.get("AccountCode") and not line.get("AccountID"):
        problems.add(ACCOUNT_REQUIRED)
    quantity = decimal(line, "Quantity", problems)
    unit_amount = decimal(line, "UnitAmount", problems)
    if unit_amount is None and defaults.get("UnitPrice") is not None:
        unit_amount = Decimal(defaults["UnitPrice"])
    given_amount = decimal(line, "LineAmount", problems)
    discount = decimal(line, "DiscountRate", problems)
    if discount is not None and discount != 0:
        if rules.kind not in DISCOUNT_KINDS:
            problems.add(
                "DiscountRate can only be used on sales invoices (ACCREC); remove it from this "
                "document"
            )
        elif not Decimal(0) <= discount <= Decimal(100):
            problems.add(f"DiscountRate must be between 0 and 100; got {discount}")
        record["DiscountRate"] = discount
    if unit_amount is not None:
        unit_amount = round_unit(unit_amount, rules.unit_dp)
        record["UnitAmount"] = unit_amount
    if quantity is not None and quantity < 0:
        problems.add(
            f"The quantity value '{quantity:.4f}' is invalid. Quantity must not be less than zero."
        )
    if quantity is None and (unit_amount is not None or given_amount is None):
        quantity = Decimal(1)
    if quantity is not None:
        record["Quantity"] = quantity
    if given_amount is not None:
        amount = round_money(given_amount)
    elif quantity is not None and unit_amount is not None:
        amount = line_amount(quantity, unit_amount, discount)
    else:
        amount = Decimal("0.00")
    record["LineAmount"] = amount
    if discount and quantity is not None and unit_amount is not None:
        record["DiscountAmount"] = round_money(quantity * unit_amount) - amount
    tax_type = text(line, "TaxType", problems) or defaults.get("TaxType")
    if rules.line_amount_types == NO_TAX:
        tax_type = tax_type or "NONE"
    elif tax_type is None and account is not None:
        tax_type = account.get("TaxType") or "NONE"
    rate = _tax_rate(ledger, tax_type, account, problems) if tax_type else None
    record["TaxType"] = tax_type or "NONE"
    given_tax = decimal(line, "TaxAmount", problems)
    if given_tax is not None and rules.line_amount_types != NO_TAX:
        record["TaxAmount"] = round_money(given_tax)
    else:
        effective = rate["EffectiveRate"] if rate is not None else Decimal(0)
        record["TaxAmount"] = line_tax(amount, effective, rules.line_amount_types)
    record["Tracking"] = _tracking(ledger, line.get("Tracking"), problems)
    return record


def build_lines(ledger: Ledger, raw: Any, rules: LineRules, problems: Problems) -> list[Record]:
    """Validate a document's `LineItems`."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(line, dict) for line in raw):
        problems.add("LineItems must be a list of line objects")
        return []
    return [build_line(ledger, line, rules, problems) for line in raw]


def totals_of(lines: list[Record], line_amount_types: str) -> tuple[DocumentTotals, Decimal]:
    """A document's totals and its total discount."""
    totals = document_totals(
        [line["LineAmount"] for line in lines],
        [line["TaxAmount"] for line in lines],
        line_amount_types,
    )
    discount = sum((line.get("DiscountAmount", Decimal(0)) for line in lines), Decimal("0.00"))
    return totals, discount


def shown_at(records: list[Record], unit_dp: int) -> list[Record]:
    """Documents as a GET shows them: unit amounts at 2 dp unless `unitdp=4` is asked for
    (what was stored at 4 dp stays stored; only the answer is rounded)."""
    if unit_dp == 4:
        return records
    shown: list[Record] = []
    for record in records:
        lines = record.get("LineItems")
        if lines and any(
            isinstance(line.get("UnitAmount"), Decimal)
            and line["UnitAmount"] != round_unit(line["UnitAmount"], 2)
            for line in lines
        ):
            record = {
                **record,
                "LineItems": [
                    {**line, "UnitAmount": round_unit(line["UnitAmount"], 2)}
                    if isinstance(line.get("UnitAmount"), Decimal)
                    else line
                    for line in lines
                ],
            }
        shown.append(record)
    return shown
