"""Logs for people (text) or for log collectors (``LEDGERLINK_LOG_FORMAT=json``).

In JSON each line is one object: time, level, logger, message, and the ids known where it
was written (company, organisation, document, outbox row, import job). Secrets are masked
in every line: bearer and API tokens, OAuth codes and tokens, client secrets.
"""

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

CONTEXT_KEYS = ("company_id", "organisation", "document_id", "outbox_id", "job_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
MASK = "[hidden]"

_context: ContextVar[dict[str, str]] = ContextVar("ledgerlink_log_context", default={})  # noqa: B039

_SECRETS = (
    re.compile(r"(?i)(bearer\s+)[^\s\"',;)]+"),
    re.compile(
        r"(?i)(\b(?:access_token|refresh_token|id_token|client_secret|secret_key|code_verifier"
        r"|password|code)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&;})]+"
    ),
    re.compile(r"\bll_[A-Za-z0-9_-]{16,}"),  # ledgerlink API tokens
    re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),  # JWTs
)


def redact(text: str) -> str:
    """``text`` with anything that looks like a token or secret masked."""
    for pattern in _SECRETS:
        if pattern.groups:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        else:
            text = pattern.sub(MASK, text)
    return text


@contextmanager
def log_context(**ids: object) -> Iterator[None]:
    """Add ids (see ``CONTEXT_KEYS``) to every line logged inside the block."""
    known = {key: str(value) for key, value in ids.items() if value is not None}
    token = _context.set({**_context.get(), **known})
    try:
        yield
    finally:
        _context.reset(token)


def bind_log_context(**ids: object) -> None:
    """Add ids to every later line of the current task (each asyncio task has its own)."""
    known = {key: str(value) for key, value in ids.items() if value is not None}
    _context.set({**_context.get(), **known})


class JsonFormatter(logging.Formatter):
    """One JSON object per line; ids from ``log_context`` or a record's ``extra``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        entry.update(_context.get())
        for key in CONTEXT_KEYS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = str(value)
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class RedactingFormatter(logging.Formatter):
    """The text format, with secrets masked."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for ``json`` or ``text``."""
    return JsonFormatter() if log_format == "json" else RedactingFormatter(TEXT_FORMAT)


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """Send this process's logs to stderr in ``log_format`` (``text`` or ``json``)."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per call is noise
