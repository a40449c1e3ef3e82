"""Payments: `/companies/{company_id}/payments`, split over several bills or invoices."""

from uuid import UUID

from fastapi import APIRouter, Response

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.crud import Resource, add_routes
from ledgerlink.api.deps import CompanyAccess, CompanyDep, UowDep
from ledgerlink.api.etags import IfMatch, check_if_match, set_etag, tagged
from ledgerlink.api.references import check_payment_references
from ledgerlink.api.schemas.payments import (
    AllocationBody,
    AllocationPublic,
    PaymentCreate,
    PaymentPublic,
)
from ledgerlink.domain.errors import InvalidDocument, InvalidValue
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.payments import Allocation, Payment, PaymentStatus, settle, unsettle
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export_settings import current_export_settings
from ledgerlink.xero.outbound.settings import Overpayments

router = APIRouter(prefix="/companies/{company_id}", tags=["payments"])


def _documents(
    uow: SqlUnitOfWork, company_id: UUID, payment: Payment
) -> dict[UUID, PayableDocument]:
    found: dict[UUID, PayableDocument] = {}
    for allocation in payment.allocations:
        document: PayableDocument | None = uow.bills.get(company_id, allocation.document_id)
        if document is None:
            document = uow.sales_invoices.get(company_id, allocation.document_id)
        if document is not None:
            found[allocation.document_id] = document
    return found


def _allocation(index: int, part: AllocationBody) -> Allocation:
    """The allocation, its refusal naming its place (`allocations[1].amount`)."""
    try:
        return Allocation(**part.model_dump())
    except InvalidValue as error:
        raise InvalidValue(f"allocations[{index}].{error.field}", error.message) from error


def _record(access: CompanyAccess, body: PaymentCreate, uow: SqlUnitOfWork) -> Payment:
    fields = body.model_dump(exclude={"allocations"})
    payment = Payment.record(
        company_id=access.company_id,
        allocations=tuple(_allocation(n, part) for n, part in enumerate(body.allocations)),
        **fields,
    )
    check_payment_references(uow, payment)
    customer = None
    if payment.unallocated > 0:
        if payment.party_id is not None:
            customer = uow.customers.get(access.company_id, payment.party_id)
        if customer is None:
            raise InvalidDocument(
                "party_id",
                f"the allocations leave {payment.unallocated} unallocated; name the customer "
                "(party_id) who keeps it as store credit, or allocate the whole amount",
            )
    settle(payment, _documents(uow, access.company_id, payment))
    if customer is not None:
        credit = payment.store_credit(customer.id)
        if credit is not None:
            settings = current_export_settings(uow, access.company_id)
            if settings is not None and settings.overpayments is Overpayments.XERO_OVERPAYMENT:
                credit.send_as_overpayment(payment.bank_account_code)
            uow.store_credits.add(credit)
    return payment


def _public(payment: Payment) -> PaymentPublic:
    return PaymentPublic(
        id=payment.id,
        status=payment.status.value,
        date=payment.date,
        amount=payment.amount,
        currency=str(payment.currency),
        bank_account_code=payment.bank_account_code,
        reference=payment.reference,
        party_id=payment.party_id,
        allocations=[
            AllocationPublic(document_id=a.document_id, amount=a.amount)
            for a in payment.allocations
        ],
        unallocated=payment.unallocated,
        version=payment.version,
    )


payments: Resource[Payment] = Resource(
    path="/payments",
    label="payment",
    repository=lambda uow: uow.payments,
    public=PaymentPublic,
    create_body=PaymentCreate,
    update_body=None,
    create=_record,
    update=None,
    to_public=_public,
    statuses=tuple(s.value for s in PaymentStatus),
)
add_routes(router, payments)


@router.post(
    "/payments/{item_id}/delete",
    response_model=PaymentPublic,
    summary="Delete a payment: what it paid is due again on its bills and invoices",
    responses=tagged(),
)
def delete_payment(
    item_id: UUID, access: CompanyDep, uow: UowDep, response: Response, if_match: IfMatch = None
) -> PaymentPublic:
    # Locked: a second delete at the same moment waits, then finds it deleted (409),
    # instead of taking back from the documents what the first already took back.
    payment = payments.load(uow, access.company_id, item_id, lock=True)
    check_if_match(if_match, f"payment {item_id}", payment.version)
    documents = _documents(uow, access.company_id, payment)
    payment.delete()
    unsettle(payment, documents)
    set_etag(response, payment.version)
    return commit_answering(uow, _public(payment))
