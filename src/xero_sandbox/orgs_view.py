"""A read-only HTML view of each organisation, so a person can see what arrived."""

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.responses import HTMLResponse

from xero_sandbox.accounting import Ledger
from xero_sandbox.accounting.attachments import attachments_of
from xero_sandbox.accounting.history import COLLECTIONS, history_of

if TYPE_CHECKING:
    from xero_sandbox.state import SandboxState

MAX_ROWS_PER_SECTION = 500

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin-bottom:2rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#eef3f7}td.num{text-align:right}caption{text-align:left;font-weight:bold}
"""

Column = tuple[str, str]
_SECTIONS: list[tuple[str, str, str | None, list[Column]]] = [
    (
        "Contacts",
        "Contacts",
        None,
        [
            ("Name", "Name"),
            ("Status", "ContactStatus"),
            ("Email", "EmailAddress"),
            ("Supplier", "IsSupplier"),
            ("Customer", "IsCustomer"),
        ],
    ),
    (
        "Purchase orders",
        "PurchaseOrders",
        None,
        [
            ("Number", "PurchaseOrderNumber"),
            ("Contact", "Contact.Name"),
            ("Date", "Date"),
            ("Status", "Status"),
            ("Total", "Total"),
        ],
    ),
    (
        "Bills",
        "Invoices",
        "ACCPAY",
        [
            ("Number", "InvoiceNumber"),
            ("Contact", "Contact.Name"),
            ("Date", "Date"),
            ("Due", "DueDate"),
            ("Status", "Status"),
            ("Total", "Total"),
            ("Due amount", "AmountDue"),
        ],
    ),
    (
        "Invoices",
        "Invoices",
        "ACCREC",
        [
            ("Number", "InvoiceNumber"),
            ("Contact", "Contact.Name"),
            ("Date", "Date"),
            ("Due", "DueDate"),
            ("Status", "Status"),
            ("Total", "Total"),
            ("Due amount", "AmountDue"),
        ],
    ),
    (
        "Payments",
        "Payments",
        None,
        [
            ("Date", "Date"),
            ("Amount", "Amount"),
            ("Invoice", "Invoice.InvoiceNumber"),
            ("Credit note", "CreditNote.CreditNoteNumber"),
            ("Status", "Status"),
        ],
    ),
    (
        "Credit notes",
        "CreditNotes",
        None,
        [
            ("Number", "CreditNoteNumber"),
            ("Type", "Type"),
            ("Contact", "Contact.Name"),
            ("Status", "Status"),
            ("Total", "Total"),
            ("Remaining", "RemainingCredit"),
        ],
    ),
]


def _field(record: dict[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return f'<td class="num">{escape(str(value))}</td>'
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"<td>{escape(text)}</td>"


def _table(title: str, rows: Iterable[dict[str, Any]], columns: list[Column]) -> str:
    records = list(rows)
    shown = records[:MAX_ROWS_PER_SECTION]
    head = "".join(f"<th>{escape(label)}</th>" for label, _ in columns)
    body = "".join(
        "<tr>" + "".join(_cell(_field(r, path)) for _, path in columns) + "</tr>" for r in shown
    )
    more = f" (first {len(shown)} of {len(records)})" if len(records) > len(shown) else ""
    caption = f"{escape(title)}: {len(records)}{more}"
    return (
        f'<table id="{escape(title.lower().replace(" ", "-"))}"><caption>{caption}</caption>'
        f"<tr>{head}</tr>{body}</table>"
    )


def _files_and_notes(ledger: Ledger) -> list[dict[str, Any]]:
    """One row per file and per note on any record that has them."""
    rows: list[dict[str, Any]] = []
    for collection, id_field in COLLECTIONS.items():
        for record in ledger.tables[collection].values():
            number = next((record[f] for f in _NUMBER_FIELDS if record.get(f)), record[id_field])
            where = f"{collection} {number}"
            for attachment in attachments_of(record):
                rows.append(
                    {
                        "Record": where,
                        "Kind": "file",
                        "Text": attachment["FileName"],
                        "Type": attachment["MimeType"],
                        "Size": attachment["ContentLength"],
                    }
                )
            for entry in history_of(record):
                if entry["Changes"] == "Note":
                    rows.append({"Record": where, "Kind": "note", "Text": entry["Details"]})
    return rows


_NUMBER_FIELDS = ("InvoiceNumber", "PurchaseOrderNumber", "CreditNoteNumber", "Name")
_FILES_COLUMNS: list[Column] = [
    ("Record", "Record"),
    ("Kind", "Kind"),
    ("File or note", "Text"),
    ("Type", "Type"),
    ("Bytes", "Size"),
]


def organisation_page(ledger: Ledger) -> HTMLResponse:
    """Contacts, purchase orders, bills, invoices, payments and credit notes of one org,
    and the files and notes on its records."""
    sections = []
    for title, table, invoice_type, columns in _SECTIONS:
        rows = [
            r
            for r in ledger.tables.get(table, {}).values()
            if invoice_type is None or r.get("Type") == invoice_type
        ]
        sections.append(_table(title, rows, columns))
    sections.append(_table("Files and notes", _files_and_notes(ledger), _FILES_COLUMNS))
    name = escape(ledger.name)
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
        f'<style>{_STYLE}</style></head><body><p><a href="/_sandbox/orgs">All organisations</a></p>'
        f"<h1>{name}</h1><p>Tenant id <code>{escape(ledger.tenant_id)}</code></p>"
        + "".join(sections)
        + "</body></html>"
    )
    return HTMLResponse(html)


def organisations_page(sandbox: "SandboxState") -> HTMLResponse:
    """Links to every organisation's page."""
    items = "".join(
        f'<li><a href="/_sandbox/orgs/{quote(ledger.tenant_id)}">{escape(ledger.name)}</a></li>'
        for ledger in sandbox.ledgers.values()
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Organisations</title><style>{_STYLE}</style></head>"
        f"<body><h1>Organisations</h1><ul>{items}</ul></body></html>"
    )
    return HTMLResponse(html)
