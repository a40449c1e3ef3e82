"""Stable identifiers: the same tenant seeds the same ids, run after run."""

import uuid


def stable_id(tenant_id: str, key: str) -> str:
    """A UUID derived from the tenant and a name for the record."""
    return str(uuid.uuid5(uuid.UUID(tenant_id), key))


def new_id() -> str:
    """A fresh random UUID for a record created through the API."""
    return str(uuid.uuid4())


def short_code(tenant_id: str) -> str:
    """Xero's six-character organisation short code, e.g. `!k3Lm9`."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz"
    number = uuid.UUID(tenant_id).int
    chars = []
    for _ in range(5):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "!" + "".join(chars)
