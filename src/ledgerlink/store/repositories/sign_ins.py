"""Failed sign-ins in a row, per email, so that the console can slow guessing down."""

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import sign_in_failures


class SignInFailureRepository:
    """How many sign-ins failed in a row for an email (known to ledgerlink or not)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def failures(self, email: str) -> int:
        found = self._session.execute(
            select(sign_in_failures.c.failures).where(sign_in_failures.c.email == email)
        ).scalar_one_or_none()
        return int(found or 0)

    def record_failure(self, email: str, now: datetime) -> int:
        """Count one more failure for ``email``; returns the count."""
        if not self._count_one_more(email, now):
            try:
                with self._session.begin_nested():
                    self._session.execute(
                        sign_in_failures.insert().values(
                            email=email, failures=1, last_failed_at=now
                        )
                    )
            except IntegrityError:  # another sign-in wrote the first failure meanwhile
                self._count_one_more(email, now)
        return self.failures(email)

    def _count_one_more(self, email: str, now: datetime) -> bool:
        return bool(
            rowcount(
                self._session.execute(
                    update(sign_in_failures)
                    .where(sign_in_failures.c.email == email)
                    .values(failures=sign_in_failures.c.failures + 1, last_failed_at=now)
                )
            )
        )

    def clear(self, email: str) -> None:
        self._session.execute(delete(sign_in_failures).where(sign_in_failures.c.email == email))
