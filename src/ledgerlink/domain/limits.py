"""The bounds every value entering ledgerlink keeps: Xero's limits and the store's columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# Xero and the store's NUMERIC(19, 4) columns both hold every number below 10^12.
NUMBER_LIMIT = Decimal(10) ** 12
NUMBER_LIMIT_TEXT = "1,000,000,000,000 (10^12)"
# Text with no limit of its own (notes, reasons); Xero's longest fields take 4000.
TEXT_MAX_LENGTH = 4000
# Xero's account codes: "alpha numeric, max length = 10".
ACCOUNT_CODE_MAX_LENGTH = 10
# The dates Xero accepts on documents and payments.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (a NUL, a character UTF-8 cannot encode), or None."""
    position = text.find("\x00")
    if position >= 0:
        return f"may not contain a NUL character (found at position {position})"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return (
            f"contains a character that is not valid Unicode text (a lone surrogate "
            f"{text[error.start]!r}) at position {error.start}; send valid UTF-8"
        )
    return None


def storable_text(text: str) -> str:
    """``text`` with each NUL and lone surrogate replaced by U+FFFD, to show or keep safely."""
    if text_problem(text) is None:
        return text
    return "".join("\ufffd" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in text)
