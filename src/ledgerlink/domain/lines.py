"""Document lines: what was bought or sold, at what price, on which account and tax."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ledgerlink.domain._values import (
    NUMBER_LIMIT,
    NUMBER_LIMIT_TEXT,
    check_places,
    check_text,
    optional_account_code,
    optional_text,
    require_text,
    to_decimal,
)
from ledgerlink.domain.errors import DomainError, InvalidValue
from ledgerlink.domain.money import (
    HUNDRED,
    MAX_UNIT_DP,
    QUANTITY_PLACES,
    LineAmountType,
    line_amount,
    line_tax,
)

MAX_TRACKING_PER_LINE = 2
DESCRIPTION_MAX_LENGTH = 4000


@dataclass(frozen=True, slots=True)
class TrackingRef:
    """A line's choice in one tracking category, by name: ``TrackingRef("Region", "East")``."""

    category: str
    option: str

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "category", require_text(self.category, "category", max_length=100)
        )
        object.__setattr__(self, "option", require_text(self.option, "option", max_length=100))


def _tracking(value: object) -> tuple[TrackingRef, ...]:
    if value is None:
        return ()
    if isinstance(value, TrackingRef | str) or not isinstance(value, Iterable):
        raise InvalidValue("tracking", "expected a list of (category, option) pairs")
    refs: list[TrackingRef] = []
    for index, item in enumerate(value):
        try:
            if isinstance(item, TrackingRef):
                refs.append(item)
            elif isinstance(item, Mapping):
                refs.append(TrackingRef(item.get("category"), item.get("option")))  # type: ignore[arg-type]
            else:
                category, option = item
                refs.append(TrackingRef(category, option))
        except DomainError as error:
            raise InvalidValue(f"tracking[{index}].{error.field}", error.message) from None
        except (TypeError, ValueError):
            raise InvalidValue(
                f"tracking[{index}]", f"expected a (category, option) pair, got {item!r}"
            ) from None
    if len(refs) > MAX_TRACKING_PER_LINE:
        raise InvalidValue(
            "tracking",
            f"a line takes at most {MAX_TRACKING_PER_LINE} tracking options, got {len(refs)}",
        )
    seen: set[str] = set()
    for index, ref in enumerate(refs):
        key = ref.category.casefold()
        if key in seen:
            raise InvalidValue(
                f"tracking[{index}].category",
                f"tracking category {ref.category!r} is given twice; pick one option per category",
            )
        seen.add(key)
    return tuple(refs)


@dataclass(frozen=True, kw_only=True, slots=True)
class Line:
    """One line of a document.

    ``tax_rate`` is the effective rate (percent) of ``tax_type``, copied from the
    company's tax rates when the line is entered (see ``with_tax_rates``); a line
    without one carries no tax. ``discount_rate`` (percent) is for sales documents.
    Quantity and unit price take up to 4 dp; the document checks the sign of the
    quantity and the company's unit price rounding.
    """

    description: str = ""
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = Decimal(0)
    account_code: str | None = None
    tax_type: str | None = None
    tax_rate: Decimal | None = None
    tracking: tuple[TrackingRef, ...] = ()
    item_code: str | None = None
    discount_rate: Decimal | None = None

    def __post_init__(self) -> None:
        description = self.description if self.description is not None else ""
        if not isinstance(description, str):
            raise InvalidValue("description", "expected text")
        description = check_text(description, "description", DESCRIPTION_MAX_LENGTH)
        object.__setattr__(self, "description", description.strip())
        quantity = check_places(to_decimal(self.quantity, "quantity"), QUANTITY_PLACES, "quantity")
        object.__setattr__(self, "quantity", quantity)
        price = check_places(to_decimal(self.unit_price, "unit_price"), MAX_UNIT_DP, "unit_price")
        object.__setattr__(self, "unit_price", price)
        if abs(quantity * price) >= NUMBER_LIMIT:
            raise InvalidValue(
                "unit_price",
                f"the line amount (quantity × unit price) must be below {NUMBER_LIMIT_TEXT} "
                f"in size, got {quantity * price}",
            )
        for name in ("tax_type", "item_code"):
            object.__setattr__(self, name, optional_text(getattr(self, name), name, max_length=50))
        object.__setattr__(
            self, "account_code", optional_account_code(self.account_code, "account_code")
        )
        if self.tax_rate is not None:
            rate = to_decimal(self.tax_rate, "tax_rate")
            if rate < 0:
                raise InvalidValue("tax_rate", f"may not be negative, got {rate}")
            object.__setattr__(self, "tax_rate", rate)
        if self.discount_rate is not None:
            discount = check_places(
                to_decimal(self.discount_rate, "discount_rate"), 4, "discount_rate"
            )
            if not Decimal(0) <= discount <= HUNDRED:
                raise InvalidValue("discount_rate", f"a percentage from 0 to 100, got {discount}")
            object.__setattr__(self, "discount_rate", discount)
        object.__setattr__(self, "tracking", _tracking(self.tracking))

    @property
    def amount(self) -> Decimal:
        """``quantity × unit price`` less the discount, rounded to 2 dp as Xero does."""
        return line_amount(self.quantity, self.unit_price, self.discount_rate)

    def tax(self, line_amount_type: LineAmountType) -> Decimal:
        """This line's tax under ``line_amount_type`` at its ``tax_rate``."""
        return line_tax(self.amount, self.tax_rate or Decimal(0), line_amount_type)


def make_lines(lines: Iterable[Line | Mapping[str, Any]]) -> tuple[Line, ...]:
    """Lines from ``Line`` objects or mappings of their fields.

    Errors name the line: ``lines[2].quantity: ...``.
    """
    result: list[Line] = []
    for index, raw in enumerate(lines):
        if isinstance(raw, Line):
            result.append(raw)
            continue
        if not isinstance(raw, Mapping):
            raise InvalidValue(f"lines[{index}]", f"expected a line, got {type(raw).__name__}")
        try:
            result.append(Line(**raw))
        except TypeError as error:
            raise InvalidValue(f"lines[{index}]", str(error)) from None
        except DomainError as error:
            raise type(error)(f"lines[{index}].{error.field}", error.message) from None
    return tuple(result)


def with_tax_rates(lines: Iterable[Line], rates: Mapping[str, Decimal]) -> tuple[Line, ...]:
    """Copy onto each line the effective rate of its tax type from ``rates``.

    Raises:
        InvalidValue: ``lines[i].tax_type`` names a tax type missing from ``rates``.
    """
    result: list[Line] = []
    for index, line in enumerate(lines):
        if line.tax_type is None:
            result.append(line)
            continue
        if line.tax_type not in rates:
            known = ", ".join(sorted(rates)) or "none imported"
            raise InvalidValue(
                f"lines[{index}].tax_type",
                f"unknown tax type {line.tax_type!r}; known tax types: {known}",
            )
        result.append(_replace(line, tax_rate=rates[line.tax_type]))
    return tuple(result)


def _replace(line: Line, **changes: Any) -> Line:
    fields = {name: getattr(line, name) for name in Line.__dataclass_fields__}
    fields.update(changes)
    return Line(**fields)
