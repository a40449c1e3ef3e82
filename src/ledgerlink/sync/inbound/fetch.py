"""Fetch the records events name, in batches of Xero's `IDs` filter."""

from collections.abc import Sequence

from xero_client import Invoice, XeroClient

#: Xero answers at most 100 invoices to one `GET /Invoices?IDs=`.
IDS_PER_CALL = 100


async def fetch_invoices(client: XeroClient, ids: Sequence[str]) -> dict[str, Invoice]:
    """The invoices among `ids` that Xero holds, by lower-case id."""
    unique = list(dict.fromkeys(i.lower() for i in ids))
    found: dict[str, Invoice] = {}
    for start in range(0, len(unique), IDS_PER_CALL):
        batch = unique[start : start + IDS_PER_CALL]
        wanted = set(batch)
        async for invoice in client.iter_invoices(ids=batch, page_size=IDS_PER_CALL):
            if invoice.invoice_id is not None and invoice.invoice_id.lower() in wanted:
                found[invoice.invoice_id.lower()] = invoice
                wanted.discard(invoice.invoice_id.lower())
            if not wanted:
                break  # all found: a full page would otherwise ask for an empty next one
    return found
