import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

import pytest

from xero_client import InvalidRequest, dump_json, load_json, parse_date, parse_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/Date(1573755038314+0000)/", datetime(2019, 11, 14, 18, 10, 38, 314000, tzinfo=UTC)),
        ("/Date(1573755038314)/", datetime(2019, 11, 14, 18, 10, 38, 314000, tzinfo=UTC)),
        ("/Date(1573755038314+1300)/", datetime(2019, 11, 14, 18, 10, 38, 314000, tzinfo=UTC)),
        ("/Date(-86400000+0000)/", datetime(1969, 12, 31, tzinfo=UTC)),
        ("2019-02-26T00:00:00", datetime(2019, 2, 26, tzinfo=UTC)),
        ("2019-02-26T13:00:00+13:00", datetime(2019, 2, 26, tzinfo=UTC)),
        ("2019-02-26T00:00:00Z", datetime(2019, 2, 26, tzinfo=UTC)),
    ],
    ids=[
        "net-utc",
        "net-no-offset",
        "net-offset-ignored",
        "net-negative",
        "iso-naive-is-utc",
        "iso-offset",
        "iso-z",
    ],
)
def test_parse_datetime_reads_net_and_iso_dates(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/Date(1551139200000+0000)/", date(2019, 2, 26)),
        ("/Date(1551139200000)/", date(2019, 2, 26)),
        ("2019-02-26T00:00:00", date(2019, 2, 26)),
        ("2019-02-26", date(2019, 2, 26)),
    ],
    ids=["net", "net-no-offset", "iso-timestamp", "iso-date"],
)
def test_parse_date_reads_calendar_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_datetime_refuses_garbage() -> None:
    with pytest.raises(ValueError, match="Invalid isoformat"):
        parse_datetime("/Date(soon)/")


def test_amounts_are_read_as_exact_decimals() -> None:
    body = load_json(b'{"Total": 0.1, "Lines": [{"UnitAmount": 1234567.8901}], "Count": 3}')
    assert body["Total"] == Decimal("0.1")
    assert isinstance(body["Total"], Decimal)
    assert body["Lines"][0]["UnitAmount"] == Decimal("1234567.8901")
    assert body["Count"] == 3


def test_decimals_are_written_exactly_without_exponents() -> None:
    text = dump_json(
        {"A": Decimal("0.10"), "B": Decimal("1E+3"), "C": [Decimal("-0.005"), None, True]}
    )
    assert text == b'{"A":0.10,"B":1000,"C":[-0.005,null,true]}'
    assert load_json(text)["A"] == Decimal("0.10")


def test_float_amounts_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidRequest, match=r"body\.Invoices\[0\]\.Total is a float.*Decimal"):
        dump_json({"Invoices": [{"Total": 0.1}]})


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidRequest, match="no time zone"):
        dump_json({"When": datetime(2026, 1, 1)})  # noqa: DTZ001 - the point of the test


def test_dates_and_aware_datetimes_are_written_as_iso() -> None:
    text = dump_json({"D": date(2026, 1, 2), "T": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)})
    assert text == b'{"D":"2026-01-02","T":"2026-01-02T03:04:05+00:00"}'


class Fruit(StrEnum):
    APPLE = "APPLE"


def test_text_numbers_and_nesting_are_written_as_json_writes_them() -> None:
    body = {
        "Name": 'Café "Ünïcode" \\ \n\t\u2028 ✓',
        "Status": Fruit.APPLE,
        "Lines": [{"Quantity": 3, "Big": 10**30, "Negative": -5, "Flags": (True, False, None)}],
        "Empty": {},
        "None": [],
    }
    assert dump_json(body) == json.dumps(body, separators=(",", ":")).encode()
    assert load_json(dump_json(body)) == {
        **body,
        "Lines": [{**body["Lines"][0], "Flags": [True, False, None]}],
    }


def test_an_infinite_amount_deep_in_a_body_is_refused_naming_where() -> None:
    with pytest.raises(InvalidRequest, match=r"body\.Invoices\[1\]\.Total is Infinity"):
        dump_json({"Invoices": [{"Total": Decimal(1)}, {"Total": Decimal("Infinity")}]})
