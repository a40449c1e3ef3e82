"""A write's checkpoint copies only the records the write reads, and still undoes it all."""

import datetime as dt

from xero_sandbox.accounting.ledger import Ledger

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def ledger_with_contacts(count: int) -> Ledger:
    ledger = Ledger.empty("Checkpoint Ltd", NOW)
    ledger.seed_bulk(NOW, contacts=count)
    return ledger


def test_a_rolled_back_write_leaves_every_record_as_it_was() -> None:
    ledger = ledger_with_contacts(3)
    first, second, _ = list(ledger.contacts)
    before = {key: dict(record) for key, record in ledger.contacts.items()}
    checkpoint = ledger.checkpoint()
    ledger.contacts[first]["Name"] = "Changed in place"
    ledger.contacts.pop(second)
    ledger.add_contact({"ContactID": "new", "Name": "Added", "ContactStatus": "ACTIVE"})
    ledger.roll_back(checkpoint)
    ledger.settle()
    assert {key: dict(record) for key, record in ledger.contacts.items()} == before


def test_a_kept_write_keeps_its_changes() -> None:
    ledger = ledger_with_contacts(2)
    first = next(iter(ledger.contacts))
    ledger.checkpoint()
    ledger.contacts[first]["Name"] = "Renamed"
    ledger.settle()
    assert ledger.contacts[first]["Name"] == "Renamed"
    assert type(ledger.tables["Contacts"]) is dict


def test_records_a_write_does_not_read_are_not_copied() -> None:
    ledger = ledger_with_contacts(1000)
    originals = {key: id(record) for key, record in ledger.tables["Contacts"].items()}
    touched = next(iter(originals))
    ledger.checkpoint()
    ledger.contacts[touched]["Name"] = "Only this one"
    ledger.settle()
    after = {key: id(record) for key, record in ledger.tables["Contacts"].items()}
    assert [key for key in originals if originals[key] != after[key]] == [touched]
