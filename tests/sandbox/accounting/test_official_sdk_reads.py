"""The official `xero-python` models read every list the demo company serves (its strict
enums and date parsing fail on anything Xero would not send)."""

import importlib
import json
from decimal import Decimal

import pytest
from xero_python.api_client import ModelFinder
from xero_python.api_client.deserializer import deserialize

from .builders import bill
from .conftest import XeroApi

MODELS = ModelFinder(importlib.import_module("xero_python.accounting.models"))


@pytest.mark.parametrize(
    ("path", "model"),
    [("/Organisation", "Organisations"), ("/Accounts", "Accounts"), ("/TaxRates", "TaxRates"),
     ("/TrackingCategories", "TrackingCategories"), ("/Contacts", "Contacts"),
     ("/Items", "Items"), ("/Invoices", "Invoices"), ("/PurchaseOrders", "PurchaseOrders"),
     ("/CreditNotes", "CreditNotes"), ("/Payments", "Payments"),
     ("/BankTransactions", "BankTransactions"), ("/Overpayments", "Overpayments"),
     ("/Currencies", "Currencies")],
    ids=lambda v: v.strip("/").lower(),
)  # fmt: skip
async def test_sdk_models_read_the_demo_lists(api: XeroApi, path: str, model: str) -> None:
    response = await api.get(path)
    data = json.loads(response.text, parse_float=Decimal)
    parsed = deserialize(model, data, MODELS)
    assert len(getattr(parsed, _attribute(model))) == len(data[_key(model)])


async def test_sdk_reads_a_paid_bill_with_its_payment(api: XeroApi) -> None:
    created = (await api.put("/Invoices", bill())).json()["Invoices"][0]
    await api.put(
        "/Payments",
        {"Invoice": {"InvoiceID": created["InvoiceID"]}, "Account": {"Code": "090"}, "Amount": 115},
    )
    response = await api.get(f"/Invoices/{created['InvoiceID']}")
    invoice = deserialize("Invoices", json.loads(response.text), MODELS).invoices[0]
    assert invoice.status == "PAID"
    assert invoice.payments[0].amount == 115
    assert invoice.date.isoformat() == "2026-03-01"


def _key(model: str) -> str:
    return model


def _attribute(model: str) -> str:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in model).lstrip("_")
    return snake
