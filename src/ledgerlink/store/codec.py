"""JSON shapes of the values stored inside rows: lines, addresses, event payloads.

Decimals travel as strings so that no amount ever passes through a float.
"""

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledgerlink.domain.lines import Line, TrackingRef
from ledgerlink.domain.parties import Address, ContactPerson

JsonObject = dict[str, Any]


def json_value(value: object) -> Any:
    """`value` as plain JSON: decimals, UUIDs, dates and enums become strings."""
    if value is None or isinstance(value, bool | int | str):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: json_value(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_value(item) for item in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot store {type(value).__name__} {value!r} as JSON")


def decimal_or_none(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def line_to_json(line: Line) -> JsonObject:
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "account_code": line.account_code,
        "tax_type": line.tax_type,
        "tax_rate": None if line.tax_rate is None else str(line.tax_rate),
        "tracking": [[ref.category, ref.option] for ref in line.tracking],
        "item_code": line.item_code,
        "discount_rate": None if line.discount_rate is None else str(line.discount_rate),
    }


def line_from_json(data: Mapping[str, Any]) -> Line:
    return Line(
        description=data["description"],
        quantity=Decimal(data["quantity"]),
        unit_price=Decimal(data["unit_price"]),
        account_code=data["account_code"],
        tax_type=data["tax_type"],
        tax_rate=decimal_or_none(data["tax_rate"]),
        tracking=tuple(TrackingRef(category, option) for category, option in data["tracking"]),
        item_code=data["item_code"],
        discount_rate=decimal_or_none(data["discount_rate"]),
    )


def lines_to_json(lines: tuple[Line, ...]) -> list[JsonObject]:
    return [line_to_json(line) for line in lines]


def lines_from_json(data: list[Mapping[str, Any]]) -> tuple[Line, ...]:
    return tuple(line_from_json(item) for item in data)


def address_to_json(address: Address | None) -> JsonObject | None:
    if address is None:
        return None
    return {field.name: getattr(address, field.name) for field in dataclasses.fields(address)}


def address_from_json(data: Mapping[str, Any] | None) -> Address | None:
    return None if data is None else Address(**data)


def contact_people_to_json(people: Sequence[ContactPerson]) -> list[JsonObject] | None:
    if not people:
        return None
    return [
        {field.name: getattr(person, field.name) for field in dataclasses.fields(person)}
        for person in people
    ]


def contact_people_from_json(data: Sequence[Mapping[str, Any]] | None) -> tuple[ContactPerson, ...]:
    return tuple(ContactPerson(**person) for person in data or ())
