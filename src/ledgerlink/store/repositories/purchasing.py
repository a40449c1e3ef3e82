"""Purchase orders and bills."""

from typing import Any, ClassVar

from sqlalchemy import Table
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.purchase_order import PurchaseOrder, PurchaseOrderStatus
from ledgerlink.store.codec import address_from_json, address_to_json
from ledgerlink.store.repositories.documents import DocumentRepository
from ledgerlink.store.tables import bills, purchase_orders, suppliers


class PurchaseOrderRepository(DocumentRepository[PurchaseOrder]):
    table = purchase_orders
    label = "purchase order"
    status_type = PurchaseOrderStatus
    party_column = "supplier_id"
    references: ClassVar[dict[str, tuple[Table, str]]] = {"supplier_id": (suppliers, "supplier")}

    def _to_row(self, aggregate: PurchaseOrder) -> dict[str, Any]:
        return {
            **self._document_row(aggregate),
            "date": aggregate.date,
            "supplier_id": aggregate.supplier_id,
            "delivery_date": aggregate.delivery_date,
            "shipping_cost": aggregate.shipping_cost,
            "shipping_account_code": aggregate.shipping_account_code,
            "shipping_tax_type": aggregate.shipping_tax_type,
            "shipping_tax_rate": aggregate.shipping_tax_rate,
            "shipping_notes": aggregate.shipping_notes,
            "attention": aggregate.attention,
            "telephone": aggregate.telephone,
            "delivery_address": address_to_json(aggregate.delivery_address),
            "rejection_reason": aggregate.rejection_reason,
            "paid": aggregate.paid,
        }

    def _from_row(self, row: RowMapping) -> PurchaseOrder:
        return PurchaseOrder(
            **self._document_fields(row),
            supplier_id=row["supplier_id"],
            delivery_date=row["delivery_date"],
            shipping_cost=row["shipping_cost"],
            shipping_account_code=row["shipping_account_code"],
            shipping_tax_type=row["shipping_tax_type"],
            shipping_tax_rate=row["shipping_tax_rate"],
            shipping_notes=row["shipping_notes"],
            attention=row["attention"],
            telephone=row["telephone"],
            delivery_address=address_from_json(row["delivery_address"]),
            rejection_reason=row["rejection_reason"],
            paid=row["paid"],
        )


class BillRepository(DocumentRepository[Bill]):
    table = bills
    label = "bill"
    status_type = BillStatus
    party_column = "supplier_id"
    references: ClassVar[dict[str, tuple[Table, str]]] = {
        "supplier_id": (suppliers, "supplier"),
        "purchase_order_id": (purchase_orders, "purchase order"),
    }

    def _to_row(self, aggregate: Bill) -> dict[str, Any]:
        return {
            **self._document_row(aggregate),
            "date": aggregate.date,
            "supplier_id": aggregate.supplier_id,
            "due_date": aggregate.due_date,
            "amount_paid": aggregate.amount_paid,
            "invoice_number": aggregate.invoice_number,
            "purchase_order_id": aggregate.purchase_order_id,
        }

    def _from_row(self, row: RowMapping) -> Bill:
        return Bill(
            **self._document_fields(row),
            supplier_id=row["supplier_id"],
            due_date=row["due_date"],
            amount_paid=row["amount_paid"],
            invoice_number=row["invoice_number"],
            purchase_order_id=row["purchase_order_id"],
        )
