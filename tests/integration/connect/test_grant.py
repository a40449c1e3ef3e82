"""Reading which consent an access token comes from."""

import base64
import json

import pytest

from ledgerlink.sync.connect_grant import auth_event_id


def jwt(claims: object) -> str:
    def part(data: object) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (jwt({"authentication_event_id": "e-1", "sub": "x"}), "e-1"),
        (jwt({"sub": "x"}), None),
        (jwt(["not", "claims"]), None),
        ("opaque-token", None),
        ("a.%%%.c", None),
    ],
    ids=["claim", "no-claim", "not-an-object", "opaque", "bad-base64"],
)
def test_auth_event_id(token: str, expected: str | None) -> None:
    assert auth_event_id(token) == expected
