"""Xero's `where` filter: a small expression language over a record's fields.

Supported: `==`, `!=`, `<`, `<=`, `>`, `>=`, `AND`/`&&`, `OR`/`||`, `NOT`/`!`, parentheses,
dotted fields (`Contact.ContactID`), string/number/`true`/`false`/`null` literals,
`Guid("...")`, `DateTime(2024, 01, 31)`, and the methods `StartsWith`, `EndsWith`,
`Contains`, `ToLower()` and `ToUpper()`.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from xero_sandbox.accounting.context import BadRequest

Predicate = Callable[[dict[str, Any]], bool]
_Value = Callable[[dict[str, Any]], Any]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|<=|>=|<|>|&&|\|\||!|\(|\)|,|\.)
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise BadRequest(f"where: cannot read {text[position : position + 20]!r} in {text!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _lookup(record: dict[str, Any], path: list[str]) -> Any:
    value: Any = record
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _comparable(left: Any, right: Any) -> tuple[Any, Any]:
    if isinstance(left, datetime) and isinstance(right, date) and not isinstance(right, datetime):
        return left.date(), right
    if isinstance(left, date) and not isinstance(left, datetime) and isinstance(right, datetime):
        return left, right.date()
    if isinstance(left, Decimal | int | float) and not isinstance(left, bool):
        try:
            return Decimal(str(left)), Decimal(str(right))
        except InvalidOperation:
            return str(left), str(right)
    return left, right


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("==", "!="):
        if isinstance(left, str) and isinstance(right, str) and _is_guid(right):
            equal = left.lower() == right.lower()
        else:
            a, b = _comparable(left, right)
            equal = a == b
        return equal if op == "==" else not equal
    if left is None or right is None:
        return False
    a, b = _comparable(left, right)
    try:
        if op == "<":
            return bool(a < b)
        if op == "<=":
            return bool(a <= b)
        if op == ">":
            return bool(a > b)
        return bool(a >= b)
    except TypeError:
        return False


def _is_guid(text: str) -> bool:
    return bool(
        re.fullmatch(
            r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text
        )
    )


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def fail(self, why: str) -> BadRequest:
        return BadRequest(f"where: {why} in {self.text!r}")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise self.fail("unexpected end")
        self.index += 1
        return token

    def expect(self, value: str) -> None:
        token = self.take()
        if token[1] != value:
            raise self.fail(f"expected {value!r}, found {token[1]!r}")

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[1].upper() in words

    def parse(self) -> Predicate:
        predicate = self.parse_or()
        if self.peek() is not None:
            raise self.fail(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return predicate

    def parse_or(self) -> Predicate:
        left = self.parse_and()
        while self.at_word("OR", "||"):
            self.take()
            right = self.parse_and()
            left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
        return left

    def parse_and(self) -> Predicate:
        left = self.parse_not()
        while self.at_word("AND", "&&"):
            self.take()
            right = self.parse_not()
            left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
        return left

    def parse_not(self) -> Predicate:
        if self.at_word("NOT", "!"):
            self.take()
            inner = self.parse_not()
            return lambda r: not inner(r)
        return self.parse_comparison()

    def parse_comparison(self) -> Predicate:
        token = self.peek()
        if token is not None and token[1] == "(":
            self.take()
            inner = self.parse_or()
            self.expect(")")
            return inner
        left, method_predicate = self.parse_operand()
        if method_predicate is not None:
            return method_predicate
        token = self.peek()
        if token is None or token[1] not in ("==", "!=", "<", "<=", ">", ">="):
            # A bare boolean field, e.g. `IsSupplier`.
            return lambda r: left(r) is True
        op = self.take()[1]
        right, _ = self.parse_operand()
        return lambda r: _compare(op, left(r), right(r))

    def parse_operand(self) -> tuple[_Value, Predicate | None]:
        kind, text = self.take()
        if kind == "string":
            literal = bytes(text[1:-1], "utf-8").decode("unicode_escape")
            return (lambda r: literal), None
        if kind == "number":
            number = Decimal(text)
            return (lambda r: number), None
        if kind != "name":
            raise self.fail(f"expected a field or value, found {text!r}")
        upper = text.upper()
        if upper in ("TRUE", "FALSE"):
            flag = upper == "TRUE"
            return (lambda r: flag), None
        if upper == "NULL":
            return (lambda r: None), None
        if upper == "GUID":
            self.expect("(")
            kind, value = self.take()
            self.expect(")")
            guid = value.strip('"')
            return (lambda r: guid), None
        if upper in ("DATETIME", "DATE") and self.peek() is not None and self.peek()[1] == "(":  # type: ignore[index]
            return self.parse_datetime(), None
        path = [text]
        while self.peek() is not None and self.peek()[1] == ".":  # type: ignore[index]
            self.take()
            name = self.take()[1]
            method = name.lower()
            if method in _METHODS:
                return self.parse_method(list(path), method)
            path.append(name)
        return self.field(path), None

    def parse_method(self, path: list[str], method: str) -> tuple[_Value, Predicate | None]:
        field = self.field(path)
        self.expect("(")
        if method in ("tolower", "toupper"):
            self.expect(")")
            if method == "tolower":
                return (lambda r: _text(field(r)).lower()), None
            return (lambda r: _text(field(r)).upper()), None
        argument, _ = self.parse_operand()
        self.expect(")")
        check = _METHODS[method]
        return field, (lambda r: check(_text(field(r)), _text(argument(r))))

    def field(self, path: list[str]) -> _Value:
        frozen = list(path)
        return lambda r: _lookup(r, frozen)

    def parse_datetime(self) -> _Value:
        self.expect("(")
        parts: list[int] = []
        while True:
            kind, text = self.take()
            if kind != "number":
                raise self.fail(f"DateTime takes numbers, found {text!r}")
            parts.append(int(text))
            if self.take()[1] == ")":
                break
        if len(parts) < 3:
            raise self.fail("DateTime needs at least year, month and day")
        moment = date(*parts[:3])
        return lambda r: moment


_METHODS: dict[str, Callable[[str, str], bool]] = {
    "startswith": str.startswith,
    "endswith": str.endswith,
    "contains": str.__contains__,
    "tolower": str.__eq__,
    "toupper": str.__eq__,
}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def parse_where(text: str) -> Predicate:
    """Compile a `where` expression; a malformed one raises `BadRequest` saying where."""
    return _Parser(text).parse()
