"""Writing many elements: chunks Xero accepts, and one result per element in input order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._errors import ElementErrors, InvalidRequest, XeroError

#: Xero's advice: at most 50 elements per request.
MAX_BATCH_ELEMENTS = 50
#: Xero refuses request bodies over 3.5 MB.
MAX_BATCH_BYTES = 3_500_000

T = TypeVar("T")


@dataclass(frozen=True)
class BatchResult(Generic[T]):
    """What became of one element of a batched write.

    Attributes:
        index: the element's position in the caller's list.
        id: the id Xero gave (or kept) for the element; ``None`` if it failed.
        element: the element as Xero returned it (``None`` when Xero returned nothing).
        errors: Xero's validation messages; empty when the element was saved.
        warnings: Xero's warnings on a saved element.
        error: set when the element's chunk could not be sent (rate limit, outage) after
            earlier chunks were saved; send those elements again with the same key.
        refused_with_others: True when Xero refused the element's whole chunk and named no
            fault of this element: it was refused only with the others and may go again.
    """

    index: int
    id: str | None
    element: T | None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: XeroError | None = None
    refused_with_others: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and self.error is None and self.id is not None


def plan_chunks(
    bodies: Sequence[bytes],
    *,
    collection: str,
    max_elements: int = MAX_BATCH_ELEMENTS,
    max_bytes: int = MAX_BATCH_BYTES,
) -> list[range]:
    """Splits serialised elements into runs of at most ``max_elements`` and ``max_bytes``.

    The byte count includes the envelope ``{"<collection>":[...]}`` and the commas.
    """
    envelope = len(collection) + 7
    chunks: list[range] = []
    start, size = 0, envelope
    for i, body in enumerate(bodies):
        if envelope + len(body) > max_bytes:
            raise InvalidRequest(
                f"element {i} of {collection} is {len(body)} bytes; a request to Xero may carry "
                f"at most {max_bytes} bytes: shorten its descriptions or split its lines"
            )
        extra = len(body) + (1 if i > start else 0)
        if i - start >= max_elements or size + extra > max_bytes:
            chunks.append(range(start, i))
            start, size, extra = i, envelope, len(body)
        size += extra
    if start < len(bodies):
        chunks.append(range(start, len(bodies)))
    return chunks


def messages(element: Mapping[str, Any], key: str) -> tuple[str, ...]:
    raw = element.get(key)
    if not isinstance(raw, list):
        return ()
    return tuple(str(m.get("Message")) for m in raw if isinstance(m, Mapping) and m.get("Message"))


def element_outcome(element: Mapping[str, Any], id_key: str) -> tuple[str | None, tuple[str, ...]]:
    """The id and validation messages of one element of a ``summarizeErrors=false`` answer."""
    errors = messages(element, "ValidationErrors")
    if not errors and element.get("StatusAttributeString") == "ERROR":
        errors = ("Xero marked this element as an error without a message",)
    ident = element.get(id_key)
    if errors or not isinstance(ident, str) or _is_empty_id(ident):
        return None, errors
    return ident, ()


def _is_empty_id(ident: str) -> bool:
    return not ident or ident.strip("0-") == ""


def refused_chunk(chunk: range, failures: Sequence[ElementErrors]) -> list[BatchResult[Any]]:
    """Per-element results when Xero refused a whole chunk (a 400 naming failed elements).

    ``failures`` carry positions within the chunk (see ``ValidationFailed.aligned_to``);
    messages Xero did not tie to an element are given to every element of the chunk. An
    element left without a message is marked ``refused_with_others``.
    """
    by_index: dict[int, tuple[str, ...]] = {}
    unplaced: list[str] = []
    for failure in failures:
        if failure.index is None or not 0 <= failure.index < len(chunk):
            unplaced.extend(failure.messages)
        else:
            by_index[failure.index] = by_index.get(failure.index, ()) + failure.messages
    out: list[BatchResult[Any]] = []
    for offset, index in enumerate(chunk):
        errors = by_index.get(offset, ()) + tuple(unplaced)
        if errors:
            out.append(BatchResult(index=index, id=None, element=None, errors=errors))
            continue
        errors = ("not saved: Xero refused the whole request because another element failed",)
        out.append(
            BatchResult(index=index, id=None, element=None, errors=errors, refused_with_others=True)
        )
    return out
