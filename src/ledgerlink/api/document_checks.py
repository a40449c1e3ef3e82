"""A document is checked against the imported Xero data when it is written, not when sent.

The checks are the ones the worker runs before sending (`domain.preflight`): what Xero
would refuse is refused here (422, naming each field and the fix); what Xero would take
but needs attention comes back as `warnings`.
"""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from ledgerlink.api.problems import Problem
from ledgerlink.domain.catalogue import Account, TaxRate
from ledgerlink.domain.document import Document
from ledgerlink.domain.parties import Party
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.preflight import ReferenceData, check_imported
from ledgerlink.store.repositories.aggregates import MAX_PAGE_SIZE
from ledgerlink.store.uow import SqlUnitOfWork

T = TypeVar("T")

NOT_IMPORTED = (
    "no chart of accounts is imported from Xero yet, so account codes are not checked; "
    "import it (`ledgerlink import accounts`) to have them checked"
)


def _every(page_of: Callable[..., list[T]], company_id: UUID) -> list[T]:
    found: list[T] = []
    while True:
        page = page_of(company_id, limit=MAX_PAGE_SIZE, offset=len(found))
        found.extend(page)
        if len(page) < MAX_PAGE_SIZE:
            return found


def reference_data(uow: SqlUnitOfWork, company_id: UUID) -> ReferenceData:
    """The accounts and tax rates imported for the company."""
    accounts: list[Account] = _every(uow.accounts.list, company_id)
    rates: list[TaxRate] = _every(uow.tax_rates.list, company_id)
    return ReferenceData(
        accounts={a.code: a for a in accounts}, tax_rates={t.tax_type: t for t in rates}
    )


def _party(uow: SqlUnitOfWork, document: Document) -> Party | None:
    company_id = document.company_id
    if hasattr(document, "supplier_id"):
        return uow.suppliers.get(company_id, document.supplier_id)
    if hasattr(document, "customer_id"):
        return uow.customers.get(company_id, document.customer_id)
    party_id = getattr(document, "party_id", None)
    if party_id is None:
        return None
    purchase = str(getattr(document, "kind", "")) == "purchase"
    parties: Any = uow.suppliers if purchase else uow.customers
    found: Party | None = parties.get(company_id, party_id)
    return found


def _draft_warnings(document: Document) -> list[dict[str, str]]:
    """What a draft may lack now but needs before it is approved (sent to Xero)."""
    if str(document.status) != "draft":
        return []
    warnings = [
        {"field": f"lines[{index}].account_code", "message": "needed before approval"}
        for index, line in enumerate(document.lines)
        if line.account_code is None
    ]
    if isinstance(document, PayableDocument) and document.due_date is None:
        step = "submit" if document.PURCHASE else "issue"
        warnings.append({"field": "due_date", "message": f"needed before {step}"})
    return warnings


def check_document(document: Document, uow: SqlUnitOfWork) -> list[dict[str, str]]:
    """Refuse (422) what Xero would refuse of `document`; return the warnings.

    While no chart of accounts is imported, account codes pass with a warning.
    """
    reference = reference_data(uow, document.company_id)
    problems = check_imported(document, reference, party=_party(uow, document))
    if problems:
        errors = [
            {"field": p.field, "message": f"{p.message.rstrip('.')}: {p.fix}"} for p in problems
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise Problem(422, "Validation failed", detail, errors)
    warnings = _draft_warnings(document)
    if not reference.accounts and any(line.account_code for line in document.all_lines()):
        warnings.append({"field": "lines", "message": NOT_IMPORTED})
    return warnings
