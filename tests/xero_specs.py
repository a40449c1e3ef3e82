"""Where Xero's published OpenAPI specs are: `tests/specs/xero-openapi` in this repository.

`XERO_OPENAPI_DIR` points the tests at another folder holding the same files.
"""

import os
from pathlib import Path

VENDORED = Path(__file__).resolve().parent / "specs" / "xero-openapi"


def openapi_dir() -> Path:
    configured = os.environ.get("XERO_OPENAPI_DIR")
    if configured:
        return Path(configured)
    return VENDORED


OPENAPI_DIR = openapi_dir()
