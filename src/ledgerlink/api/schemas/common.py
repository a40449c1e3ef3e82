"""Shapes shared by every resource, and the bounds of the values they take."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from ledgerlink.domain.limits import (
    ACCOUNT_CODE_MAX_LENGTH,
    NUMBER_LIMIT,
    NUMBER_LIMIT_TEXT,
    TEXT_MAX_LENGTH,
    text_problem,
)
from ledgerlink.domain.money import round_money

T = TypeVar("T")

MAX_PAGE_SIZE = 500
#: The largest offset a list takes: the database's 64-bit integer.
MAX_OFFSET = 2**63 - 1

Number = Annotated[
    Decimal,
    Field(gt=-NUMBER_LIMIT, lt=NUMBER_LIMIT, description=f"Below {NUMBER_LIMIT_TEXT} in size."),
]
Text = Annotated[str, Field(max_length=TEXT_MAX_LENGTH)]
Name = Annotated[str, Field(max_length=255)]
Code = Annotated[str, Field(max_length=50)]
AccountCode = Annotated[str, Field(max_length=ACCOUNT_CODE_MAX_LENGTH, examples=["200"])]
CurrencyCode = Annotated[
    str, Field(max_length=3, examples=["NZD"], description="An active ISO 4217 code.")
]


def cents(value: Decimal | None) -> Decimal | None:
    """An amount of money shown with its 2 places (`552.0` as `552.00`)."""
    return None if value is None else round_money(value)


def one_of(values: Iterable[str], description: str | None = None) -> Any:
    """A text field documented as an enum of `values` (validation stays the domain's)."""
    return Field(description=description, json_schema_extra={"enum": [str(v) for v in values]})


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise PydanticCustomError("text_unstorable", problem)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(item)


class Strict(BaseModel):
    """A request body: unknown fields are refused by name, not silently dropped.

    Every text field is bounded (4000 characters unless it says less) and refuses
    NUL characters and text that UTF-8 cannot encode.
    """

    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX_LENGTH)

    @field_validator("*", mode="before")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        _check_text(value)
        return value


class Public(BaseModel):
    """A response body built from a domain object's attributes."""

    model_config = ConfigDict(from_attributes=True)


class FieldMessage(BaseModel):
    """A note about one field: `lines[0].account_code`, `due_date`, ..."""

    field: str
    message: str


class Page(BaseModel, Generic[T]):
    """One page of a list: `data`, the total `count`, and the window asked for."""

    data: list[T]
    count: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    status: str | None = None
