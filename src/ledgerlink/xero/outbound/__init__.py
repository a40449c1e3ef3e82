"""Domain → Xero: documents and contacts as Xero JSON, checks before sending, and
plain-language fixes for the errors Xero answers with. Pure: no database, no HTTP."""
