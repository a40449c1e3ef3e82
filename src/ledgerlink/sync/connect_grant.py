"""What a fresh grant covers: the organisations of one consent (`authEventId`).

Xero's access tokens are JWTs whose `authentication_event_id` claim names the consent;
`GET /connections?authEventId=...` lists only the organisations chosen in it, so an app
connected to many organisations binds the right one.
https://developer.xero.com/documentation/guides/oauth2/tenants/
"""

from __future__ import annotations

import base64
import json

import httpx

from xero_client import Connection, OAuthError, Unauthorized, XeroEndpoints, load_json


def auth_event_id(access_token: str) -> str | None:
    """The consent an access token comes from, read from its (unverified) JWT claims."""
    parts = access_token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
    found = claims.get("authentication_event_id") if isinstance(claims, dict) else None
    return str(found) if found else None


async def connections_of_consent(
    http: httpx.AsyncClient, endpoints: XeroEndpoints, access_token: str, event_id: str | None
) -> list[Connection]:
    """`GET /connections`, narrowed to one consent when its id is known."""
    params = {"authEventId": event_id} if event_id else None
    response = await http.get(
        endpoints.connections_url,
        params=params,
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    if response.status_code == 401:
        raise Unauthorized(
            "Xero refused the new access token", status=401, endpoint="GET /connections"
        )
    if response.status_code != 200:
        raise OAuthError(
            f"GET /connections failed with {response.status_code}",
            status=response.status_code,
            endpoint="GET /connections",
        )
    body = load_json(response.content)
    if not isinstance(body, list):
        raise OAuthError("GET /connections did not answer with a list", status=200)
    return [Connection.from_xero(item) for item in body if isinstance(item, dict)]
