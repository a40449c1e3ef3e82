"""A company's settings and users: admins only change them."""

import dataclasses
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import AdminDep, UowDep
from ledgerlink.api.problems import field_error, not_found
from ledgerlink.api.schemas.common import Strict
from ledgerlink.domain.money import LineAmountType
from ledgerlink.store.records import CompanySettings, Role
from ledgerlink.store.repositories.inbound_polls import minutes_setting
from ledgerlink.store.repositories.reconciliations import hour_setting
from ledgerlink.sync.imports import REFRESH_SETTING
from ledgerlink.sync.inbound.contacts import NEW_CONTACTS_SETTING
from ledgerlink.sync.inbound.poll import DEFAULT_POLL_MINUTES, POLL_SETTING
from ledgerlink.sync.inbound.reconcile import DEFAULT_RECONCILE_HOUR, RECONCILE_HOUR_SETTING

router = APIRouter(prefix="/companies/{company_id}", tags=["companies"])

MIN_REFRESH_MINUTES = 5


class CompanySettingsPublic(BaseModel):
    rounding: int = Field(description="Unit price decimal places: 2 or 4.")
    line_amount_type: LineAmountType
    xero_refresh_minutes: int | None = Field(
        description="How often the worker refreshes what was imported from Xero; "
        "null: only on demand."
    )
    xero_payments_poll_minutes: int = Field(
        description="How often the worker reads the payments made in Xero (Xero sends no "
        "webhook for them); 0: only after invoice events and on demand."
    )
    xero_new_contacts: Literal["add", "review"] = Field(
        description="A contact added in Xero: added here as a supplier or customer (add), "
        "or only noted for a person to import (review)."
    )
    xero_reconcile_hour: int = Field(
        description="The hour of the night (UTC, 0-23) the worker compares every linked "
        "bill and sales invoice with Xero (see `GET .../sync/drift`)."
    )


class CompanySettingsUpdate(Strict):
    rounding: Literal[2, 4] | None = Field(None, description="Unit price decimal places.")
    line_amount_type: LineAmountType | None = Field(
        None, description="The default for new documents that do not say."
    )
    xero_refresh_minutes: int | None = Field(
        None, ge=0, le=7 * 24 * 60, description="5 minutes to a week; 0 turns it off."
    )
    xero_payments_poll_minutes: int | None = Field(
        None, ge=0, le=7 * 24 * 60, description="1 minute to a week; 0 turns the schedule off."
    )
    xero_new_contacts: Literal["add", "review"] | None = Field(
        None, description="What a contact added in Xero does here."
    )
    xero_reconcile_hour: int | None = Field(
        None, ge=0, le=23, description="The hour (UTC, 0-23) of the nightly comparison."
    )

    @field_validator("xero_refresh_minutes")
    @classmethod
    def _at_least_five(cls, minutes: int | None) -> int | None:
        if minutes is not None and 0 < minutes < MIN_REFRESH_MINUTES:
            raise ValueError("refresh at most every 5 minutes (or 0 to turn it off)")
        return minutes


def _public(settings: CompanySettings) -> CompanySettingsPublic:
    minutes = settings.options.get(REFRESH_SETTING)
    return CompanySettingsPublic(
        rounding=settings.rounding,
        line_amount_type=settings.line_amount_type,
        xero_refresh_minutes=minutes if isinstance(minutes, int) and minutes > 0 else None,
        xero_payments_poll_minutes=minutes_setting(
            settings.options, POLL_SETTING, DEFAULT_POLL_MINUTES
        ),
        xero_new_contacts="review"
        if settings.options.get(NEW_CONTACTS_SETTING) == "review"
        else "add",
        xero_reconcile_hour=hour_setting(
            settings.options, RECONCILE_HOUR_SETTING, DEFAULT_RECONCILE_HOUR
        ),
    )


class MemberPublic(BaseModel):
    user_id: UUID
    email: str
    role: Role


class MembersPublic(BaseModel):
    data: list[MemberPublic]


class MemberCreate(Strict):
    email: Annotated[str, Field(examples=["ap@acme.example"])]
    role: Role = Role.MEMBER


class MemberCreated(MemberPublic):
    message: str = Field(description="How the person reaches the company.")


@router.get("/settings", summary="Get the company's settings")
def get_settings(access: AdminDep, uow: UowDep) -> CompanySettingsPublic:
    company = uow.companies.get(access.company_id)
    if company is None:
        raise not_found(f"company {access.company_id}")
    return _public(company.settings)


@router.patch("/settings", summary="Change the company's rounding and line amount type")
def update_settings(
    body: CompanySettingsUpdate, access: AdminDep, uow: UowDep
) -> CompanySettingsPublic:
    company = uow.companies.get(access.company_id)
    if company is None:
        raise not_found(f"company {access.company_id}")
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    options = dict(company.settings.options)
    minutes = changes.pop("xero_refresh_minutes", None)
    if minutes is not None:
        options[REFRESH_SETTING] = minutes
    for key, option in (
        ("xero_payments_poll_minutes", POLL_SETTING),
        ("xero_new_contacts", NEW_CONTACTS_SETTING),
        ("xero_reconcile_hour", RECONCILE_HOUR_SETTING),
    ):
        value = changes.pop(key, None)
        if value is not None:
            options[option] = value
    settings = dataclasses.replace(company.settings, **changes, options=options)
    uow.companies.update_settings(access.company_id, settings)
    return commit_answering(uow, _public(settings))


@router.get("/users", summary="List the company's users and their roles")
def list_members(access: AdminDep, uow: UowDep) -> MembersPublic:
    return MembersPublic(
        data=[
            MemberPublic(user_id=user.id, email=user.email, role=role)
            for user, role in uow.users.members(access.company_id)
        ]
    )


@router.post(
    "/users",
    status_code=201,
    summary="Add a person to the company with a role; no credential is handed out",
    description="The person reaches the company with their own API tokens. A person new to "
    "ledgerlink gets their first token from the operator (`ledgerlink users token EMAIL "
    "--company NAME`); a token is only ever shown to its owner or printed to the operator.",
)
def add_member(body: MemberCreate, access: AdminDep, uow: UowDep) -> MemberCreated:
    existing = uow.users.get_by_email(body.email)
    user = existing or uow.users.add(body.email)
    uow.users.grant(user.id, access.company_id, body.role)
    if existing is not None:
        message = f"{user.email} now reaches this company with their own API tokens"
    else:
        message = (
            f"{user.email} is new to ledgerlink: the operator gives them their first API token "
            "with `ledgerlink users token EMAIL --company NAME`"
        )
    created = MemberCreated(user_id=user.id, email=user.email, role=body.role, message=message)
    return commit_answering(uow, created)


@router.delete(
    "/users/{user_id}",
    status_code=204,
    summary="Take a user out of the company and revoke their tokens scoped to it",
)
def remove_member(user_id: UUID, access: AdminDep, uow: UowDep) -> None:
    members = dict((user.id, role) for user, role in uow.users.members(access.company_id))
    if user_id not in members:
        raise not_found(f"user {user_id}")
    admins = [uid for uid, role in members.items() if role is Role.ADMIN]
    if admins == [user_id]:
        raise field_error(
            409, "user_id", "this is the company's last admin; make another user admin first"
        )
    uow.users.revoke(user_id, access.company_id)
    uow.tokens.revoke_all(user_id, company_id=access.company_id)
    uow.commit()
