"""One Xero organisation's accounting data, held in memory.

Records are dicts keyed by Xero's own field names (so the wire format is a plain walk), with
`Decimal` money, `date` calendar dates and aware UTC `datetime` timestamps. Keys starting
with `_` are internal and never leave the sandbox.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from xero_sandbox.accounting import codec
from xero_sandbox.accounting.events import Event

Record = dict[str, Any]


class Ledger:
    """One organisation's accounting data; mutated only by the accounting handlers."""

    TABLES: ClassVar[tuple[str, ...]] = (
        "Accounts",
        "TaxRates",
        "TrackingCategories",
        "Contacts",
        "Items",
        "Invoices",
        "PurchaseOrders",
        "CreditNotes",
        "Payments",
        "BatchPayments",
        "BankTransactions",
        "Overpayments",
        "Prepayments",
    )

    def __init__(self, tenant_id: str, name: str, short_code: str, organisation: Record) -> None:
        self.tenant_id = tenant_id
        self.name = name
        self.short_code = short_code
        self.organisation = organisation
        self.currencies: list[Record] = []
        self.tables: dict[str, dict[str, Record]] = {name: {} for name in self.TABLES}
        self.counters: dict[str, int] = {}
        self._events: list[Event] = []
        # Names are unique among active contacts only, so one name may carry several ids.
        self._contact_ids_by_name: dict[str, list[str]] = {}
        self._indexes: dict[tuple[str, str], dict[str, list[str]]] = {}

    # -- construction -------------------------------------------------------------------

    @classmethod
    def demo(cls, now: datetime, tenant_id: str | None = None) -> "Ledger":
        """The demo organisation: a New Zealand company with a year of activity."""
        from xero_sandbox.accounting.seed_demo import seed_demo

        return seed_demo(now, tenant_id or str(uuid.uuid4()))

    @classmethod
    def empty(cls, name: str, now: datetime, tenant_id: str | None = None) -> "Ledger":
        """A bare organisation with a minimal chart of accounts and tax rates."""
        from xero_sandbox.accounting.seed_reference import seed_empty

        return seed_empty(name, now, tenant_id or str(uuid.uuid4()))

    def seed_bulk(
        self, now: datetime, contacts: int = 0, items: int = 0, bills: int = 0
    ) -> dict[str, int]:
        """Add many contacts, items and bills at once (for benchmarks); returns the counts."""
        from xero_sandbox.accounting.seed_bulk import seed_bulk

        return seed_bulk(self, now, contacts=contacts, items=items, bills=bills)

    # -- persistence --------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The whole ledger as JSON-able values (see `from_dict`)."""
        return {
            "tenant_id": self.tenant_id,
            "name": self.name,
            "short_code": self.short_code,
            "organisation": codec.encode(self.organisation),
            "currencies": codec.encode(self.currencies),
            "tables": {
                name: codec.encode(list(rows.values())) for name, rows in self.tables.items()
            },
            "counters": dict(self.counters),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Ledger":
        """Rebuild a ledger written by `to_dict`."""
        ledger = cls(
            tenant_id=data["tenant_id"],
            name=data["name"],
            short_code=data["short_code"],
            organisation=codec.decode(data["organisation"]),
        )
        ledger.currencies = codec.decode(data["currencies"])
        for name, rows in data["tables"].items():
            table = ledger.tables[name]
            for row in codec.decode(rows):
                table[row[_ID_FIELDS[name]]] = row
        for contact in ledger.contacts.values():
            ledger._name_contact(contact)
        ledger.counters = dict(data.get("counters", {}))
        return ledger

    # -- all or nothing -----------------------------------------------------------------

    def checkpoint(self) -> "Checkpoint":
        """What a write may change, to `roll_back` to if the write fails.

        Tables are not copied whole: each becomes a copy-on-read view of itself, so a
        record is copied the first time the write reads it and the checkpoint keeps the
        original. A write pays for the records it touches, not for the organisation's size.
        """
        checkpoint = Checkpoint(
            organisation=_copied(self.organisation),
            currencies=_copied(self.currencies),
            tables=self.tables,
            counters=dict(self.counters),
            events=len(self._events),
        )
        self.tables = {name: _CopyOnRead(rows) for name, rows in self.tables.items()}
        return checkpoint

    def settle(self) -> None:
        """End a write that succeeded: its tables are plain tables again."""
        self.tables = {name: dict(rows) for name, rows in self.tables.items()}

    def roll_back(self, checkpoint: "Checkpoint") -> None:
        """Undo every change made since `checkpoint` was taken."""
        self.organisation = checkpoint.organisation
        self.currencies = checkpoint.currencies
        self.tables = checkpoint.tables
        self.counters = checkpoint.counters
        del self._events[checkpoint.events :]
        self._indexes.clear()
        self._contact_ids_by_name.clear()
        for contact in self.contacts.values():
            self._name_contact(contact)

    # -- tables -------------------------------------------------------------------------

    @property
    def accounts(self) -> dict[str, Record]:
        return self.tables["Accounts"]

    @property
    def tax_rates(self) -> dict[str, Record]:
        return self.tables["TaxRates"]

    @property
    def tracking_categories(self) -> dict[str, Record]:
        return self.tables["TrackingCategories"]

    @property
    def contacts(self) -> dict[str, Record]:
        return self.tables["Contacts"]

    @property
    def items(self) -> dict[str, Record]:
        return self.tables["Items"]

    @property
    def invoices(self) -> dict[str, Record]:
        return self.tables["Invoices"]

    @property
    def purchase_orders(self) -> dict[str, Record]:
        return self.tables["PurchaseOrders"]

    @property
    def credit_notes(self) -> dict[str, Record]:
        return self.tables["CreditNotes"]

    @property
    def payments(self) -> dict[str, Record]:
        return self.tables["Payments"]

    @property
    def batch_payments(self) -> dict[str, Record]:
        return self.tables["BatchPayments"]

    @property
    def bank_transactions(self) -> dict[str, Record]:
        return self.tables["BankTransactions"]

    @property
    def overpayments(self) -> dict[str, Record]:
        return self.tables["Overpayments"]

    @property
    def prepayments(self) -> dict[str, Record]:
        return self.tables["Prepayments"]

    def add(self, table: str, record: Record) -> Record:
        """Store a new record under its id field (which must be set)."""
        self.tables[table][record[_ID_FIELDS[table]]] = record
        self.note(table, record)
        return record

    def note(self, table: str, record: Record) -> None:
        """Index a record's number fields again after they may have changed."""
        record_id = record[_ID_FIELDS[table]]
        for field in _INDEXED.get(table, ()):
            index = self._indexes.get((table, field))
            value = record.get(field)
            if index is not None and value:
                ids = index.setdefault(_index_key(value), [])
                if record_id not in ids:
                    ids.append(record_id)

    def lookup(self, table: str, field: str, value: str) -> list[Record]:
        """Records whose `field` equals `value` (case-insensitively), oldest first.

        Backed by an index built on first use, so number lookups stay fast on big ledgers.
        """
        index = self._indexes.get((table, field))
        if index is None:
            index = {}
            for record_id, record in self.tables[table].items():
                if record.get(field):
                    index.setdefault(_index_key(record[field]), []).append(record_id)
            self._indexes[(table, field)] = index
        key = _index_key(value)
        rows = self.tables[table]
        found = [rows[i] for i in index.get(key, ()) if i in rows]
        return [r for r in found if _index_key(r.get(field) or "") == key]

    def add_contact(self, record: Record) -> Record:
        """Store a new contact and index its (unique, case-insensitive) name."""
        self.add("Contacts", record)
        self._name_contact(record)
        return record

    def _name_contact(self, record: Record) -> None:
        ids = self._contact_ids_by_name.setdefault(record["Name"].strip().lower(), [])
        if record["ContactID"] not in ids:
            ids.append(record["ContactID"])

    def rename_contact(self, record: Record, name: str) -> None:
        """Change a contact's name, keeping the name index right."""
        ids = self._contact_ids_by_name.get(record["Name"].strip().lower(), [])
        if record["ContactID"] in ids:
            ids.remove(record["ContactID"])
        record["Name"] = name
        self._name_contact(record)

    def contacts_named(self, name: str) -> list[Record]:
        """Every contact with this name (case-insensitive), active or archived."""
        ids = self._contact_ids_by_name.get(name.strip().lower(), [])
        return [self.contacts[i] for i in ids if i in self.contacts]

    def contact_named(self, name: str) -> Record | None:
        """The contact with this name: the active one if there is one, else the newest."""
        named = self.contacts_named(name)
        active = [c for c in named if c["ContactStatus"] == "ACTIVE"]
        pool = active or named
        return pool[-1] if pool else None

    def account_by_code(self, code: str) -> Record | None:
        """The account with this code, if any (any status)."""
        for account in self.accounts.values():
            if account["Code"] == code:
                return account
        return None

    def next_number(self, prefix: str) -> str:
        """The next document number in a sequence, e.g. `INV-0007`."""
        value = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = value
        return f"{prefix}-{value:04d}"

    # -- organisation settings ----------------------------------------------------------

    @property
    def base_currency(self) -> str:
        return str(self.organisation["BaseCurrency"])

    @property
    def lock_date(self) -> date | None:
        """The later of the period and end-of-year lock dates, if either is set."""
        dates = [
            value
            for value in (
                self.organisation.get("PeriodLockDate"),
                self.organisation.get("EndOfYearLockDate"),
            )
            if isinstance(value, date)
        ]
        return max(dates) if dates else None

    # -- events -------------------------------------------------------------------------

    def record_event(self, category: str, type_: str, resource_id: str, at: datetime) -> None:
        """Note a change for webhooks."""
        self._events.append(Event(category=category, type=type_, resource_id=resource_id, at=at))

    def drain_events(self) -> list[Event]:
        """Hand over (and forget) the events recorded since the last drain."""
        events, self._events = self._events, []
        return events


@dataclass(frozen=True)
class Checkpoint:
    """A ledger's state before a write (see `Ledger.checkpoint`)."""

    organisation: Record
    currencies: list[Record]
    tables: dict[str, dict[str, Record]]
    counters: dict[str, int]
    events: int


class _CopyOnRead(dict[str, Record]):
    """A table during a write: a record read is first replaced by a copy of itself, so the
    write changes the copy and the table the checkpoint holds keeps the original."""

    __slots__ = ("_owned",)

    def __init__(self, rows: dict[str, Record]) -> None:
        super().__init__(rows)
        self._owned: set[str] = set()

    def _own(self, key: str) -> Record:
        record = dict.__getitem__(self, key)
        if key not in self._owned:
            record = _copied(record)
            dict.__setitem__(self, key, record)
            self._owned.add(key)
        return record

    def __getitem__(self, key: str) -> Record:
        return self._own(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self._own(key) if key in self else default

    def __setitem__(self, key: str, value: Record) -> None:
        self._owned.add(key)
        dict.__setitem__(self, key, value)

    def values(self) -> list[Record]:  # type: ignore[override]
        return [self._own(key) for key in list(dict.keys(self))]

    def items(self) -> list[tuple[str, Record]]:  # type: ignore[override]
        return [(key, self._own(key)) for key in list(dict.keys(self))]

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self._own(key)
        return dict.pop(self, key, *default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self._own(key)
        self[key] = default
        return default

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


def _copied(value: Any) -> Any:
    """A deep copy of nested dicts and lists; their leaves (text, numbers, dates) are shared."""
    if type(value) is dict:
        return {key: _copied(item) for key, item in value.items()}
    if type(value) is list:
        return [_copied(item) for item in value]
    return value


# Number fields looked up often enough to deserve an index.
_INDEXED: dict[str, tuple[str, ...]] = {
    "Contacts": ("ContactNumber",),
    "Items": ("Code",),
    "Invoices": ("InvoiceNumber",),
    "PurchaseOrders": ("PurchaseOrderNumber",),
    "CreditNotes": ("CreditNoteNumber",),
}


def _index_key(value: Any) -> str:
    return str(value).strip().lower()


_ID_FIELDS: dict[str, str] = {
    "Accounts": "AccountID",
    "TaxRates": "TaxType",
    "TrackingCategories": "TrackingCategoryID",
    "Contacts": "ContactID",
    "Items": "ItemID",
    "Invoices": "InvoiceID",
    "PurchaseOrders": "PurchaseOrderID",
    "CreditNotes": "CreditNoteID",
    "Payments": "PaymentID",
    "BatchPayments": "BatchPaymentID",
    "BankTransactions": "BankTransactionID",
    "Overpayments": "OverpaymentID",
    "Prepayments": "PrepaymentID",
}
