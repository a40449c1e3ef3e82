"""What every document with lines shares: number, currency, lines, status, totals."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ledgerlink.domain._values import (
    NUMBER_LIMIT,
    NUMBER_LIMIT_TEXT,
    article,
    decimal_places,
    optional_text,
)
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.errors import InvalidDocument, InvalidTransition, InvalidValue
from ledgerlink.domain.events import DocumentEdited
from ledgerlink.domain.lines import Line, make_lines
from ledgerlink.domain.money import (
    MAX_UNIT_DP,
    Currency,
    LineAmountType,
    Totals,
    check_unit_dp,
    compute_totals,
)


def status_label(status: enum.Enum) -> str:
    """``partially_paid`` → ``partially paid`` (for messages)."""
    return str(status.value).replace("_", " ")


@dataclass(kw_only=True, eq=False)
class Document(Aggregate):
    """Base of purchase orders, bills, sales invoices and credit notes.

    Subclasses set ``status`` to their own status enum, list the statuses in
    which ``edit()`` is allowed (``EDITABLE_IN``) and after which an edit must
    reach Xero (``SENT_STATUSES``), and say whether they are on the purchase side
    (``PURCHASE``: quantities above 0, no discounts).
    """

    PURCHASE: ClassVar[bool] = False
    EDITABLE_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"number", "currency", "lines", "line_amount_type", "reference"}
    )
    EDITABLE_IN: ClassVar[frozenset[Any]] = frozenset()
    SENT_STATUSES: ClassVar[frozenset[Any]] = frozenset()

    currency: Currency
    lines: tuple[Line, ...] = ()
    line_amount_type: LineAmountType = LineAmountType.EXCLUSIVE
    number: str | None = None
    reference: str | None = None
    unit_dp: int = MAX_UNIT_DP
    status: Any = None

    def __post_init__(self) -> None:
        self.currency = Currency(self.currency)
        try:
            self.line_amount_type = LineAmountType(self.line_amount_type)
        except ValueError:
            allowed = ", ".join(t.value for t in LineAmountType)
            raise InvalidValue(
                "line_amount_type", f"use one of {allowed}, got {self.line_amount_type!r}"
            ) from None
        check_unit_dp(self.unit_dp)
        self.number = optional_text(self.number, "number", max_length=255)
        self.reference = optional_text(self.reference, "reference", max_length=255)
        self.lines = make_lines(self.lines)
        self._check_lines(self.lines)

    # -- reading ------------------------------------------------------------------

    def all_lines(self) -> tuple[Line, ...]:
        """The lines that make up the totals (a purchase order adds its shipping line)."""
        return self.lines

    @property
    def totals(self) -> Totals:
        """Sub total, tax and total, computed as Xero computes them."""
        return compute_totals(self.all_lines(), self.line_amount_type)

    @property
    def total(self) -> Decimal:
        """The document's total including tax."""
        return self.totals.total

    # -- rules ---------------------------------------------------------------------

    def _check_lines(self, lines: Iterable[Line]) -> None:
        """Rules every line obeys whatever the status."""
        where = f"on {self._a_label()}"
        purchase = self._purchase_side()
        for index, line in enumerate(lines):
            if decimal_places(line.unit_price) > self.unit_dp:
                raise InvalidValue(
                    f"lines[{index}].unit_price",
                    f"at most {self.unit_dp} decimal places under the company's rounding "
                    f"setting, got {line.unit_price}; round it first",
                )
            if purchase and line.quantity <= 0:
                raise InvalidDocument(
                    f"lines[{index}].quantity",
                    f"must be more than 0 {where}, got {line.quantity}",
                )
            if purchase and line.discount_rate:
                raise InvalidDocument(
                    f"lines[{index}].discount_rate",
                    f"discounts apply to sales documents only, not {where[3:]}",
                )
        total = compute_totals(lines, self.line_amount_type).total
        if abs(total) >= NUMBER_LIMIT:
            raise InvalidValue(
                "lines", f"the total must be below {NUMBER_LIMIT_TEXT} in size, got {total}"
            )

    def _purchase_side(self) -> bool:
        """True on the purchase side: quantities above 0 and no discounts."""
        return self.PURCHASE

    def _check_ready(self, adjective: str) -> None:
        """Rules a document must meet before it is approved (sent to Xero)."""
        label = f"{adjective} {self.LABEL}"
        if not self.lines:
            raise InvalidDocument("lines", f"{article(label)} {label} needs at least one line")
        for index, line in enumerate(self.all_lines()):
            if line.account_code is None:
                field = (
                    f"lines[{index}].account_code"
                    if index < len(self.lines)
                    else "shipping_account_code"
                )
                raise InvalidDocument(
                    field, f"{article(label)} {label} needs an account on every line"
                )

    def _a_label(self) -> str:
        return f"{article(self.LABEL)} {self.LABEL}"

    # -- changing ------------------------------------------------------------------

    def _require(self, action: str, allowed_from: Collection[Any]) -> None:
        if self.status not in allowed_from:
            ordered = [s for s in type(self.status) if s in allowed_from]
            raise InvalidTransition(
                action,
                self.LABEL,
                status_label(self.status),
                [status_label(s) for s in ordered],
            )

    def _ready_check(self) -> Callable[[Document], None] | None:
        """The check an edit must pass in the current status (approval rules once sent)."""
        if self.status in self.SENT_STATUSES:
            return lambda candidate: candidate._check_ready(self._ready_adjective())
        return None

    def _ready_adjective(self) -> str:
        return "approved"

    def edit(self, **changes: Any) -> bool:
        """Change editable fields; once sent to Xero the change raises ``DocumentEdited``.

        Returns:
            True when anything changed (``version`` then grows by one).

        Raises:
            InvalidTransition: the document may not be edited in its status.
            InvalidValue / InvalidDocument: the changed document would be invalid.
        """
        self._require("edit", self.EDITABLE_IN)
        if "lines" in changes:
            changes = {**changes, "lines": make_lines(changes["lines"])}
        check = self._ready_check()
        if not self._apply_changes(changes, self.EDITABLE_FIELDS, check=check):
            return False
        self._bump(DocumentEdited if self.status in self.SENT_STATUSES else None)
        return True

    def replace_lines(self, lines: Iterable[Line | Mapping[str, Any]]) -> bool:
        """Replace all lines (see ``edit``)."""
        return self.edit(lines=tuple(lines))
