"""Purchase orders and bills (supplier invoices), with their lifecycle steps."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.crud import add_action, add_routes
from ledgerlink.api.deps import ClockDep, CompanyDep, UowDep
from ledgerlink.api.etags import IfMatch, check_if_match, set_etag, tagged
from ledgerlink.api.routes.documents import document_resource
from ledgerlink.api.schemas.documents import (
    BillCreate,
    BillPublic,
    BillUpdate,
    FinishBody,
    PurchaseOrderCreate,
    PurchaseOrderPublic,
    PurchaseOrderUpdate,
    RejectBody,
    document_public,
)
from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.purchase_order import PurchaseOrder, PurchaseOrderStatus

router = APIRouter(prefix="/companies/{company_id}", tags=["purchasing"])


purchase_orders = document_resource(
    PurchaseOrder,
    path="/purchase-orders",
    repository=lambda uow: uow.purchase_orders,
    public=PurchaseOrderPublic,
    create_body=PurchaseOrderCreate,
    update_body=PurchaseOrderUpdate,
    statuses=PurchaseOrderStatus,
)
bills = document_resource(
    Bill,
    path="/bills",
    repository=lambda uow: uow.bills,
    public=BillPublic,
    create_body=BillCreate,
    update_body=BillUpdate,
    statuses=BillStatus,
)
add_routes(router, purchase_orders)
add_routes(router, bills)

add_action(router, purchase_orders, "submit", lambda po, _: po.submit(), checked=True)
add_action(router, purchase_orders, "approve", lambda po, _: po.approve(), summary=(
    "Approve a purchase order (it is then sent to Xero)"
), checked=True)  # fmt: skip
add_action(router, purchase_orders, "reject", lambda po, b: po.reject(b.reason), RejectBody)
add_action(router, purchase_orders, "cancel", lambda po, _: po.cancel())
add_action(router, bills, "submit", lambda bill, _: bill.submit(), summary=(
    "Submit a bill for approval (it needs a due date)"
), checked=True)  # fmt: skip
add_action(router, bills, "approve", lambda bill, _: bill.approve(), summary=(
    "Approve a bill (it is then sent to Xero)"
), checked=True)  # fmt: skip
add_action(router, bills, "cancel", lambda bill, _: bill.cancel())


@router.post(
    "/purchase-orders/{item_id}/finish",
    response_model=BillPublic,
    summary="Finish a purchase order (received in full); answers with the bill made from it",
    responses=tagged(),
)
def finish_purchase_order(
    item_id: UUID,
    access: CompanyDep,
    uow: UowDep,
    clock: ClockDep,
    response: Response,
    body: FinishBody | None = None,
    if_match: IfMatch = None,
) -> Any:
    """`If-Match` is the purchase order's ETag; the answer's `ETag` is the bill's."""
    order = purchase_orders.load(uow, access.company_id, item_id)
    check_if_match(if_match, f"purchase order {item_id}", order.version)
    order.finish()
    fill = body or FinishBody()
    bill = Bill.from_purchase_order(
        order,
        date=fill.bill_date or clock().date(),
        due_date=fill.bill_due_date,
        invoice_number=fill.invoice_number,
    )
    uow.bills.add(bill)
    set_etag(response, bill.version)
    return commit_answering(uow, document_public(BillPublic, bill))
