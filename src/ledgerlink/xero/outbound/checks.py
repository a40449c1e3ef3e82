"""Checks before a document is sent: the domain's reference checks plus Xero's own limits.

Problems read as Xero would say them (so the sync log reads the same whether we or Xero
caught them), each naming the field at fault, with the fix.
"""

from __future__ import annotations

from collections.abc import Iterable

from ledgerlink.domain.catalogue import AccountClass, Item
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind
from ledgerlink.domain.document import Document
from ledgerlink.domain.lines import Line
from ledgerlink.domain.parties import Party
from ledgerlink.domain.preflight import ReferenceData, ReferenceProblem, check_imported
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.xero.outbound.lines import LineDefaults, places
from ledgerlink.xero.outbound.payments import PaymentAccount
from ledgerlink.xero.outbound.settings import PURCHASE_ORDER_UNIT_DP
from xero_client import Account as XeroAccount

MAX_DELIVERY_INSTRUCTIONS = 500


def check_document(
    document: Document,
    reference: ReferenceData,
    *,
    party: Party | None,
    defaults: LineDefaults,
) -> tuple[ReferenceProblem, ...]:
    """Every reason Xero would refuse ``document``; empty when it can go.

    Accounts and tax rates are checked only when they were imported from Xero (an empty
    ``reference.accounts`` or ``reference.tax_rates`` means "not imported").
    """
    problems = list(check_imported(document, reference, party=party))
    for index, line in enumerate(document.lines):
        if defaults.account_for(line) is None:
            problems.append(
                ReferenceProblem(
                    f"lines[{index}].account_code",
                    "Each line item must reference a valid account.",
                    "give the line an account, or set a default account in the Xero settings",
                )
            )
    if isinstance(document, PurchaseOrder):
        problems.extend(_purchase_order_limits(document))
    sales_note = isinstance(document, CreditNote) and document.kind is CreditNoteKind.SALES
    if isinstance(document, SalesInvoice) or sales_note:
        problems.extend(_sales_lines(document, reference, defaults))
    return tuple(problems)


def _sales_lines(
    document: Document, reference: ReferenceData, defaults: LineDefaults
) -> list[ReferenceProblem]:
    """Sales lines go to revenue accounts, with tax rates Xero allows on revenue."""
    problems = []
    for index, line in enumerate(document.lines):
        code = defaults.account_for(line)
        account = reference.accounts.get(code) if code else None
        if account is not None and account.account_class is not AccountClass.REVENUE:
            problems.append(
                ReferenceProblem(
                    f"lines[{index}].account_code",
                    f"Account code '{code}' is not a valid code for this document.",
                    f"{code} is not a revenue account; choose a sales account for the line, "
                    "or set the default sales account in the Xero settings",
                )
            )
        problems.extend(_category_option(index, line, defaults))
        tax_type = line.tax_type or defaults.tax_type
        rate = reference.tax_rates.get(tax_type) if tax_type else None
        if rate is not None and not rate.can_apply_to(AccountClass.REVENUE):
            problems.append(
                ReferenceProblem(
                    f"lines[{index}].tax_type",
                    f"The TaxType code '{tax_type}' cannot be used with account code '{code}'.",
                    f"{tax_type} is not a tax rate for sales; choose one for revenue accounts",
                )
            )
    return problems


def _category_option(index: int, line: Line, defaults: LineDefaults) -> list[ReferenceProblem]:
    """The option a line gets from its product's category exists in the tracking category
    the settings name, as imported from Xero (Xero refuses a line with an unknown option)."""
    option = defaults.category_of(line)
    tracking = defaults.category_tracking
    if option is None or tracking is None:
        return []
    if defaults.category_options is None:
        return [
            ReferenceProblem(
                f"lines[{index}].item_code",
                f"Tracking category '{tracking}' is not imported from Xero, so the option "
                f"'{option}' (product {line.item_code}'s category) cannot be checked",
                f"add the tracking category '{tracking}' in Xero (Settings → Tracking "
                "categories) and import tracking categories again, or change "
                "product_category_tracking in the Xero settings, then retry",
            )
        ]
    if option.casefold() in defaults.category_options:
        return []
    return [
        ReferenceProblem(
            f"lines[{index}].item_code",
            f"The tracking option '{option}' (product {line.item_code}'s category) does not "
            f"exist in tracking category '{tracking}'",
            f"add the option '{option}' to the tracking category '{tracking}' in Xero and "
            "import tracking categories again, or rename the product's category to one of "
            "its options, then retry",
        )
    ]


def _purchase_order_limits(order: PurchaseOrder) -> list[ReferenceProblem]:
    problems = []
    notes = order.shipping_notes or ""
    if len(notes) > MAX_DELIVERY_INSTRUCTIONS:
        problems.append(
            ReferenceProblem(
                "shipping_notes",
                f"DeliveryInstructions must be {MAX_DELIVERY_INSTRUCTIONS} characters or "
                f"fewer, got {len(notes)}",
                f"shorten the shipping notes to {MAX_DELIVERY_INSTRUCTIONS} characters",
            )
        )
    for index, line in enumerate(order.lines):
        if places(line.unit_price) > PURCHASE_ORDER_UNIT_DP:
            problems.append(
                ReferenceProblem(
                    f"lines[{index}].unit_price",
                    f"Xero purchase orders take unit prices to {PURCHASE_ORDER_UNIT_DP} decimal "
                    f"places, got {line.unit_price}",
                    f"round the unit price to {PURCHASE_ORDER_UNIT_DP} decimal places",
                )
            )
    return problems


def check_payment_account(
    account: PaymentAccount, accounts: Iterable[XeroAccount]
) -> tuple[ReferenceProblem, ...]:
    """Why Xero would refuse payments through ``account``; empty when it can take them.

    ``accounts`` is the chart of accounts as Xero lists it (``GET /Accounts``): a payment
    goes through an active BANK account, or one with payments enabled.
    """
    wanted = next(
        (
            candidate
            for candidate in accounts
            if (account.code is not None and candidate.code == account.code)
            or (account.account_id is not None and candidate.account_id == account.account_id)
        ),
        None,
    )
    named = account.code or account.account_id
    if wanted is None or wanted.status not in (None, "ACTIVE"):
        return (
            ReferenceProblem(
                "bank_account_code",
                f"Account code '{named}' could not be found (or is archived in Xero)",
                "choose an active bank account, or import the chart of accounts from Xero "
                "again, then retry",
            ),
        )
    if wanted.type != "BANK" and not wanted.enable_payments_to_account:
        return (
            ReferenceProblem(
                "bank_account_code",
                f"Account code '{named}' is not a bank account and does not have payments enabled",
                "choose a bank account, or in Xero edit the account (Accounting → Chart of "
                "accounts) and tick 'Enable payments to this account', then retry",
            ),
        )
    return ()


def check_item(item: Item) -> tuple[ReferenceProblem, ...]:
    """Why Xero would refuse ``item``; empty when it can go.

    An item tracked as inventory needs a purchase account: Xero takes it as the cost of
    goods sold account (``PurchaseDetails.COGSAccountCode``) and refuses the item without.
    """
    if item.is_tracked_as_inventory and not item.purchase_account_code:
        return (
            ReferenceProblem(
                "purchase_account_code",
                "PurchaseDetails.COGSAccountCode is required for an item tracked as inventory",
                "give the item a purchase account (its cost of goods sold account, e.g. "
                "310), or stop tracking it as inventory, then retry",
            ),
        )
    return ()
