"""The API server's logging: uvicorn's, with Xero's callback secrets kept out of it."""

import copy
import logging
from typing import Any

from uvicorn.config import LOGGING_CONFIG

# Xero sends the admin back here with the authorisation `code` and the `state`.
CALLBACK_PATH = "/xero/callback"
HIDDEN = "[hidden]"


class HideCallbackQuery(logging.Filter):
    """Replaces the query string of the callback's access-log lines with `[hidden]`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, mark, _query = args[2].partition("?")
            if mark and path.rstrip("/").endswith(CALLBACK_PATH):
                record.args = (*args[:2], f"{path}?{HIDDEN}", *args[3:])
        return True


def log_config(log_format: str = "text") -> dict[str, Any]:
    """uvicorn's own logging configuration, with the callback's query hidden; in ``json``
    every line of the process (uvicorn's and ledgerlink's) is one JSON object."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"hide_callback_query": {"()": HideCallbackQuery}}
    config["loggers"]["uvicorn.access"]["filters"] = ["hide_callback_query"]
    if log_format == "json":
        json_lines = {"()": "ledgerlink.observability.logs.JsonFormatter"}
        config["formatters"] = {"default": json_lines, "access": dict(json_lines)}
        config["root"] = {"handlers": ["default"], "level": "INFO"}
        config["loggers"]["httpx"] = {"level": "WARNING"}
    return config
