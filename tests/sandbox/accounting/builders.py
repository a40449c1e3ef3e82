"""Request bodies as an integration would send them."""

from typing import Any


def line(
    unit_amount: str | float = "100.00",
    quantity: str | float = 1,
    account: str = "300",
    tax: str | None = "INPUT2",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Description": "Goods",
        "Quantity": quantity,
        "UnitAmount": unit_amount,
        "AccountCode": account,
    }
    if tax is not None:
        body["TaxType"] = tax
    body.update(extra)
    return body


def bill(contact: str = "ABC Furniture", *lines: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Type": "ACCPAY",
        "Contact": {"Name": contact},
        "Date": "2026-03-01",
        "DueDate": "2026-03-31",
        "LineItems": list(lines) or [line()],
        "Status": "AUTHORISED",
    }
    body.update(extra)
    return {key: value for key, value in body.items() if value is not None}


def sale(contact: str = "Boom FM", *lines: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = bill(contact, *(lines or (line(account="200", tax="OUTPUT2"),)), **extra)
    body["Type"] = "ACCREC"
    return body
