"""`x-xero-signature`: base64 of the HMAC-SHA256 of the raw body, keyed by the webhook key."""

import base64
import hashlib
import hmac


def sign(body: bytes, key: str) -> str:
    """The signature Xero puts in `x-xero-signature` for this body."""
    digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def is_valid(body: bytes, key: str, signature: str) -> bool:
    """Constant-time check of a signature."""
    return hmac.compare_digest(sign(body, key), signature)
