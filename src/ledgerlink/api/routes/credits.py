"""Refunds and store credit: `/companies/{company_id}/refunds`, `/store-credits`, and
`/store-credits/{id}/use` (store credit used on an invoice)."""

from decimal import Decimal
from uuid import UUID

from fastapi import APIRouter, Response

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.crud import Resource, add_routes
from ledgerlink.api.deps import CompanyAccess, CompanyDep, UowDep
from ledgerlink.api.etags import IfMatch, check_if_match, set_etag, tagged
from ledgerlink.api.schemas.credits import (
    RefundCreate,
    RefundPublic,
    StoreCreditCreate,
    StoreCreditPublic,
    StoreCreditUse,
    StoreCreditUsePublic,
)
from ledgerlink.domain.credits import Refund, StoreCredit
from ledgerlink.domain.errors import InvalidDocument
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.errors import UnknownReference
from ledgerlink.store.repositories.credits import STORE_CREDIT_STATUSES
from ledgerlink.store.uow import SqlUnitOfWork

router = APIRouter(prefix="/companies/{company_id}", tags=["refunds and store credit"])


def _check_customer(uow: SqlUnitOfWork, company_id: UUID, customer_id: UUID) -> None:
    if uow.customers.get(company_id, customer_id) is None:
        raise UnknownReference("customer_id", "customer", customer_id)


def _invoice_of(
    uow: SqlUnitOfWork, company_id: UUID, invoice_id: UUID, customer_id: UUID, currency: str
) -> SalesInvoice:
    """The customer's sales invoice ``invoice_id`` in ``currency`` (else a 422 naming it)."""
    invoice = uow.sales_invoices.get(company_id, invoice_id)
    if invoice is None:
        raise UnknownReference("invoice_id", "sales invoice", invoice_id)
    if invoice.customer_id != customer_id:
        raise InvalidDocument(
            "invoice_id",
            f"the sales invoice {invoice.number or invoice_id} is another customer's; name an "
            "invoice of this customer",
        )
    if str(invoice.currency) != currency:
        raise InvalidDocument(
            "invoice_id",
            f"the sales invoice is in {invoice.currency}, the credit in {currency}; use the "
            "invoice's currency",
        )
    return invoice


def _owing(invoice: SalesInvoice, amount: Decimal, what: str) -> None:
    """The invoice is open and owes at least ``amount`` (else a 422 naming the field)."""
    if invoice.status not in (invoice.OPEN, invoice.PARTIALLY_PAID):
        raise InvalidDocument(
            "invoice_id",
            f"the sales invoice is {invoice.status.value.replace('_', ' ')}; {what} goes to an "
            "issued or partially paid invoice",
        )
    if amount > invoice.amount_due:
        raise InvalidDocument(
            "amount",
            f"{amount} is above the amount due {invoice.amount_due} on the sales invoice",
        )


def _refund(access: CompanyAccess, body: RefundCreate, uow: SqlUnitOfWork) -> Refund:
    _check_customer(uow, access.company_id, body.customer_id)
    refund = Refund.record(company_id=access.company_id, **body.model_dump())
    if refund.invoice_id is None:
        return refund
    invoice = _invoice_of(
        uow, access.company_id, refund.invoice_id, refund.customer_id, str(refund.currency)
    )
    if refund.bank_account_code is not None:
        if refund.amount > invoice.amount_paid:
            raise InvalidDocument(
                "amount",
                f"{refund.amount} is above the {invoice.amount_paid} paid on the sales invoice: "
                "a refund paid out gives back at most what was paid",
            )
        return refund
    _owing(invoice, refund.amount, "a refund without a bank account")
    invoice.apply_payment(refund.amount)
    return refund


refunds: Resource[Refund] = Resource(
    path="/refunds",
    label="refund",
    repository=lambda uow: uow.refunds,
    public=RefundPublic,
    create_body=RefundCreate,
    update_body=None,
    create=_refund,
    update=None,
)
add_routes(router, refunds)


def _store_credit(
    access: CompanyAccess, body: StoreCreditCreate, uow: SqlUnitOfWork
) -> StoreCredit:
    _check_customer(uow, access.company_id, body.customer_id)
    return StoreCredit.record(company_id=access.company_id, **body.model_dump())


store_credits: Resource[StoreCredit] = Resource(
    path="/store-credits",
    label="store credit",
    repository=lambda uow: uow.store_credits,
    public=StoreCreditPublic,
    create_body=StoreCreditCreate,
    update_body=None,
    create=_store_credit,
    update=None,
    statuses=STORE_CREDIT_STATUSES,
)
add_routes(router, store_credits)


@router.post(
    "/store-credits/{item_id}/use",
    response_model=StoreCreditUsePublic,
    summary="Use store credit on an issued sales invoice: it owes that much less",
    responses=tagged(),
)
def use_store_credit(
    item_id: UUID,
    body: StoreCreditUse,
    access: CompanyDep,
    uow: UowDep,
    response: Response,
    if_match: IfMatch = None,
) -> StoreCreditUsePublic:
    credit = store_credits.load(uow, access.company_id, item_id)
    check_if_match(if_match, f"store credit {item_id}", credit.version)
    invoice = _invoice_of(
        uow, access.company_id, body.invoice_id, credit.customer_id, str(credit.currency)
    )
    _owing(invoice, body.amount, "store credit")
    used = credit.use(body.amount, target_id=invoice.id)
    invoice.apply_payment(body.amount)
    set_etag(response, credit.version)
    return commit_answering(
        uow,
        StoreCreditUsePublic(
            use_id=used,
            invoice_id=invoice.id,
            amount=body.amount,
            store_credit=StoreCreditPublic.model_validate(credit),
        ),
    )
