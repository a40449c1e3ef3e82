"""Where Xero's published OpenAPI specs are: `../shared/xero-openapi` beside the repository.

`XERO_OPENAPI_DIR` points elsewhere.
"""

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def openapi_dir() -> Path:
    configured = os.environ.get("XERO_OPENAPI_DIR")
    if configured:
        return Path(configured)
    return REPOSITORY.parent / "shared" / "xero-openapi"


OPENAPI_DIR = openapi_dir()
