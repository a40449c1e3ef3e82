"""An offline Xero: identity, Accounting API and webhooks."""
