"""The checks made before sending: each document against the imported reference data and
the organisation's lock dates and currencies, read from Xero now and then."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ledgerlink.sync.export.kind import DocumentKind
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.plan import Job
from ledgerlink.sync.export.results import Results
from ledgerlink.sync.export.snapshot import Snapshot
from ledgerlink.sync.export.state import Env
from ledgerlink.xero.outbound.checks import check_document


async def read_organisation(env: Env, snapshot: Snapshot) -> Snapshot:
    """The snapshot with the organisation's lock dates and currencies in its reference data."""
    if env.organisation is None:
        return snapshot
    facts = await env.organisation.get(env.client, env.clock())
    if facts is None:
        return snapshot
    snapshot.reference = replace(
        snapshot.reference,
        currencies=facts.currencies,
        period_lock_date=facts.period_lock_date,
        end_of_year_lock_date=facts.end_of_year_lock_date,
    )
    return snapshot


def check(
    snapshot: Snapshot,
    jobs: Sequence[Job],
    kinds: dict[str, DocumentKind],
    results: Results,
) -> tuple[list[Job], list[Outcome]]:
    """The jobs that pass the checks, and the refusals of the others (nothing is written)."""
    ready: list[Job] = []
    refused: list[Outcome] = []
    for job in jobs:
        kind = kinds[job.kind]
        document = job.document
        party_id = kind.party_of(document) if kind.party_kind else None
        party = snapshot.party(kind.party_kind, party_id) if kind.party_kind and party_id else None
        problems = check_document(
            document, snapshot.reference, party=party, defaults=snapshot.defaults
        )
        if not problems:
            ready.append(job)
            continue
        refused.append(
            results.refused(
                snapshot.state(job.kind, document.id),
                action="check",
                summary=kind.summary(document),
                messages=tuple(f"{p.field}: {p.message}" for p in problems),
                fix="; ".join(dict.fromkeys(p.fix for p in problems)),
                row_ids=job.row_ids,
                checked_here=True,
            )
        )
    return ready, refused
