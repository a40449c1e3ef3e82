"""PKCE (RFC 7636): only the `S256` method, as Xero requires."""

import base64
import hashlib
import hmac
import re

_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def s256_challenge(verifier: str) -> str:
    """The `code_challenge` a client derives from its `code_verifier`."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def challenge_problem(challenge: str, method: str) -> str | None:
    """Why a `code_challenge`/`code_challenge_method` pair is refused, or None when fine."""
    if method != "S256":
        return f"code_challenge_method must be S256, not {method!r}"
    if not _CHALLENGE.match(challenge):
        return "code_challenge must be the 43-character base64url SHA-256 of the code_verifier"
    return None


def verifier_matches(verifier: str, challenge: str) -> bool:
    """True when `verifier` is well formed and hashes to `challenge`."""
    if not _VERIFIER.match(verifier):
        return False
    return hmac.compare_digest(s256_challenge(verifier), challenge)
