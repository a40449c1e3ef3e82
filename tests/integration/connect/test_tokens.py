"""Tokens through the gateway: refresh on expiry and on 401, revocation, encryption at rest."""

from __future__ import annotations

import asyncio
import logging
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.config import Settings
from ledgerlink.store.crypto import SecretBox, SecretKeyError, UnreadableSecret, secret_box
from ledgerlink.store.tables.xero_connections import xero_connections, xero_oauth_states
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import NeedsReconnect, XeroGateway, box_of
from xero_client import XeroConnectionError
from xero_sandbox import RunningSandbox

from .conftest import SECRET_KEY, People, connect

TOKEN_TTL_SECONDS = 1800


async def test_an_expired_access_token_is_refreshed_before_the_call(
    connector: XeroConnector, gateway: XeroGateway, people: People, sandbox: RunningSandbox
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    before = await gateway.token_store(people.acme).load()
    assert before is not None
    sandbox.clock.advance(TOKEN_TTL_SECONDS + 1)
    assert (await connector.report(people.acme)).token_health == "refreshing"

    async with gateway.client(people.acme) as xero:
        await xero.get_organisation()

    after = await gateway.token_store(people.acme).load()
    assert after is not None
    assert after.refresh_token != before.refresh_token
    assert after.expires_at > sandbox.clock.now()
    assert (await connector.report(people.acme)).token_health == "ok"


async def test_a_401_refreshes_once_and_retries(
    connector: XeroConnector, gateway: XeroGateway, people: People, sandbox: RunningSandbox
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    store = gateway.token_store(people.acme)
    tokens = await store.load()
    assert tokens is not None
    # The token dies in Xero while ledgerlink still believes it has a day to live.
    await store.save(replace(tokens, expires_at=tokens.expires_at + timedelta(days=1)))
    sandbox.clock.advance(TOKEN_TTL_SECONDS + 1)

    async with gateway.client(people.acme) as xero:
        organisation = await xero.get_organisation()

    assert organisation.name == "Demo Company (Sandbox)"
    after = await store.load()
    assert after is not None
    assert after.access_token != tokens.access_token


async def test_access_revoked_in_xero_is_detected_and_shown(
    connector: XeroConnector, gateway: XeroGateway, people: People
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    tokens = await gateway.token_store(people.acme).load()
    assert tokens is not None
    async with gateway.http() as http:
        await gateway.oauth(http).revoke(tokens.refresh_token)  # as "Disconnect" in Xero does

    with pytest.raises(NeedsReconnect, match="connects it again"):
        async with gateway.client(people.acme) as xero:
            await xero.get_organisation()

    report = await connector.report(people.acme)
    assert (report.status, report.token_health) == ("needs_reconnect", "needs_reconnect")
    assert report.problem is not None and "invalid_grant" in report.problem
    with pytest.raises(NeedsReconnect):
        async with gateway.client(people.acme):
            pass


async def test_a_status_check_notices_an_organisation_disconnected_in_xero(
    connector: XeroConnector, gateway: XeroGateway, people: People
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    connection = await gateway.connection(people.acme)
    tokens = await gateway.token_store(people.acme).load()
    assert tokens is not None and connection.connection_id is not None
    async with gateway.http() as http:
        await gateway.oauth(http).delete_connection(tokens.access_token, connection.connection_id)
    assert (await connector.report(people.acme)).status == "connected"

    report = await connector.report(people.acme, check=True)

    assert report.status == "needs_reconnect"
    assert report.problem == "the organisation was disconnected from this app in Xero"


async def test_tokens_are_encrypted_at_rest_and_kept_out_of_logs(
    connector: XeroConnector,
    gateway: XeroGateway,
    people: People,
    session_factory: sessionmaker[Session],
    sandbox: RunningSandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await connect(connector, people.acme, people.acme_admin)
    sandbox.clock.advance(TOKEN_TTL_SECONDS + 1)
    async with gateway.client(people.acme) as xero:
        await xero.get_organisation()
    tokens = await gateway.token_store(people.acme).load()
    assert tokens is not None

    with session_factory() as session:
        raw = session.execute(select(xero_connections)).mappings().one()
        verifiers = session.execute(select(xero_oauth_states.c.code_verifier)).scalars().all()
    row_text = " ".join(str(value) for value in raw.values())
    secrets = [tokens.access_token, tokens.refresh_token]
    assert not [s for s in secrets if s in row_text]
    assert verifiers and all(v.startswith("gAAAA") for v in verifiers)  # Fernet tokens
    logged = caplog.text + repr(tokens) + repr(gateway.token_store(people.acme))
    assert not [s for s in secrets if s in logged]
    assert "connected to Xero organisation" in caplog.text


def test_a_different_key_cannot_read_the_tokens() -> None:
    sealed = SecretBox(SECRET_KEY).encrypt("refresh-token")
    with pytest.raises(UnreadableSecret, match="LEDGERLINK_SECRET_KEY"):
        SecretBox("another-key-of-enough-length-0123456789").decrypt(sealed)
    assert "refresh" not in repr(SecretBox(SECRET_KEY))


def test_local_use_generates_a_private_key_once(tmp_path: Path) -> None:
    var = tmp_path / "var"
    first = secret_box("development", None, var)
    key_file = var / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = secret_box("development", None, var)
    assert again.decrypt(first.encrypt("x")) == "x"
    assert list(var.iterdir()) == [key_file]


@pytest.mark.parametrize(
    ("secret_key", "message"),
    [(None, "LEDGERLINK_SECRET_KEY is not set"), ("short", "at least 32 characters")],
    ids=["missing", "too-short"],
)
def test_production_refuses_to_start_without_a_proper_key(
    tmp_path: Path, secret_key: str | None, message: str
) -> None:
    settings = Settings(environment="production", secret_key=secret_key, var_dir=tmp_path)
    with pytest.raises(SecretKeyError, match=message):
        box_of(settings)
    assert not (tmp_path / "secret.key").exists()


async def test_an_unreachable_identity_service_is_not_taken_for_revoked_access(
    connector: XeroConnector,
    gateway: XeroGateway,
    people: People,
    sandbox: RunningSandbox,
    session_factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    unreachable = settings.model_copy(update={"xero_identity_url": "http://127.0.0.1:9"})
    cut_off = XeroGateway(session_factory, unreachable, clock=sandbox.clock.now)
    sandbox.clock.advance(TOKEN_TTL_SECONDS + 1)

    with pytest.raises(XeroConnectionError, match="could not reach the identity service"):
        async with cut_off.client(people.acme) as xero:
            await xero.get_organisation()

    assert (await connector.report(people.acme)).status == "connected"


async def test_many_calls_at_once_share_one_refresh(
    connector: XeroConnector, gateway: XeroGateway, people: People, sandbox: RunningSandbox
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    sandbox.clock.advance(TOKEN_TTL_SECONDS + 1)

    async with gateway.client(people.acme) as xero:
        names = await asyncio.gather(*(xero.get_organisation() for _ in range(12)))

    assert {n.name for n in names} == {"Demo Company (Sandbox)"}
    assert gateway.refresh_count == 1


def test_a_new_key_reads_what_the_old_one_wrote_while_both_are_listed() -> None:
    old, new = SECRET_KEY, "the-new-secret-key-0123456789abcdefghij"
    written_before = SecretBox(old).encrypt("refresh-token")

    during = SecretBox(f"{new}, {old}")

    assert during.decrypt(written_before) == "refresh-token"
    assert SecretBox(new).decrypt(during.encrypt("refresh-token")) == "refresh-token"
    with pytest.raises(UnreadableSecret):
        SecretBox(new).decrypt(written_before)
    with pytest.raises(SecretKeyError, match="each key"):
        SecretBox(f"{new},short")
