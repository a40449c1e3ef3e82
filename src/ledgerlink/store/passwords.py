"""Passwords for the console, kept as argon2 hashes (never the password itself)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ledgerlink.domain.errors import InvalidValue

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200

_hasher = PasswordHasher()


def check_password(password: str) -> str:
    """``password`` when it may be used, else a clear error naming the field."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidValue("password", f"use at most {MAX_PASSWORD_LENGTH} characters")
    if "\x00" in password:
        raise InvalidValue("password", "may not contain NUL characters")
    return password


def hash_password(password: str) -> str:
    """An argon2id hash of a password that passed `check_password`."""
    return _hasher.hash(check_password(password))


def password_matches(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` is the one ``stored_hash`` was made from."""
    if stored_hash is None:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Checked against when the email is unknown, so that an answer takes as long either way.
UNUSABLE_HASH = _hasher.hash("no such person; this hash matches nothing typed")
