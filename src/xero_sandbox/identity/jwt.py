"""JWT-shaped tokens: HMAC-signed, so they cannot be forged, and readable like Xero's.

Clients decode Xero's access token for `authentication_event_id` and the id_token for the
user; the sandbox's tokens carry the same claims. (Xero signs with RS256; an HMAC is enough
here because only the sandbox verifies them, and it also looks every token up.)
"""

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Any

ISSUER = "https://identity.xero.com"
SANDBOX_USER_ID = "5b9b1a4e-6d0f-4c55-8e2a-1f1d6c0a7e11"
SANDBOX_USER_EMAIL = "sandbox.user@example.com"
ID_TOKEN_LIFETIME_SECONDS = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_jwt(key: bytes, claims: dict[str, Any]) -> str:
    """`header.payload.signature`, HS256."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = _b64(hmac.new(key, signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def access_token_claims(
    client_id: str, auth_event_id: str, scopes: list[str], now: datetime, expires_at: datetime
) -> dict[str, Any]:
    """What Xero puts in an access token."""
    return {
        "nbf": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "iss": ISSUER,
        "aud": f"{ISSUER}/resources",
        "client_id": client_id,
        "sub": SANDBOX_USER_ID,
        "xero_userid": SANDBOX_USER_ID,
        "authentication_event_id": auth_event_id,
        "jti": secrets.token_hex(16),
        "scope": scopes,
    }


def id_token_claims(client_id: str, auth_event_id: str, now: datetime) -> dict[str, Any]:
    """The OpenID Connect id_token of the sandbox's one user."""
    issued = int(now.timestamp())
    return {
        "iss": ISSUER,
        "aud": client_id,
        "iat": issued,
        "exp": issued + ID_TOKEN_LIFETIME_SECONDS,
        "sub": SANDBOX_USER_ID,
        "xero_userid": SANDBOX_USER_ID,
        "global_session_id": auth_event_id,
        "email": SANDBOX_USER_EMAIL,
        "given_name": "Sandbox",
        "family_name": "User",
        "preferred_username": SANDBOX_USER_EMAIL,
    }
