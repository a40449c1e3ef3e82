"""What a request body refers to must be a record of the caller's company, of the right kind.

Each check raises `UnknownReference` (422) naming the field: another company's record, a
made-up id and a record of another kind are all "not in this company" to the caller.
"""

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.catalogue import ReferenceStatus, TrackingCategory
from ledgerlink.domain.credit_note import CreditNoteKind
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.lines import Line
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.payments import Payment
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.errors import UnknownReference
from ledgerlink.store.repositories.aggregates import MAX_PAGE_SIZE
from ledgerlink.store.uow import SqlUnitOfWork


def check_document_references(
    uow: SqlUnitOfWork, company_id: UUID, fields: Mapping[str, Any], kind: Any = None
) -> None:
    """The parties, order, credited document, items and tracking `fields` name.

    `kind` is a credit note's kind (from the body when creating one).
    """
    for field, repository, label in (
        ("supplier_id", uow.suppliers, "supplier"),
        ("customer_id", uow.customers, "customer"),
        ("purchase_order_id", uow.purchase_orders, "purchase order"),
    ):
        value = fields.get(field)
        if value is not None and repository.get(company_id, value) is None:
            raise UnknownReference(field, label, value)
    if fields.get("party_id") is not None:
        _check_credit_note_party(uow, company_id, fields, kind)
    if fields.get("lines"):
        check_lines(uow, company_id, fields["lines"])


def _check_credit_note_party(
    uow: SqlUnitOfWork, company_id: UUID, fields: Mapping[str, Any], kind: Any
) -> None:
    try:
        purchase = CreditNoteKind(kind) is CreditNoteKind.PURCHASE
    except ValueError:
        allowed = ", ".join(k.value for k in CreditNoteKind)
        raise InvalidValue("kind", f"use one of {allowed}, got {kind!r}") from None
    party_id = fields["party_id"]
    parties = uow.suppliers if purchase else uow.customers
    party_label = "supplier" if purchase else "customer"
    if parties.get(company_id, party_id) is None:
        raise UnknownReference("party_id", party_label, party_id)
    credited_id = fields.get("credited_document_id")
    if credited_id is None:
        return
    credited: PayableDocument | None
    if purchase:
        credited, label = uow.bills.get(company_id, credited_id), "bill"
    else:
        credited, label = uow.sales_invoices.get(company_id, credited_id), "sales invoice"
    if credited is None:
        raise UnknownReference("credited_document_id", label, credited_id)
    if _party_of(credited) != party_id:
        raise InvalidValue(
            "credited_document_id",
            f"{label} {credited_id} is not from {party_label} {party_id} (party_id); "
            f"credit a {label} of the same {party_label}",
        )


def _party_of(document: PayableDocument) -> UUID | None:
    if isinstance(document, Bill):
        return document.supplier_id
    if isinstance(document, SalesInvoice):
        return document.customer_id
    return None


def check_lines(uow: SqlUnitOfWork, company_id: UUID, lines: Iterable[Line]) -> None:
    """Every line's item is one of the company's items; its tracking is one of the
    imported tracking categories and options (any is taken while none is imported)."""
    categories: list[TrackingCategory] | None = None
    for index, line in enumerate(lines):
        if line.item_code is not None and uow.items.get_by_code(company_id, line.item_code) is None:
            raise UnknownReference(f"lines[{index}].item_code", "item", line.item_code)
        if not line.tracking:
            continue
        if categories is None:
            categories = uow.tracking_categories.list(company_id, limit=MAX_PAGE_SIZE)
        if categories:
            _check_tracking(index, line, categories)


def _check_tracking(index: int, line: Line, categories: list[TrackingCategory]) -> None:
    active = {c.name.casefold(): c for c in categories if c.active}
    for position, ref in enumerate(line.tracking):
        field = f"lines[{index}].tracking[{position}]"
        category = active.get(ref.category.casefold())
        if category is None:
            known = ", ".join(sorted(c.name for c in active.values())) or "none active"
            raise InvalidValue(
                f"{field}.category",
                f"unknown tracking category {ref.category!r}; the company's are: {known}",
            )
        option = category.option(ref.option)
        if option is None or option.status is not ReferenceStatus.ACTIVE:
            options = ", ".join(
                o.name for o in category.options if o.status is ReferenceStatus.ACTIVE
            )
            raise InvalidValue(
                f"{field}.option",
                f"unknown option {ref.option!r} of {category.name}; its options are: {options}",
            )


def check_payment_references(uow: SqlUnitOfWork, payment: Payment) -> None:
    """A payment's party is a supplier (paying bills) or a customer (paid for invoices)
    of the company, and the party of every document it is allocated to."""
    if payment.party_id is None:
        return
    company_id = payment.company_id
    bills = uow.bills.get_many(company_id, [a.document_id for a in payment.allocations])
    purchase = bool(bills)
    parties = uow.suppliers if purchase else uow.customers
    label = "supplier" if purchase else "customer"
    if parties.get(company_id, payment.party_id) is None:
        raise UnknownReference("party_id", label, payment.party_id)
    for index, allocation in enumerate(payment.allocations):
        document: PayableDocument | None = bills.get(allocation.document_id)
        if document is None:
            document = uow.sales_invoices.get(company_id, allocation.document_id)
        if document is not None and _party_of(document) != payment.party_id:
            raise InvalidValue(
                "party_id",
                f"the {document.LABEL} of allocations[{index}] is not the {label}'s "
                f"{payment.party_id}; name the {label} of the allocated documents",
            )
