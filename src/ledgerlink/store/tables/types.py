"""Column types that keep money exact and time in UTC on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

MONEY_PRECISION = 19
MONEY_SCALE = 4
# Effective tax rates of compound taxes carry more places (5 % + 9.975 % → 15.47375 %).
RATE_PRECISION = 28
RATE_SCALE = 10


class ExactDecimal(TypeDecorator[Decimal]):
    """`Decimal` stored as NUMERIC on PostgreSQL and as text on SQLite.

    SQLite has no decimal type: its NUMERIC affinity turns 0.1 into a binary float, so
    amounts are kept as their exact decimal text there. A value with more decimal places
    than the column's scale is refused rather than silently rounded.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = MONEY_PRECISION, scale: int = MONEY_SCALE) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(self.impl_instance)

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"amounts must be Decimal, not {type(value).__name__}: {value!r}")
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or (
            exponent < -self.scale and value != value.quantize(Decimal(1).scaleb(-self.scale))
        ):
            raise ValueError(
                f"{value} has more than {self.scale} decimal places and would be rounded; "
                "round it first"
            )
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(str(value))


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp; naive datetimes are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"timestamps must be timezone-aware (UTC), got naive {value!r}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JsonDocument = JSON().with_variant(JSONB(), "postgresql")
