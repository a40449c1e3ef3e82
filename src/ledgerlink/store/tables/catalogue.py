"""Reference data imported from Xero (accounts, tax rates, tracking) and items."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import RATE_PRECISION, RATE_SCALE, ExactDecimal, JsonDocument


def _company_column(primary_key: bool = False) -> Column[object]:
    return Column(
        "company_id",
        Uuid,
        ForeignKey("companies.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


accounts = Table(
    "accounts",
    metadata,
    _company_column(primary_key=True),
    Column("code", String(10), primary_key=True),
    Column("name", String(150), nullable=False),
    Column("type", String(40), nullable=False),
    Column("account_class", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("tax_type", String(50), nullable=True),
    Column("xero_id", Uuid, nullable=True),
    Index(None, "company_id", "status"),
)

tax_rates = Table(
    "tax_rates",
    metadata,
    _company_column(primary_key=True),
    Column("tax_type", String(50), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("rate", ExactDecimal(RATE_PRECISION, RATE_SCALE), nullable=False),
    Column("components", JsonDocument, nullable=False),
    Column("applies_to", JsonDocument, nullable=False),
    Column("status", String(20), nullable=False),
    Index(None, "company_id", "status"),
)

tracking_categories = Table(
    "tracking_categories",
    metadata,
    _company_column(primary_key=True),
    Column("name", String(100), primary_key=True),
    Column("options", JsonDocument, nullable=False),
    Column("status", String(20), nullable=False),
    Column("xero_id", Uuid, nullable=True),
    Index(None, "company_id", "status"),
)

items = Table(
    "items",
    metadata,
    Column("id", Uuid, primary_key=True),
    _company_column(),
    Column("version", Integer, nullable=False),
    Column("code", String(30), nullable=False),
    Column("name", String(50), nullable=False),
    Column("description", Text, nullable=True),
    Column("purchase_description", Text, nullable=True),
    Column("purchase_price", ExactDecimal, nullable=True),
    Column("purchase_account_code", String(10), nullable=True),
    Column("purchase_tax_type", String(50), nullable=True),
    Column("sales_price", ExactDecimal, nullable=True),
    Column("sales_account_code", String(10), nullable=True),
    Column("sales_tax_type", String(50), nullable=True),
    Column("is_tracked_as_inventory", Boolean, nullable=False),
    Column("inventory_asset_account_code", String(10), nullable=True),
    Column("active", Boolean, nullable=False),
    # The product's category: a tracking option's name on its sales lines.
    Column("category", String(100), nullable=True),
    UniqueConstraint("company_id", "code"),
    Index(None, "company_id", "name"),
)
