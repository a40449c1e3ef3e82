"""Checks before a document is sent: the domain's reference checks plus Xero's own limits.

Problems read as Xero would say them (so the sync log reads the same whether we or Xero
caught them), each naming the field at fault, with the fix.
"""

from __future__ import annotations

from decimal import Decimal

from ledgerlink.domain.document import Document
from ledgerlink.domain.parties import Party
from ledgerlink.domain.preflight import ReferenceData, ReferenceProblem, check_imported
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import PURCHASE_ORDER_UNIT_DP

MAX_DELIVERY_INSTRUCTIONS = 500


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


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
    return tuple(problems)


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
        if _places(line.unit_price) > PURCHASE_ORDER_UNIT_DP:
            problems.append(
                ReferenceProblem(
                    f"lines[{index}].unit_price",
                    f"Xero purchase orders take unit prices to {PURCHASE_ORDER_UNIT_DP} decimal "
                    f"places, got {line.unit_price}",
                    f"round the unit price to {PURCHASE_ORDER_UNIT_DP} decimal places",
                )
            )
    return problems
