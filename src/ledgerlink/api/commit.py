"""Commit a change only once its answer is written: an answer that fails stores nothing."""

from typing import TypeVar

from pydantic_core import to_json

from ledgerlink.store.uow import SqlUnitOfWork

T = TypeVar("T")


def commit_answering(uow: SqlUnitOfWork, answer: T) -> T:
    """Write `answer` as JSON, then commit `uow`; return `answer` for the route to send.

    Writing first means an answer that cannot be written (text UTF-8 cannot encode, a
    value JSON cannot hold) raises before anything is committed.
    """
    to_json(answer)
    uow.commit()
    return answer
