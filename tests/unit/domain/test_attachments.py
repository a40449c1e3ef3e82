"""The checks a file or a note passes before it is stored: Xero's types, size and count."""

import pytest

from ledgerlink.domain.attachments import (
    MAX_FILE_BYTES,
    MAX_NOTE_LENGTH,
    check_file_name,
    check_file_size,
    check_note,
    check_room,
    content_hash,
)
from ledgerlink.domain.errors import DomainError


@pytest.mark.parametrize("name", ["scan.pdf", "Photo.JPG", "  sheet.xlsx ", "a.b.c.zip"])
def test_file_types_xero_takes(name: str) -> None:
    assert check_file_name(name) == name.strip()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "has no name"),
        ("run.exe", "'.exe'; Xero takes only these file types"),
        ("README", "has no extension"),
        ("../etc/passwd.txt", "has a slash"),
        ("x" * 252 + ".pdf", "shorten it to at most 255"),
    ],
    ids=["empty", "type", "no-extension", "slash", "long"],
)
def test_file_names_xero_refuses(name: str, says: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_file_name(name)
    assert refused.value.field == "file" and says in refused.value.message


def test_size_limits() -> None:
    check_file_size(1)
    check_file_size(MAX_FILE_BYTES)
    for size in (0, MAX_FILE_BYTES + 1):
        with pytest.raises(DomainError):
            check_file_size(size)


def test_room_for_ten_files_with_distinct_names() -> None:
    nine = [f"p{n}.pdf" for n in range(9)]
    check_room(nine, "p9.pdf")
    with pytest.raises(DomainError, match="Xero's limit is 10 a document"):
        check_room([*nine, "p9.pdf"], "p10.pdf")
    with pytest.raises(DomainError, match=r"already has a file named 'P1\.PDF'"):
        check_room(nine, "P1.PDF")


def test_notes() -> None:
    assert check_note("  Checked  ") == "Checked"
    for text in ("", "   ", "x" * (MAX_NOTE_LENGTH + 1)):
        with pytest.raises(DomainError):
            check_note(text)


def test_the_same_bytes_have_the_same_hash() -> None:
    assert content_hash(b"a") == content_hash(b"a") != content_hash(b"b")
    assert len(content_hash(b"")) == 64
