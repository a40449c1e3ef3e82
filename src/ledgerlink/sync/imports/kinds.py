"""What can be imported from Xero, and how each kind is read."""

import enum

from ledgerlink.domain.errors import InvalidValue


class ImportKind(enum.StrEnum):
    """A kind of reference data, named as in the REST paths and the CLI."""

    ACCOUNTS = "accounts"
    TAX_RATES = "tax-rates"
    TRACKING_CATEGORIES = "tracking-categories"
    ITEMS = "items"
    SUPPLIERS = "suppliers"
    CUSTOMERS = "customers"

    @property
    def party_kind(self) -> str:
        """``supplier`` or ``customer`` (the kind of their Xero links)."""
        if self is ImportKind.SUPPLIERS:
            return "supplier"
        if self is ImportKind.CUSTOMERS:
            return "customer"
        raise ValueError(f"{self.value} are not parties")

    @property
    def is_party(self) -> bool:
        return self in (ImportKind.SUPPLIERS, ImportKind.CUSTOMERS)

    @property
    def incremental(self) -> bool:
        """True when Xero serves only what changed (``If-Modified-Since``)."""
        return self in (
            ImportKind.ACCOUNTS,
            ImportKind.ITEMS,
            ImportKind.SUPPLIERS,
            ImportKind.CUSTOMERS,
        )

    @property
    def picked_whole(self) -> bool:
        """True for reference data imported whole by default (a chart, a tax table)."""
        return self in (
            ImportKind.ACCOUNTS,
            ImportKind.TAX_RATES,
            ImportKind.TRACKING_CATEGORIES,
        )


# "all" imports the kinds in this order: what items and parties refer to comes first.
IMPORT_ORDER = (
    ImportKind.ACCOUNTS,
    ImportKind.TAX_RATES,
    ImportKind.TRACKING_CATEGORIES,
    ImportKind.ITEMS,
    ImportKind.SUPPLIERS,
    ImportKind.CUSTOMERS,
)

# Modes of a job.
SELECTED = "selected"
ALL = "all"
REFRESH = "refresh"


def parse_kind(value: str, field: str = "kind") -> ImportKind:
    """The kind named ``value``, or an error naming the choices."""
    try:
        return ImportKind(value)
    except ValueError:
        choices = ", ".join(kind.value for kind in ImportKind)
        raise InvalidValue(field, f"use one of {choices}, got {value!r}") from None
