"""`--data FILE`: the sandbox's state as one JSON file, replaced atomically."""

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1


class DataFileError(Exception):
    """The data file cannot be read; says which file and what to do."""


def load(path: Path) -> dict[str, Any] | None:
    """The saved state, or None when the file does not exist yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise DataFileError(
            f"--data {path}: not a sandbox data file ({error}); delete it or pass another path"
        ) from error
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise DataFileError(
            f"--data {path}: unknown format version; delete it or pass another path"
        )
    return data


def save(path: Path, data: dict[str, Any]) -> None:
    """Write the state to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps({**data, "version": FORMAT_VERSION}, separators=(",", ":"))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class DataFile:
    """One data file written from several places (saver task, shutdown) without going back.

    Each write carries the generation of the state it saves; an older generation that
    arrives late (a save still running when shutdown wrote a newer one) is skipped.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._written = -1

    def write(self, generation: int, data: dict[str, Any]) -> None:
        """Save `data` unless a newer generation is already on disk."""
        with self._lock:
            if generation < self._written:
                return
            save(self.path, data)
            self._written = generation
