"""The OAuth scopes Xero knows, with the words its consent page uses for them."""

SCOPE_DESCRIPTIONS: dict[str, str] = {
    "openid": "Confirm your identity",
    "profile": "View your name and profile",
    "email": "View your email address",
    "offline_access": "Keep access to your data when you are not using the app",
    "accounting.transactions": "View and manage your business transactions",
    "accounting.transactions.read": "View your business transactions",
    "accounting.invoices": "View and manage your invoices, bills, credit notes and quotes",
    "accounting.invoices.read": "View your invoices, bills, credit notes and quotes",
    "accounting.payments": "View and manage your payments",
    "accounting.payments.read": "View your payments",
    "accounting.banktransactions": "View and manage your bank transactions",
    "accounting.banktransactions.read": "View your bank transactions",
    "accounting.manualjournals": "View and manage your manual journals",
    "accounting.manualjournals.read": "View your manual journals",
    "accounting.settings": "View and manage your organisation settings",
    "accounting.settings.read": "View your organisation settings",
    "accounting.contacts": "View and manage your contacts",
    "accounting.contacts.read": "View your contacts",
    "accounting.attachments": "View and manage your attachments",
    "accounting.attachments.read": "View your attachments",
    "accounting.journals.read": "View your general ledger",
    "accounting.reports.read": "View your reports",
    "accounting.budgets.read": "View your budgets",
}


def parse_scopes(raw: str) -> list[str]:
    """Split a space-separated scope string, keeping order and dropping repeats."""
    seen: dict[str, None] = {}
    for scope in raw.split():
        seen.setdefault(scope, None)
    return list(seen)


def unknown_scopes(scopes: list[str]) -> list[str]:
    """The scopes Xero would refuse as `invalid_scope`."""
    return [scope for scope in scopes if scope not in SCOPE_DESCRIPTIONS]
