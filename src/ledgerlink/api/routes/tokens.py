"""The caller: who they are, and their own API tokens.

A token scoped to one company sees and manages only the caller's tokens scoped to that
company, and mints only such tokens: it never widens what its holder can reach.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import CallerDep, UowDep
from ledgerlink.api.problems import field_error, not_found
from ledgerlink.api.schemas.common import Strict
from ledgerlink.store.records import ApiToken, Role

router = APIRouter(prefix="/me", tags=["me"])


class MyCompany(BaseModel):
    id: UUID
    name: str
    role: Role


class MePublic(BaseModel):
    user_id: UUID
    email: str
    token_id: UUID = Field(description="The token this request was made with.")
    token_company_id: UUID | None = Field(
        description="The one company that token reaches; null: all of the caller's."
    )
    companies: list[MyCompany]


class TokenPublic(BaseModel):
    id: UUID
    prefix: str = Field(description="The token's first characters, to recognise it.")
    name: str
    company_id: UUID | None = Field(description="The one company it reaches; null: all.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokensPublic(BaseModel):
    data: list[TokenPublic]


class TokenCreate(Strict):
    name: Annotated[str, Field(examples=["ci"], description="What the token is for.")]
    company_id: UUID | None = Field(
        None,
        description="Reach only this company (one of the caller's). Omitted: the same reach "
        "as the token making the request.",
    )


class TokenCreated(TokenPublic):
    token: str = Field(description="The secret; shown once, never again.")


class TokensRevoked(BaseModel):
    revoked: int = Field(description="How many live tokens were revoked.")


def _public(token: ApiToken) -> TokenPublic:
    return TokenPublic(
        id=token.id,
        prefix=token.prefix,
        name=token.name,
        company_id=token.company_id,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get("", summary="Who the caller is and the companies their token reaches")
def get_me(caller: CallerDep, uow: UowDep) -> MePublic:
    companies = []
    for company_id, role in caller.roles.items():
        company = uow.companies.get(company_id)
        if company is not None:
            companies.append(MyCompany(id=company.id, name=company.name, role=role))
    companies.sort(key=lambda c: c.name)
    return MePublic(
        user_id=caller.user_id,
        email=caller.email,
        token_id=caller.token_id,
        token_company_id=caller.scope,
        companies=companies,
    )


@router.get("/tokens", summary="List the caller's API tokens (never their secrets)")
def list_tokens(caller: CallerDep, uow: UowDep) -> TokensPublic:
    tokens = uow.tokens.list(caller.user_id, company_id=caller.scope)
    return TokensPublic(data=[_public(token) for token in tokens])


@router.post("/tokens", status_code=201, summary="Issue a new API token to the caller")
def create_token(body: TokenCreate, caller: CallerDep, uow: UowDep) -> TokenCreated:
    scope = body.company_id or caller.scope
    if scope is not None and scope not in caller.roles:
        raise field_error(
            422, "company_id", "not one of the companies this token reaches; see GET /api/v1/me"
        )
    issued = uow.tokens.issue(caller.user_id, body.name, scope)
    created = TokenCreated(**_public(issued.token).model_dump(), token=issued.secret)
    return commit_answering(uow, created)


@router.delete(
    "/tokens/{token_id}", status_code=204, summary="Revoke one of the caller's API tokens"
)
def revoke_token(token_id: UUID, caller: CallerDep, uow: UowDep) -> None:
    if uow.tokens.get(caller.user_id, token_id, company_id=caller.scope) is None:
        raise not_found(f"token {token_id}")
    uow.tokens.revoke(caller.user_id, token_id)
    uow.commit()


@router.delete("/tokens", summary="Revoke all the caller's API tokens, the one in use included")
def revoke_tokens(caller: CallerDep, uow: UowDep) -> TokensRevoked:
    revoked = uow.tokens.revoke_all(caller.user_id, company_id=caller.scope)
    return commit_answering(uow, TokensRevoked(revoked=revoked))
