"""What the store raises, grouped by what the caller should do.

StoreError
├── ConcurrentUpdate     reload the document and apply the change again
├── DuplicateRecord      the code/number/name is taken: pick another one
├── MissingValue         a required field was left empty: fill it in
├── UnknownReference     a referred record is not in the company: pick one that is
└── InvalidDatabaseUrl   fix LEDGERLINK_DATABASE_URL

A write the database refuses for a reason none of these names is not translated: the
original error goes up as it is.
"""


class StoreError(Exception):
    """Base of every error raised by `ledgerlink.store`."""


class ConcurrentUpdate(StoreError):
    """The record changed since it was loaded; the update was not written."""

    def __init__(self, kind: str, record_id: object, expected_version: int) -> None:
        self.kind = kind
        self.record_id = record_id
        self.expected_version = expected_version
        super().__init__(
            f"{kind} {record_id} was changed by someone else since it was loaded "
            f"(expected version {expected_version}); reload it and apply the change again"
        )


class DuplicateRecord(StoreError):
    """A unique field (name, code, number, email) is already taken in this company."""

    def __init__(self, kind: str, field: str, value: object, holder: object = None) -> None:
        self.kind = kind
        self.field = field
        self.value = value
        held = "" if holder is None else f" ({holder})"
        super().__init__(
            f"a {kind} with {field} {value!r} already exists{held}; choose another {field}"
        )


class MissingValue(StoreError):
    """A required field (e.g. a document's date) was written empty."""

    def __init__(self, kind: str, field: str) -> None:
        self.kind = kind
        self.field = field
        super().__init__(f"{field}: a {kind} needs a {field}; it may not be empty")


class InvalidDatabaseUrl(StoreError):
    """The database URL names a backend the store does not support."""


class UnknownReference(StoreError):
    """A record refers (e.g. by `supplier_id`) to a record that is not in its company."""

    def __init__(self, field: str, target: str, value: object) -> None:
        self.field = field
        self.target = target
        self.value = value
        super().__init__(
            f"{field}: there is no {target} {value} in this company; "
            f"create the {target} first or pick one of this company's"
        )
