"""`POST .../sync/reconcile` compares linked credits and purchase orders with Xero too.

Credit notes (ours, refunds', store credit's) are read with `where` filters of 40 ids a
call, store credit kept from an overpayment made in Xero from `/Overpayments` likewise,
and each purchase order by its id: the calls are counted at the sandbox.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import func, select

from ledgerlink.bootstrap import Container
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.credits import Refund, StoreCredit
from ledgerlink.domain.parties import Customer, Supplier
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.domain.supplier_credit import SupplierCredit
from ledgerlink.store.records import Role
from ledgerlink.store.tables import outbox
from ledgerlink.sync.inbound import reconcile_credits
from tests.integration.api.conftest import Tenant, make_tenant, problem
from tests.integration.imports.conftest import (
    admin,
    api,
    app,
    connected,
    container,
    sandbox,
    sandbox_clock,
    sandbox_config,
    settings,
)
from tests.integration.inbound.conftest import xero_write
from tests.integration.sync.conftest import line, sandbox_control
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

__all__ = ["admin", "api", "app", "connected", "container", "sandbox", "sandbox_clock",
           "sandbox_config", "settings"]  # fmt: skip

NOTES = 45
XERO_LINE = {"Description": "Paper", "Quantity": "3", "UnitAmount": "33.33",
             "AccountCode": "400", "TaxType": "INPUT2"}  # fmt: skip
TOTAL = Decimal("114.99")


def credit_note(number: str, kind: str, contact: str) -> dict[str, Any]:
    return {"Type": kind, "Contact": {"Name": contact}, "Date": "2026-03-04",
            "Status": "AUTHORISED", "CreditNoteNumber": number,
            "LineItems": [XERO_LINE]}  # fmt: skip


def order(number: str) -> dict[str, Any]:
    return {"Contact": {"Name": "Lamp Co"}, "Date": "2026-03-01", "Status": "AUTHORISED",
            "PurchaseOrderNumber": number, "LineItems": [XERO_LINE]}  # fmt: skip


def calls(stats: dict[str, Any], method: str, path: str) -> int:
    (tenant,) = [t for t in stats["organisations"] if t["tenantId"] == DEMO_TENANT_ID]
    return sum(c["count"] for c in tenant["calls"] if (c["method"], c["path"]) == (method, path))


def outbox_count(container: Container) -> int:
    with container.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(outbox)).scalar_one())


class Linked:
    """Records here, each linked to its twin in Xero as an export or a pull leaves it."""

    def __init__(self, container: Container, company_id: UUID) -> None:
        self.container, self.company_id = container, company_id
        self.supplier = Supplier(company_id=company_id, name="Lamp Co")
        self.customer = Customer(company_id=company_id, name="Bright Ltd")
        with container.uow() as uow:
            uow.suppliers.add(self.supplier)
            uow.customers.add(self.customer)
            uow.commit()

    def add(self, record: Any, xero_id: str) -> Any:
        with self.container.uow() as uow:
            repository = {
                CreditNote.KIND: uow.credit_notes,
                Refund.KIND: uow.refunds,
                StoreCredit.KIND: uow.store_credits,
                SupplierCredit.KIND: uow.supplier_credits,
                PurchaseOrder.KIND: uow.purchase_orders,
            }[record.KIND]
            repository.add(record)
            for seen in uow.seen():
                seen.pull_events()
            uow.xero_links.upsert(self.company_id, record.KIND, record.id,
                                  tenant_id=DEMO_TENANT_ID, xero_id=xero_id,
                                  synced_version=record.version)  # fmt: skip
            uow.commit()
        return record

    def note(self, number: str, xero_id: str, **fields: Any) -> CreditNote:
        note = CreditNote(company_id=self.company_id, party_id=self.supplier.id,
                          kind=CreditNoteKind.PURCHASE, currency="NZD", number=number,
                          date=dt.date(2026, 3, 4), lines=[line()],
                          status=fields.pop("status", CreditNoteStatus.APPROVED),
                          **fields)  # fmt: skip
        return self.add(note, xero_id)  # type: ignore[no-any-return]

    def order(self, number: str, xero_id: str) -> PurchaseOrder:
        order = PurchaseOrder(company_id=self.company_id, supplier_id=self.supplier.id,
                              currency="NZD", number=number, date=dt.date(2026, 3, 1),
                              lines=[line()])  # fmt: skip
        order.submit()
        order.approve()
        return self.add(order, xero_id)  # type: ignore[no-any-return]


async def test_credits_and_orders_are_compared_in_bounded_calls_and_nothing_goes_back(
    api: httpx.AsyncClient,
    connected: Tenant,
    container: Container,
    sandbox: RunningSandbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = Linked(container, UUID(connected.company_id))
    numbers = [f"SUP-CN-{n}" for n in range(NOTES)]
    body = {"CreditNotes": [credit_note(n, "ACCPAYCREDIT", "Lamp Co") for n in numbers]}
    made = (await xero_write(sandbox, "PUT", "/CreditNotes", body))["CreditNotes"]
    ids = {note["CreditNoteNumber"]: note["CreditNoteID"] for note in made}
    # The organisation's history: more credit notes than a page, none linked here.
    history = [credit_note(f"OLD-{n}", "ACCPAYCREDIT", "Lamp Co") for n in range(120)]
    await xero_write(sandbox, "PUT", "/CreditNotes", {"CreditNotes": history})
    notes = [here.note(n, ids[n]) for n in numbers[:-1]]
    used = here.note(numbers[-1], ids[numbers[-1]], amount_allocated=Decimal("20.00"),
                     status=CreditNoteStatus.PARTIALLY_ALLOCATED)  # fmt: skip
    voided = notes[0]
    await xero_write(sandbox, "POST", f"/CreditNotes/{ids[numbers[0]]}",
                     {"CreditNotes": [{"Status": "VOIDED"}]})  # fmt: skip
    refund_note = credit_note("RF-1", "ACCRECCREDIT", "Bright Ltd")
    (refunded,) = (
        await xero_write(sandbox, "PUT", "/CreditNotes", {"CreditNotes": [refund_note]})
    )["CreditNotes"]
    refund = here.add(
        Refund(company_id=here.company_id, customer_id=here.customer.id, date=dt.date(2026, 3, 4),
               amount=TOTAL, currency="NZD", bank_account_code="090"),
        refunded["CreditNoteID"],
    )  # fmt: skip
    overpaid = {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"Name": "Bright Ltd"},
                "BankAccount": {"Code": "090"}, "Date": "2026-03-05",
                "LineItems": [{"Description": "Overpaid", "LineAmount": "50.00"}]}  # fmt: skip
    (transaction,) = (
        await xero_write(sandbox, "PUT", "/BankTransactions", {"BankTransactions": [overpaid]})
    )["BankTransactions"]
    credit = here.add(
        StoreCredit(company_id=here.company_id, customer_id=here.customer.id,
                    date=dt.date(2026, 3, 5), amount=Decimal("50.00"), currency="NZD",
                    amount_used=Decimal("10.00")),
        transaction["OverpaymentID"],
    )  # fmt: skip
    prepaid = {**overpaid, "Type": "SPEND-PREPAYMENT", "Contact": {"Name": "Lamp Co"}}
    (prepayment,) = (
        await xero_write(sandbox, "PUT", "/BankTransactions", {"BankTransactions": [prepaid]})
    )["BankTransactions"]
    owed = here.add(
        SupplierCredit(company_id=here.company_id, supplier_id=here.supplier.id,
                       source="prepayment", date=dt.date(2026, 3, 5), amount=Decimal("50.00"),
                       currency="NZD", amount_used=Decimal("5.00")),
        prepayment["PrepaymentID"],
    )  # fmt: skip
    placed = (
        await xero_write(sandbox, "PUT", "/PurchaseOrders",
                         {"PurchaseOrders": [order("PO-1"), order("PO-2"), order("PO-3")]})
    )["PurchaseOrders"]  # fmt: skip
    _, deleted, changed = (here.order(o["PurchaseOrderNumber"], o["PurchaseOrderID"])
                               for o in placed)  # fmt: skip
    gone = here.order("PO-4", str(uuid4()))
    await xero_write(sandbox, "POST", f"/PurchaseOrders/{placed[1]['PurchaseOrderID']}",
                     {"PurchaseOrders": [{"Status": "DELETED"}]})  # fmt: skip
    more = {**XERO_LINE, "Quantity": "4"}
    await xero_write(sandbox, "POST", f"/PurchaseOrders/{placed[2]['PurchaseOrderID']}",
                     {"PurchaseOrders": [{"LineItems": [more]}]})  # fmt: skip
    before = outbox_count(container)
    await sandbox_control(sandbox, "DELETE", "/stats")

    answer = await api.post(connected.url("/sync/reconcile"), headers=connected.headers)

    assert answer.status_code == 200, answer.text
    report = answer.json()
    linked = NOTES + 1 + 1 + 1 + 4
    assert (report["last_run"]["state"], report["last_run"]["checked"]) == ("done", linked)
    found = {(d["kind"], d["document_id"], d["field"]): d for d in report["data"]}
    assert set(found) == {
        ("credit_note", str(voided.id), "status"),
        ("credit_note", str(used.id), "remaining_credit"),
        ("refund", str(refund.id), "remaining_credit"),
        ("store_credit", str(credit.id), "remaining_credit"),
        ("supplier_credit", str(owed.id), "remaining_credit"),
        ("purchase_order", str(deleted.id), "status"),
        ("purchase_order", str(changed.id), "total"),
        ("purchase_order", str(gone.id), "in_xero"),
    }
    void = found[("credit_note", str(voided.id), "status")]
    assert (void["ours"], void["xero"]) == ("approved", "VOIDED")
    assert "ledgerlink sync pull" in void["fix"]
    left = found[("credit_note", str(used.id), "remaining_credit")]
    assert (left["ours"], left["xero"]) == ("94.99", "114.99")
    assert found[("refund", str(refund.id), "remaining_credit")]["ours"] == "0.00"
    rest = found[("store_credit", str(credit.id), "remaining_credit")]
    assert (rest["ours"], rest["xero"]) == ("40.00", "50.00")
    rest = found[("supplier_credit", str(owed.id), "remaining_credit")]
    assert (rest["ours"], rest["xero"]) == ("45.00", "50.00")
    assert "ledgerlink sync pull" in rest["fix"]
    assert "cancel it here" in found[("purchase_order", str(deleted.id), "status")]["fix"]
    total = found[("purchase_order", str(changed.id), "total")]
    assert (total["ours"], total["xero"]) == ("114.99", "153.32")
    # 46 credit notes in two `where` calls (40 a call), the overpayment and the prepayment
    # one call each (the prepayment is looked for among overpayments first), and the four
    # purchase orders one GET by id each: 8 calls, no paging through history.
    stats = await sandbox_control(sandbox, "GET", "/stats")
    assert calls(stats, "GET", "/api.xro/2.0/CreditNotes") == 2
    assert calls(stats, "GET", "/api.xro/2.0/Overpayments") == 1
    assert calls(stats, "GET", "/api.xro/2.0/Prepayments") == 1
    assert calls(stats, "GET", "/api.xro/2.0/PurchaseOrders/{id}") == 4
    assert calls(stats, "GET", "/api.xro/2.0/PurchaseOrders") == 0
    assert calls(stats, "GET", "/api.xro/2.0/Invoices") == 0  # none linked: not asked
    (tenant,) = [t for t in stats["organisations"] if t["tenantId"] == DEMO_TENANT_ID]
    assert tenant["total"] == 8
    assert outbox_count(container) == before  # nothing read from Xero is sent back

    drift = await api.get(connected.url("/sync/drift"), headers=connected.headers)
    assert drift.json()["data"] == report["data"]

    # Past `ORDERS_BY_ID` linked orders, one listing of those changed since the oldest was
    # linked, then a GET by id for the one it lacks (PO-4, which Xero never held).
    monkeypatch.setattr(reconcile_credits, "ORDERS_BY_ID", 2)
    await sandbox_control(sandbox, "DELETE", "/stats")
    again = await api.post(connected.url("/sync/reconcile"), headers=connected.headers)
    assert again.json()["data"] == report["data"]
    stats = await sandbox_control(sandbox, "GET", "/stats")
    assert calls(stats, "GET", "/api.xro/2.0/PurchaseOrders") == 1
    assert calls(stats, "GET", "/api.xro/2.0/PurchaseOrders/{id}") == 1


async def test_only_an_admin_of_the_company_reconciles_and_a_company_must_be_connected(
    api: httpx.AsyncClient, admin: Tenant, container: Container
) -> None:
    member = make_tenant(container, "Acme Ltd", "member@acme.test", Role.MEMBER)
    other = make_tenant(container, "Globex Corp", "admin@globex.test", Role.ADMIN)

    refused = await api.post(member.url("/sync/reconcile"), headers=member.headers)
    assert problem(refused, 403)["detail"].startswith("this needs the admin role")
    elsewhere = await api.post(admin.url("/sync/reconcile").replace(
        admin.company_id, other.company_id), headers=admin.headers)  # fmt: skip
    assert problem(elsewhere, 404)["title"] == "Not Found"
    unconnected = await api.post(admin.url("/sync/reconcile"), headers=admin.headers)
    assert problem(unconnected, 409)["title"] == "Not connected to Xero"

    spec = (await api.get("/api/v1/openapi.json")).json()
    operation = spec["paths"]["/api/v1/companies/{company_id}/sync/reconcile"]["post"]
    assert {"200", "401", "403", "404", "409", "502", "503"} <= set(operation["responses"])


async def test_xero_refusing_answers_503_with_retry_after_or_502_and_the_run_is_kept(
    api: httpx.AsyncClient, connected: Tenant, container: Container, sandbox: RunningSandbox
) -> None:
    here = Linked(container, UUID(connected.company_id))
    here.order("PO-9", str(uuid4()))
    failing = {"kind": "error", "status": 500, "method": "GET", "path": "*/PurchaseOrders/*",
               "times": 5}  # fmt: skip
    await sandbox_control(sandbox, "POST", "/faults", failing)

    failed = await api.post(connected.url("/sync/reconcile"), headers=connected.headers)

    assert problem(failed, 502)["title"] == "Xero failed"
    report = (await api.get(connected.url("/sync/drift"), headers=connected.headers)).json()
    assert report["last_run"]["state"] == "failed"
    assert report["last_run"]["message"] == problem(failed, 502)["detail"]
    spent = {"kind": "error", "status": 429, "retry_after": 120, "method": "GET",
             "path": "*/PurchaseOrders/*"}  # fmt: skip
    await sandbox_control(sandbox, "POST", "/faults", spent)

    limited = await api.post(connected.url("/sync/reconcile"), headers=connected.headers)

    body = problem(limited, 503)
    assert (body["title"], body["detail"]) == (
        "Xero's rate limit",
        "Xero's minute limit is spent; try again in 120 seconds",
    )
    assert limited.headers["Retry-After"] == "120"
