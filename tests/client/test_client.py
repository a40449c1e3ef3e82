from collections.abc import Callable
from datetime import date
from decimal import Decimal

import httpx
import pytest

from xero_client import (
    Contact,
    Forbidden,
    InvalidRequest,
    Invoice,
    LineItem,
    NotFound,
    Payment,
    PurchaseOrder,
    ValidationFailed,
    XeroClient,
    load_json,
)

from .conftest import TENANT, Rig, xero_json


async def test_every_call_names_the_tenant_and_asks_for_json(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(
        lambda r: xero_json(
            {
                "Organisations": [
                    {
                        "Name": "Demo",
                        "BaseCurrency": "NZD",
                        "PeriodLockDate": "/Date(1704067200000+0000)/",
                    }
                ]
            }
        )
    )
    org = await rig.client.get_organisation()
    assert (org.name, org.base_currency, org.period_lock_date) == ("Demo", "NZD", date(2024, 1, 1))
    (request,) = rig.api_requests()
    assert request.url.path == "/api.xro/2.0/Organisation"
    assert request.headers["xero-tenant-id"] == TENANT
    assert request.headers["Accept"] == "application/json"


async def test_list_accounts_passes_where_and_reads_models(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(
        lambda r: xero_json(
            {
                "Accounts": [
                    {"AccountID": "a-1", "Code": "200", "Type": "REVENUE", "Status": "ACTIVE"},
                    {
                        "AccountID": "a-2",
                        "Code": "999",
                        "Type": "SOMETHINGNEW",
                        "Status": "ARCHIVED",
                    },
                ]
            }
        )
    )
    accounts = await rig.client.list_accounts(where='Status=="ACTIVE"')
    assert [(a.code, a.type) for a in accounts] == [("200", "REVENUE"), ("999", "SOMETHINGNEW")]
    assert rig.api_requests()[0].url.params["where"] == 'Status=="ACTIVE"'


async def test_get_invoice_not_found(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(
        lambda r: httpx.Response(404, text="The resource you're looking for cannot be found")
    )
    with pytest.raises(NotFound, match="cannot be found") as caught:
        await rig.client.get_invoice("0000-missing")
    assert caught.value.endpoint == "GET /Invoices/0000-missing"


async def test_update_invoice_posts_to_its_id_and_raises_its_validation_errors(
    rig_factory: Callable[..., Rig],
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        sent = load_json(request.content)["Invoices"][0]
        return xero_json(
            {
                "Invoices": [
                    {
                        **sent,
                        "ValidationErrors": [
                            {"Message": "Invoice not of valid status for modification"}
                        ],
                    }
                ]
            }
        )

    rig = rig_factory(handle)
    with pytest.raises(ValidationFailed, match="element 0: Invoice not of valid status") as caught:
        await rig.client.update_invoice(
            Invoice(invoice_id="inv-1", reference="new"), idempotency_key="u-1"
        )
    request = rig.api_requests()[0]
    assert (request.method, request.url.path) == ("POST", "/api.xro/2.0/Invoices/inv-1")
    assert request.headers["Idempotency-Key"] == "u-1"
    assert caught.value.elements[0].messages == ("Invoice not of valid status for modification",)


async def test_update_without_an_id_is_refused(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(lambda r: xero_json({}))
    with pytest.raises(InvalidRequest, match=r"invoice\.invoice_id is not set"):
        await rig.client.update_invoice(Invoice(reference="x"))


async def test_create_payments_and_delete_one(rig_factory: Callable[..., Rig]) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        body = load_json(request.content)
        if request.method == "PUT":
            return xero_json(
                {
                    "Payments": [
                        {**p, "PaymentID": f"pay-{n}", "Status": "AUTHORISED"}
                        for n, p in enumerate(body["Payments"])
                    ]
                }
            )
        return xero_json(
            {"Payments": [{"PaymentID": "pay-0", "Status": body["Payments"][0]["Status"]}]}
        )

    rig = rig_factory(handle)
    payment = Payment(
        invoice=Invoice(invoice_id="inv-1"),
        amount=Decimal("12.34"),
        date=date(2026, 1, 5),
        account=None,
    )
    (result,) = await rig.client.create_payments([payment], idempotency_key="pay-k")
    assert result.ok and result.id == "pay-0"
    assert result.element is not None and result.element.amount == Decimal("12.34")
    put = rig.api_requests()[0]
    assert b'"Amount":12.34' in put.content
    deleted = await rig.client.delete_payment("pay-0")
    assert deleted.status == "DELETED"
    assert rig.api_requests()[1].url.path == "/api.xro/2.0/Payments/pay-0"


async def test_create_contacts_then_purchase_order(rig_factory: Callable[..., Rig]) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        body = load_json(request.content)
        collection = next(iter(body))
        ident = {"Contacts": "ContactID", "PurchaseOrders": "PurchaseOrderID"}[collection]
        return xero_json(
            {
                collection: [
                    {**e, ident: f"{collection}-{n}"} for n, e in enumerate(body[collection])
                ]
            }
        )

    rig = rig_factory(handle)
    (supplier,) = await rig.client.create_contacts([Contact(name="Paper Co", is_supplier=True)])
    assert supplier.id == "Contacts-0"
    (order,) = await rig.client.create_purchase_orders(
        [
            PurchaseOrder(
                contact=Contact(contact_id=supplier.id),
                date=date(2026, 1, 5),
                line_items=(
                    LineItem(description="A4", quantity=Decimal(10), unit_amount=Decimal("3.20")),
                ),
            )
        ]
    )
    assert order.id == "PurchaseOrders-0"
    assert [r.method for r in rig.api_requests()] == ["PUT", "PUT"]


async def test_forbidden_is_an_auth_error(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(
        lambda r: xero_json({"Title": "Forbidden", "Detail": "AuthorizationUnsuccessful"}, 403)
    )
    with pytest.raises(Forbidden, match="AuthorizationUnsuccessful"):
        await rig.client.list_tax_rates()


def test_a_client_needs_a_tenant(rig_factory: Callable[..., Rig]) -> None:
    with pytest.raises(InvalidRequest, match="tenant_id is empty"):
        XeroClient(" ", token_source=None)  # type: ignore[arg-type]
