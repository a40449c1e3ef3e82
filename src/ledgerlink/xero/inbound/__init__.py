"""Reference data read from Xero (``xero_client`` models) turned into domain objects.

Pure translation: no database, no HTTP. Each ``*_from_xero`` returns what is imported
or raises :class:`SkipRecord` with the reason shown in the import report.
"""

from ledgerlink.xero.inbound.contacts import PARTY_FIELDS, ImportedContact, contact_from_xero
from ledgerlink.xero.inbound.items import ITEM_FIELDS, ImportedItem, item_from_xero
from ledgerlink.xero.inbound.reference import (
    COMPATIBLE_ACCOUNT_TYPES,
    account_from_xero,
    account_skip_reason,
    tax_rate_from_xero,
    tracking_category_from_xero,
)
from ledgerlink.xero.inbound.skips import SkipRecord

__all__ = [
    "COMPATIBLE_ACCOUNT_TYPES",
    "ITEM_FIELDS",
    "PARTY_FIELDS",
    "ImportedContact",
    "ImportedItem",
    "SkipRecord",
    "account_from_xero",
    "account_skip_reason",
    "contact_from_xero",
    "item_from_xero",
    "tax_rate_from_xero",
    "tracking_category_from_xero",
]
