"""Companies and their settings."""

from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.clock import Clock
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.records import Company, CompanySettings
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import companies

COMPANY_NAME_MAX_LENGTH = 200


class CompanyRepository:
    """Companies by id or name; names are unique in an installation."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def add(self, name: str, settings: CompanySettings | None = None) -> Company:
        """Create a company; a taken name raises `DuplicateRecord`."""
        clean = name.strip() if isinstance(name, str) else ""
        if not clean or len(clean) > COMPANY_NAME_MAX_LENGTH:
            raise InvalidValue(
                "name", f"a company needs a name of 1 to {COMPANY_NAME_MAX_LENGTH} characters"
            )
        if self.get_by_name(clean) is not None:
            raise DuplicateRecord("company", "name", clean)
        company = Company(
            id=uuid4(),
            name=clean,
            settings=settings or CompanySettings(),
            created_at=self._clock(),
        )
        self._session.execute(
            companies.insert().values(
                id=company.id,
                name=company.name,
                settings=company.settings.to_json(),
                created_at=company.created_at,
            )
        )
        return company

    def get(self, company_id: UUID) -> Company | None:
        row = (
            self._session.execute(select(companies).where(companies.c.id == company_id))
            .mappings()
            .first()
        )
        return None if row is None else _company(row)

    def get_by_name(self, name: str) -> Company | None:
        row = (
            self._session.execute(select(companies).where(companies.c.name == name.strip()))
            .mappings()
            .first()
        )
        return None if row is None else _company(row)

    def list(self, *, limit: int = 100, offset: int = 0) -> list[Company]:
        rows = self._session.execute(
            select(companies).order_by(companies.c.name).limit(limit).offset(offset)
        ).mappings()
        return [_company(row) for row in rows]

    def count(self) -> int:
        return self._session.execute(select(func.count()).select_from(companies)).scalar_one()

    def update_settings(self, company_id: UUID, settings: CompanySettings) -> Company | None:
        """Replace a company's settings; None when there is no such company."""
        result = self._session.execute(
            companies.update()
            .where(companies.c.id == company_id)
            .values(settings=settings.to_json())
        )
        if rowcount(result) == 0:
            return None
        return self.get(company_id)


def _company(row: RowMapping) -> Company:
    return Company(
        id=row["id"],
        name=row["name"],
        settings=CompanySettings.from_json(row["settings"]),
        created_at=row["created_at"],
    )
