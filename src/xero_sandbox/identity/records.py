"""What the identity service remembers: codes, grants, access tokens and connections."""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class AuthorizationCode:
    """A one-time code from the consent page, redeemed at `/connect/token`."""

    client_id: str
    redirect_uri: str
    scopes: list[str]
    tenant_ids: list[str]
    auth_event_id: str
    code_challenge: str | None
    expires_at: datetime
    used: bool = False


@dataclass
class Grant:
    """One consent: a refresh-token chain and the access tokens issued from it."""

    id: str
    client_id: str
    scopes: list[str]
    tenant_ids: list[str]
    auth_event_id: str
    created: datetime
    custom_tenant_id: str | None = None
    refresh_hash: str | None = None
    refresh_expires_at: datetime | None = None
    previous_refresh_hash: str | None = None
    previous_valid_until: datetime | None = None
    revoked: bool = False


@dataclass
class AccessToken:
    """An issued access token (kept by hash, never in the clear)."""

    grant_id: str
    client_id: str
    expires_at: datetime


@dataclass
class Connection:
    """An organisation connected to an app (`GET /connections`)."""

    id: str
    client_id: str
    tenant_id: str
    tenant_name: str
    auth_event_id: str
    created: datetime
    updated: datetime
    extra: dict[str, Any] = field(default_factory=dict)

    def to_public(self) -> dict[str, Any]:
        """The JSON Xero answers for this connection."""
        return {
            "id": self.id,
            "authEventId": self.auth_event_id,
            "tenantId": self.tenant_id,
            "tenantType": "ORGANISATION",
            "tenantName": self.tenant_name,
            "createdDateUtc": _xero_utc(self.created),
            "updatedDateUtc": _xero_utc(self.updated),
        }


def _xero_utc(moment: datetime) -> str:
    # Xero writes connection dates without an offset, e.g. 2019-12-07T18:46:19.5165400.
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0"


def record_to_dict(record: Any) -> dict[str, Any]:
    """A JSON-able copy of a record: datetimes as ISO strings."""
    out: dict[str, Any] = {}
    for key, value in asdict(record).items():
        out[key] = value.isoformat() if isinstance(value, datetime) else value
    return out


_DATETIME_FIELDS = frozenset(
    {
        "expires_at",
        "refresh_expires_at",
        "previous_valid_until",
        "created",
        "updated",
    }
)


def datetimes_from_dict(data: dict[str, Any]) -> dict[str, Any]:
    """Undo `record_to_dict` for the datetime fields."""
    return {
        key: datetime.fromisoformat(value)
        if key in _DATETIME_FIELDS and isinstance(value, str)
        else value
        for key, value in data.items()
    }
