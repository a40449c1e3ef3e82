"""The client's per-element results of a create, as the exporter sorts them."""

from __future__ import annotations

from typing import Any

import pytest

from ledgerlink.sync.export.create_steps import Answer, answer_of
from xero_client import BatchResult, ElementErrors, RateLimited, ServerError
from xero_client._batch import refused_chunk


def test_a_refused_request_fails_the_faulty_element_and_sends_the_others_again() -> None:
    results = refused_chunk(
        range(10, 13), [ElementErrors(index=1, messages=("Account code '999' is not valid",))]
    )

    assert [r.index for r in results] == [10, 11, 12]
    assert [answer_of(r) for r in results] == [Answer.AGAIN, Answer.REFUSED, Answer.AGAIN]


def test_messages_tied_to_no_element_fail_every_element() -> None:
    results = refused_chunk(range(2), [ElementErrors(index=None, messages=("Bad request",))])

    assert [answer_of(r) for r in results] == [Answer.REFUSED, Answer.REFUSED]


def test_an_elements_own_message_is_a_refusal_whatever_its_words() -> None:
    (result,) = refused_chunk(
        range(1), [ElementErrors(index=0, messages=("not saved: the contact is archived",))]
    )

    assert answer_of(result) is Answer.REFUSED


@pytest.mark.parametrize(
    ("result", "answer"),
    [
        (BatchResult(index=0, id="inv-1", element=object()), Answer.SAVED),
        (
            BatchResult(
                index=0,
                id=None,
                element=None,
                error=RateLimited("slow down", limit="minute", retry_after=30),
            ),
            Answer.RATE_LIMITED,
        ),
        (BatchResult(index=0, id=None, element=None, error=ServerError("503")), Answer.UNSENT),
        (BatchResult(index=0, id=None, element=None, errors=("Date is required",)), Answer.REFUSED),
        (BatchResult(index=0, id=None, element=None), Answer.AGAIN),
    ],
    ids=["saved", "rate-limited", "unsent", "refused", "no-id-no-reason"],
)
def test_each_answer_is_sorted_for_what_comes_next(
    result: BatchResult[Any], answer: Answer
) -> None:
    assert answer_of(result) is answer
