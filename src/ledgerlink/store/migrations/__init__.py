"""Alembic environment and revisions; run through `ledgerlink.store.migrate`."""
