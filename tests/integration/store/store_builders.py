"""Domain objects and per-kind recipes for the store's tests."""

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind
from ledgerlink.domain.document import Document
from ledgerlink.domain.lines import Line, TrackingRef
from ledgerlink.domain.money import LineAmountType
from ledgerlink.domain.parties import Address, Customer, Supplier
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.repositories.documents import DocumentRepository
from ledgerlink.store.uow import SqlUnitOfWork

ORDER_DATE = dt.date(2026, 3, 2)


def state(aggregate: object) -> dict[str, Any]:
    """Every field of a domain object except its pending events."""
    assert dataclasses.is_dataclass(aggregate)
    return {
        field.name: getattr(aggregate, field.name)
        for field in dataclasses.fields(aggregate)
        if field.name != "events"
    }


def lines() -> tuple[Line, ...]:
    return (
        Line(
            description="Toner cartridge",
            quantity=Decimal("3"),
            unit_price=Decimal("19.9950"),
            account_code="429",
            tax_type="INPUT2",
            tax_rate=Decimal("15"),
            tracking=(TrackingRef("Region", "East"),),
            item_code="TONER",
        ),
        Line(
            description="Paper, A4",
            quantity=Decimal("0.5"),
            unit_price=Decimal("0.10"),
            account_code="429",
        ),
    )


@dataclass(frozen=True)
class Parties:
    company_id: UUID
    supplier_id: UUID
    customer_id: UUID


def add_parties(uow: SqlUnitOfWork, company_id: UUID) -> Parties:
    """A supplier and a customer; called again in a company, under new names."""
    taken = uow.suppliers.count(company_id)
    again = f" {taken + 1}" if taken else ""
    supplier = Supplier.create(
        company_id=company_id,
        name=f"Paper Co{again}",
        email="sales@paper.example",
        address=Address(line1="1 Mill Rd", city="Wellington", country="NZ"),
        currency="NZD",
    )
    customer = Customer.create(company_id=company_id, name=f"Initech{again}", contact_number="C-1")
    uow.suppliers.add(supplier)
    uow.customers.add(customer)
    return Parties(company_id, supplier.id, customer.id)


def purchase_order(parties: Parties, number: str | None = None) -> PurchaseOrder:
    return PurchaseOrder(
        company_id=parties.company_id,
        supplier_id=parties.supplier_id,
        currency="NZD",
        number=number,
        date=ORDER_DATE,
        delivery_date=ORDER_DATE + dt.timedelta(days=7),
        lines=lines(),
        shipping_cost=Decimal("12.50"),
        shipping_account_code="425",
        shipping_tax_type="INPUT2",
        shipping_tax_rate=Decimal("15"),
        shipping_notes="Leave at the back door",
        delivery_address=Address(line1="2 Dock St", city="Auckland"),
    )


def bill(parties: Parties, number: str | None = None) -> Bill:
    return Bill(
        company_id=parties.company_id,
        supplier_id=parties.supplier_id,
        currency="NZD",
        number=number,
        invoice_number="SUP-77",
        date=ORDER_DATE,
        due_date=ORDER_DATE + dt.timedelta(days=20),
        lines=lines(),
        line_amount_type=LineAmountType.INCLUSIVE,
    )


def sales_invoice(parties: Parties, number: str | None = None) -> SalesInvoice:
    return SalesInvoice(
        company_id=parties.company_id,
        customer_id=parties.customer_id,
        currency="NZD",
        number=number,
        reference="PO 123",
        date=ORDER_DATE,
        due_date=ORDER_DATE + dt.timedelta(days=14),
        lines=(
            Line(
                description="Support, March",
                quantity=Decimal("2"),
                unit_price=Decimal("150.00"),
                account_code="200",
                tax_type="OUTPUT2",
                tax_rate=Decimal("15"),
                discount_rate=Decimal("10"),
            ),
        ),
    )


def credit_note(parties: Parties, number: str | None = None) -> CreditNote:
    return CreditNote(
        company_id=parties.company_id,
        kind=CreditNoteKind.SALES,
        party_id=parties.customer_id,
        currency="NZD",
        number=number,
        date=ORDER_DATE,
        lines=(Line(description="Refund", unit_price=Decimal("40.00"), account_code="200"),),
    )


def _submit_then_approve(document: Any) -> None:
    document.submit()
    document.approve()


@dataclass(frozen=True)
class DocumentKind:
    """How to build, store and move along one kind of document."""

    repository: Callable[[SqlUnitOfWork], DocumentRepository[Any]]
    build: Callable[[Parties, str | None], Document]
    advance: Callable[[Any], None]
    advanced_status: str
    numbers_unique: bool = True


DOCUMENT_KINDS = {
    "purchase_order": DocumentKind(
        lambda uow: uow.purchase_orders, purchase_order, _submit_then_approve, "approved"
    ),
    "bill": DocumentKind(lambda uow: uow.bills, bill, _submit_then_approve, "approved"),
    "sales_invoice": DocumentKind(
        lambda uow: uow.sales_invoices, sales_invoice, lambda doc: doc.issue(), "issued"
    ),
    "credit_note": DocumentKind(
        lambda uow: uow.credit_notes,
        credit_note,
        lambda doc: doc.approve(),
        "approved",
        numbers_unique=False,
    ),
}
