"""Contact records: building, updating, and finding the contact a document names."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from xero_sandbox.accounting.events import CONTACT, CREATE, UPDATE
from xero_sandbox.accounting.fields import Problems, choice, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record

CONTACT_STATUSES = ("ACTIVE", "ARCHIVED")
MAX_CONTACT_PERSONS = 5
TERM_TYPES = ("DAYSAFTERBILLDATE", "DAYSAFTERBILLMONTH", "OFCURRENTMONTH", "OFFOLLOWINGMONTH")
# Plain text fields a client may set, with Xero's length limits.
_TEXT_FIELDS = {
    "ContactNumber": 50,
    "AccountNumber": 50,
    "FirstName": 255,
    "LastName": 255,
    "CompanyNumber": 50,
    "EmailAddress": 255,
    "BankAccountDetails": 255,
    "TaxNumber": 50,
    "AccountsReceivableTaxType": 50,
    "AccountsPayableTaxType": 50,
    "DefaultCurrency": 3,
    "SalesDefaultAccountCode": 10,
    "PurchasesDefaultAccountCode": 10,
}
_LIST_FIELDS = ("Addresses", "Phones", "ContactPersons")
# What `summaryOnly=true` leaves out.
SUMMARY_OMITS = frozenset(
    {"Addresses", "Phones", "ContactPersons", "ContactGroups", "PaymentTerms", "Balances"}
)
ARCHIVED_MESSAGE = (
    "The contact with the specified contact details has been archived. The contact must be "
    "un-archived before creating new invoices or credit notes."
)


def duplicate_name_message(name: str) -> str:
    return (
        f"The contact name {name} is already assigned to another contact. The contact name "
        "must be unique across all active contacts."
    )


def contact_changes(
    ledger: Ledger, element: dict[str, Any], problems: Problems, existing: Record | None
) -> dict[str, Any]:
    """Validate an element's contact fields; returns the fields to set."""
    changes: dict[str, Any] = {}
    name = text(element, "Name", problems, max_length=255)
    if name is not None:
        name = name.strip()
        if not name:
            problems.add("Name must not be blank: every contact needs a unique name")
        changes["Name"] = name
    elif existing is None:
        problems.add("Name is required: every contact needs a unique name")
    for field, limit in _TEXT_FIELDS.items():
        value = text(element, field, problems, max_length=limit)
        if value is not None:
            changes[field] = value
    number = changes.get("ContactNumber")
    if number:
        clash = find_by_number(ledger, number)
        if clash is not None and clash is not existing:
            problems.add(
                f"The contact number {number} is already assigned to another contact. The "
                "contact number must be unique across all contacts."
            )
    currency = changes.get("DefaultCurrency")
    if currency and currency not in {c["Code"] for c in ledger.currencies}:
        problems.add(f"Organisation is not subscribed to currency {currency}")
    status = choice(element, "ContactStatus", CONTACT_STATUSES, problems)
    if status is not None:
        changes["ContactStatus"] = status
    final_name = changes.get("Name") or (existing or {}).get("Name")
    final_status = status or (existing or {}).get("ContactStatus", "ACTIVE")
    if final_name and final_status == "ACTIVE":
        # Names must be unique among active contacts; an archived one's name may be reused.
        for other in ledger.contacts_named(final_name):
            if other is not existing and other["ContactStatus"] == "ACTIVE":
                problems.add(duplicate_name_message(final_name))
    for field in _LIST_FIELDS:
        value = element.get(field)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.add(f"{field} must be a list of objects")
            continue
        changes[field] = value
    if len(changes.get("ContactPersons", ())) > MAX_CONTACT_PERSONS:
        problems.add("You can only have a maximum of 5 contact persons.")
    terms = element.get("PaymentTerms")
    if terms is not None:
        changes["PaymentTerms"] = _payment_terms(terms, problems)
    return changes


def _payment_terms(raw: Any, problems: Problems) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.add('PaymentTerms must be like {"Bills": {"Day": 20, "Type": "OFFOLLOWINGMONTH"}}')
        return {}
    terms: dict[str, Any] = {}
    for side in ("Bills", "Sales"):
        term = raw.get(side)
        if term is None:
            continue
        if (
            not isinstance(term, dict)
            or term.get("Type") not in TERM_TYPES
            or not isinstance(term.get("Day"), int | Decimal)
            or not 0 <= int(term["Day"]) <= 31
        ):
            problems.add(
                f"PaymentTerms.{side} needs a Day from 0 to 31 and a Type, one of "
                f"{', '.join(TERM_TYPES)}"
            )
            continue
        terms[side] = {"Day": int(term["Day"]), "Type": term["Type"]}
    return terms


def new_contact_record(changes: dict[str, Any], now: datetime) -> Record:
    """A complete contact record from validated fields."""
    record: Record = {
        "ContactID": new_id(),
        "ContactStatus": "ACTIVE",
        "Name": "",
        "EmailAddress": "",
        "BankAccountDetails": "",
        "Addresses": [],
        "Phones": [],
        "ContactPersons": [],
        "ContactGroups": [],
        "IsSupplier": False,
        "IsCustomer": False,
        "HasAttachments": False,
        "HasValidationErrors": False,
        "UpdatedDateUTC": now,
    }
    record.update(changes)
    return record


def create_contact(ledger: Ledger, changes: dict[str, Any], now: datetime) -> Record:
    """Store a new contact and note the webhook event."""
    record = ledger.add_contact(new_contact_record(changes, now))
    ledger.record_event(CONTACT, CREATE, record["ContactID"], now)
    return record


def update_contact(
    ledger: Ledger, record: Record, changes: dict[str, Any], now: datetime
) -> Record:
    """Apply validated changes to a contact and note the webhook event."""
    name = changes.pop("Name", None)
    if name is not None and name != record["Name"]:
        ledger.rename_contact(record, name)
    record.update(changes)
    record["UpdatedDateUTC"] = now
    ledger.note("Contacts", record)
    ledger.record_event(CONTACT, UPDATE, record["ContactID"], now)
    return record


def find_by_number(ledger: Ledger, number: str) -> Record | None:
    """The contact with this ContactNumber, if any."""
    for contact in ledger.lookup("Contacts", "ContactNumber", number):
        if contact.get("ContactNumber") == number:
            return contact
    return None


def contact_reference(contact: Record) -> Record:
    """How a document shows its contact."""
    return {
        "ContactID": contact["ContactID"],
        "ContactNumber": contact.get("ContactNumber", ""),
        "Name": contact["Name"],
        "ContactStatus": contact["ContactStatus"],
        "EmailAddress": contact.get("EmailAddress", ""),
        "HasValidationErrors": False,
    }


class ContactChoice:
    """The contact a document names: an existing one, or a new one to create from a Name."""

    def __init__(self, existing: Record | None, new_name: str | None) -> None:
        self.existing = existing
        self.new_name = new_name

    def resolve(self, ledger: Ledger, now: datetime) -> Record:
        if self.existing is not None:
            return self.existing
        assert self.new_name is not None
        found = ledger.contact_named(self.new_name)
        return found or create_contact(ledger, {"Name": self.new_name}, now)


def choose_contact(
    ledger: Ledger, raw: Any, problems: Problems, allow_archived: bool = False
) -> ContactChoice | None:
    """Find a document's contact by ContactID, ContactNumber or Name.

    Xero creates a contact from a Name it does not know; an archived contact is refused.
    """
    if not isinstance(raw, dict):
        problems.add('Contact is required: give {"ContactID": "..."} or {"Name": "..."}')
        return None
    contact: Record | None = None
    contact_id = raw.get("ContactID")
    if contact_id:
        contact = ledger.contacts.get(str(contact_id).lower())
        if contact is None:
            problems.add(f"Contact with ContactID {contact_id} could not be found")
            return None
    elif raw.get("ContactNumber"):
        contact = find_by_number(ledger, str(raw["ContactNumber"]))
        if contact is None and not raw.get("Name"):
            problems.add(f"Contact with ContactNumber {raw['ContactNumber']} could not be found")
            return None
    if contact is None:
        name = raw.get("Name")
        if not isinstance(name, str) or not name.strip():
            problems.add('Contact is required: give {"ContactID": "..."} or {"Name": "..."}')
            return None
        contact = ledger.contact_named(name)
        if contact is None:
            return ContactChoice(None, name.strip())
    if contact["ContactStatus"] != "ACTIVE" and not allow_archived:
        problems.add(ARCHIVED_MESSAGE)
    return ContactChoice(contact, None)
