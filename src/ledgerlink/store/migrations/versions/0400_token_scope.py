"""API tokens may be scoped to one company; tokens handed to admins are retrofitted.

Adding a person to a company used to answer a new unscoped token of theirs, named
"added by <admin's email>", to the admin. Such a token is revoked when its owner had an
older token (it was an existing person's credential in another's hands); otherwise it
was a new person's first token and is scoped to the one company where that admin added
them, or revoked when that company cannot be told.

Revision ID: 0400
Revises: 0004
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

ADDED_BY = "added by "

revision: str = "0400"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("company_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_api_tokens_company_id_companies"),
            "companies",
            ["company_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _retrofit_tokens_added_by_admins(op.get_bind())


def _retrofit_tokens_added_by_admins(bind: sa.Connection) -> None:
    stamp = sa.DateTime(timezone=True)
    tokens = sa.table(
        "api_tokens",
        sa.column("id", sa.Uuid()),
        sa.column("user_id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("created_at", stamp),
        sa.column("revoked_at", stamp),
        sa.column("company_id", sa.Uuid()),
    )
    users = sa.table("users", sa.column("id", sa.Uuid()), sa.column("email", sa.String()))
    member = sa.table(
        "memberships",
        sa.column("user_id", sa.Uuid()),
        sa.column("company_id", sa.Uuid()),
        sa.column("role", sa.String()),
    )
    admin = member.alias("admin")
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite holds UTC timestamps naive
    added = bind.execute(
        sa.select(tokens.c.id, tokens.c.user_id, tokens.c.name, tokens.c.created_at).where(
            tokens.c.revoked_at.is_(None), tokens.c.name.like(f"{ADDED_BY}%")
        )
    ).all()
    for token_id, user_id, name, created_at in added:
        older = bind.execute(
            sa.select(sa.func.count()).where(
                tokens.c.user_id == user_id, tokens.c.created_at < created_at
            )
        ).scalar_one()
        companies = bind.execute(
            sa.select(member.c.company_id)
            .join(admin, admin.c.company_id == member.c.company_id)
            .join(users, users.c.id == admin.c.user_id)
            .where(
                member.c.user_id == user_id,
                admin.c.role == "admin",
                users.c.email == name.removeprefix(ADDED_BY).strip().lower(),
            )
        ).all()
        change = (
            {"company_id": companies[0][0]}
            if older == 0 and len(companies) == 1
            else {"revoked_at": now}
        )
        bind.execute(tokens.update().where(tokens.c.id == token_id).values(**change))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_constraint(op.f("fk_api_tokens_company_id_companies"), type_="foreignkey")
        batch.drop_column("company_id")
