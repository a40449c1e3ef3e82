from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import LineAmountType
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.records import CompanySettings, Role
from ledgerlink.store.tables import api_tokens

if TYPE_CHECKING:
    from tests.integration.conftest import FakeClock, UowFactory


def test_company_round_trips_with_its_settings(uow_factory: UowFactory) -> None:
    settings = CompanySettings(
        rounding=4,
        line_amount_type=LineAmountType.INCLUSIVE,
        options={"export_status": "AUTHORISED"},
    )
    with uow_factory() as uow:
        created = uow.companies.add("  Acme Ltd ", settings)
        uow.commit()

    with uow_factory() as uow:
        loaded = uow.companies.get(created.id)
        by_name = uow.companies.get_by_name("Acme Ltd")

    assert loaded == created
    assert by_name == created
    assert loaded is not None
    assert loaded.name == "Acme Ltd"
    assert loaded.settings.rounding == 4
    assert loaded.settings.line_amount_type is LineAmountType.INCLUSIVE
    assert dict(loaded.settings.options) == {"export_status": "AUTHORISED"}


def test_company_names_are_unique(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.companies.add("Acme Ltd")
        uow.commit()

    with uow_factory() as uow, pytest.raises(DuplicateRecord, match="name 'Acme Ltd'"):
        uow.companies.add("Acme Ltd")


def test_companies_list_by_name_in_pages_and_settings_update(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        for name in ("Cyberdyne", "Acme", "Buy n Large"):
            uow.companies.add(name)
        uow.commit()

    with uow_factory() as uow:
        first_page = [company.name for company in uow.companies.list(limit=2)]
        second_page = [company.name for company in uow.companies.list(limit=2, offset=2)]
        total = uow.companies.count()
        acme = uow.companies.get_by_name("Acme")
        assert acme is not None
        updated = uow.companies.update_settings(acme.id, CompanySettings(rounding=4))
        uow.commit()

    assert first_page == ["Acme", "Buy n Large"]
    assert second_page == ["Cyberdyne"]
    assert total == 3
    assert updated is not None
    assert updated.settings.rounding == 4
    with uow_factory() as uow:
        assert uow.companies.update_settings(uuid.uuid4(), CompanySettings()) is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rounding": 3}, "settings.rounding"),
        ({"line_amount_type": "Gross"}, "settings.line_amount_type"),
        ({"colour": "blue"}, "settings.colour"),
        ({"options": ["x"]}, "settings.options"),
    ],
    ids=["rounding-3", "unknown-line-amount-type", "unknown-key", "options-not-object"],
)
def test_bad_settings_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        CompanySettings.from_json(data)
    assert caught.value.field == field


def test_users_have_one_role_per_company(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        acme = uow.companies.add("Acme")
        globex = uow.companies.add("Globex")
        user = uow.users.add(" Ada@Example.COM ", "Ada")
        uow.users.grant(user.id, acme.id, Role.MEMBER)
        uow.users.grant(user.id, acme.id, Role.ADMIN)
        uow.users.grant(user.id, globex.id, Role.MEMBER)
        uow.commit()

    with uow_factory() as uow:
        loaded = uow.users.get_by_email("ada@example.com")
        roles = uow.users.roles(user.id)
        members = uow.users.members(acme.id)
        uow.users.revoke(user.id, globex.id)
        uow.commit()
        after_revoke = uow.users.roles(user.id)

    assert loaded == user
    assert user.email == "ada@example.com"
    assert roles == {acme.id: Role.ADMIN, globex.id: Role.MEMBER}
    assert members == [(user, Role.ADMIN)]
    assert after_revoke == {acme.id: Role.ADMIN}


def test_user_emails_are_unique_and_checked(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.users.add("ada@example.com")
        uow.commit()

    with uow_factory() as uow:
        uow.users.add("bob@example.com")
        assert [user.email for user in uow.users.list()] == ["ada@example.com", "bob@example.com"]
        assert [user.email for user in uow.users.list(limit=1, offset=1)] == ["bob@example.com"]
        assert uow.users.count() == 2
        with pytest.raises(DuplicateRecord, match="email"):
            uow.users.add("ADA@example.com")
        with pytest.raises(InvalidValue, match="not an email address"):
            uow.users.add("ada at example")


def test_tokens_are_stored_hashed_and_find_their_owner(
    uow_factory: UowFactory, clock: FakeClock
) -> None:
    with uow_factory() as uow:
        acme = uow.companies.add("Acme")
        user = uow.users.add("ada@example.com", "Ada")
        uow.users.grant(user.id, acme.id, Role.ADMIN)
        issued = uow.tokens.issue(user.id, "ci")
        uow.commit()

    with uow_factory() as uow:
        stored = uow.session.execute(select(api_tokens)).mappings().one()
    assert issued.secret.startswith("ll_")
    assert len(issued.secret) > 40
    assert stored["secret_hash"] == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in {str(value) for value in stored.values()}
    assert issued.secret.startswith(stored["prefix"])
    assert len(stored["prefix"]) == 11

    clock.advance(120)
    with uow_factory() as uow:
        owner = uow.tokens.find_owner(issued.secret)
        assert owner is not None
        assert uow.tokens.use_is_stale(owner.token)
        uow.tokens.stamp_use(owner.token.id)
        uow.commit()

    assert owner is not None
    assert owner.user == user
    assert owner.role_in(acme.id) is Role.ADMIN
    assert owner.role_in(uuid.uuid4()) is None
    with uow_factory() as uow:
        (listed,) = uow.tokens.list(user.id)
    assert listed.last_used_at == clock.now
    assert listed.prefix == issued.token.prefix


@pytest.mark.parametrize(
    "presented",
    ["ll_not-a-real-token", "", "Bearer ll_x"],
    ids=["unknown", "empty", "with-scheme"],
)
def test_unknown_tokens_find_nobody(uow_factory: UowFactory, presented: str) -> None:
    with uow_factory() as uow:
        user = uow.users.add("ada@example.com")
        uow.tokens.issue(user.id, "ci")
        uow.commit()

    with uow_factory() as uow:
        assert uow.tokens.find_owner(presented) is None


def test_revoked_tokens_find_nobody(uow_factory: UowFactory, clock: FakeClock) -> None:
    with uow_factory() as uow:
        user = uow.users.add("ada@example.com")
        other = uow.users.add("bob@example.com")
        issued = uow.tokens.issue(user.id, "ci")
        uow.commit()

    with uow_factory() as uow:
        assert uow.tokens.revoke(other.id, issued.token.id) is False
        assert uow.tokens.revoke(user.id, issued.token.id) is True
        assert uow.tokens.revoke(user.id, issued.token.id) is False
        uow.commit()

    with uow_factory() as uow:
        assert uow.tokens.find_owner(issued.secret) is None
        (listed,) = uow.tokens.list(user.id)
    assert listed.revoked_at == clock.now
