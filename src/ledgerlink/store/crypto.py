"""Secrets at rest: Xero tokens and PKCE verifiers are stored encrypted (Fernet).

The key comes from `LEDGERLINK_SECRET_KEY`. To change it, list the new key first and the
old ones after it, separated by commas: secrets are written with the first and read with
any, and each is re-written with the new key the next time it changes (tokens at their
next refresh). For local use, when no key is set, one is generated once under the var
folder (`var/secret.key`, readable by its owner only) and reused on every run; a production
installation without a key refuses to start, since a key kept beside the database protects
nothing.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_KEY_FILE = "secret.key"  # noqa: S105 - a file name
MIN_SECRET_KEY_LENGTH = 32
_KDF_INFO = b"ledgerlink secrets at rest v1"


class SecretKeyError(Exception):
    """The secret key is missing or unusable; the message says how to set one."""


class UnreadableSecret(Exception):
    """A stored secret does not decrypt with this key (the key changed, or it was altered)."""


class SecretBox:
    """Encrypts and decrypts short secrets with a key derived from the installation's key.

    ``repr()`` never shows the key.
    """

    def __init__(self, secret_key: str) -> None:
        keys = [key.strip() for key in secret_key.split(",") if key.strip()]
        if not keys or any(len(key) < MIN_SECRET_KEY_LENGTH for key in keys):
            raise SecretKeyError(
                f"LEDGERLINK_SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters "
                "(each key, when changing keys: 'new,old'); generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        self._fernet = MultiFernet([_fernet(key) for key in keys])

    def __repr__(self) -> str:
        return "SecretBox(key=<hidden>)"

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            raise UnreadableSecret(
                "a stored secret cannot be decrypted with the current LEDGERLINK_SECRET_KEY "
                "(was the key changed?); restore the key, or connect to Xero again"
            ) from None


def _fernet(key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KDF_INFO).derive(
        key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def resolve_secret_key(environment: str, secret_key: str | None, var_dir: Path) -> str:
    """The installation's secret key: the configured one, or for local use a generated one.

    Raises:
        SecretKeyError: production without `LEDGERLINK_SECRET_KEY`, or a key too short.
    """
    if secret_key:
        return secret_key
    if environment.strip().lower() == "production":
        raise SecretKeyError(
            "LEDGERLINK_SECRET_KEY is not set: a production installation needs its own key "
            "to encrypt Xero tokens at rest. Set it to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))', and keep it apart "
            "from the database backups"
        )
    return _local_key(var_dir / SECRET_KEY_FILE)


def secret_box(environment: str, secret_key: str | None, var_dir: Path) -> SecretBox:
    """The installation's `SecretBox` (see `resolve_secret_key`)."""
    return SecretBox(resolve_secret_key(environment, secret_key, var_dir))


def _local_key(path: Path) -> str:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under a private name, then linked into place: a process that loses
    # the race reads the winner's key, never a half-written file.
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(32) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _read_key(path)


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise SecretKeyError(f"{path} is empty; delete it to generate a new key")
    return key
