"""A small, typed, async client for the Xero API."""
