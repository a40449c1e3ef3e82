"""Which scopes open which Accounting API resources.

A resource is open to any of its scope families: the family itself allows every method, the
family's `.read` scope allows GET only. A record's attachments need
`accounting.attachments`. Items count as settings and as transactions (Xero
lists them under both, and under the granular `accounting.invoices`). A resource not listed
here is left for the accounting routes to answer (usually 404).
"""

_SETTINGS = ("accounting.settings",)
_CONTACTS = ("accounting.contacts",)
_INVOICES = ("accounting.transactions", "accounting.invoices")
_PAYMENTS = ("accounting.transactions", "accounting.payments")
_BANKING = ("accounting.transactions", "accounting.banktransactions")
_JOURNALS = ("accounting.transactions", "accounting.manualjournals")

RESOURCE_SCOPES: dict[str, tuple[str, ...]] = {
    "organisation": _SETTINGS,
    "organisations": _SETTINGS,
    "accounts": _SETTINGS,
    "taxrates": _SETTINGS,
    "trackingcategories": _SETTINGS,
    "currencies": _SETTINGS,
    "brandingthemes": _SETTINGS,
    "items": ("accounting.settings", *_INVOICES),
    "contacts": _CONTACTS,
    "contactgroups": _CONTACTS,
    "invoices": _INVOICES,
    "creditnotes": _INVOICES,
    "purchaseorders": _INVOICES,
    "quotes": _INVOICES,
    "repeatinginvoices": _INVOICES,
    "linkedtransactions": _INVOICES,
    "payments": _PAYMENTS,
    "batchpayments": _PAYMENTS,
    "overpayments": _PAYMENTS,
    "prepayments": _PAYMENTS,
    "banktransactions": _BANKING,
    "banktransfers": _BANKING,
    "manualjournals": _JOURNALS,
    "journals": ("accounting.journals",),
    "reports": ("accounting.reports",),
    "attachments": ("accounting.attachments",),
}


def resource_of(route_path: str) -> str:
    """The resource a path under `/api.xro/2.0` names, lower-cased (`/Contacts/x` → contacts).

    A record's files (`/Invoices/x/Attachments/...`) are their own resource: Xero opens them
    with `accounting.attachments`, whatever the record.
    """
    parts = route_path.lstrip("/").split("/", 3)
    if len(parts) > 2 and parts[2].lower() == "attachments":
        return "attachments"
    return parts[0].lower()


def scopes_allow(scopes: frozenset[str], method: str, resource: str) -> bool:
    """True when the granted scopes open this resource for this method."""
    families = RESOURCE_SCOPES.get(resource)
    if families is None:
        return True
    for family in families:
        if family in scopes or (method in ("GET", "HEAD") and f"{family}.read" in scopes):
            return True
    return False
