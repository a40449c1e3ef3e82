"""Signed webhook delivery of ledger events, with retries and the intent-to-receive probe."""
