"""Products as Xero items: the one kind of the ITEMS stage."""

from __future__ import annotations

from collections.abc import Sequence

from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.preflight import ReferenceProblem
from ledgerlink.xero.outbound.checks import check_item
from ledgerlink.xero.outbound.items import item_json, item_unitdp
from xero_client import BatchResult, XeroClient
from xero_client import Item as XeroItem


def _where_codes(codes: Sequence[str]) -> str | None:
    listable = [c for c in codes if '"' not in c and "\\" not in c]
    return " OR ".join(f'Code=="{c}"' for c in listable) or None


class Items:
    kind = "item"
    label = "item"

    def problems(self, item: Item) -> tuple[ReferenceProblem, ...]:
        return check_item(item)

    def to_xero(self, item: Item, *, xero_id: str | None = None) -> XeroItem:
        return item_json(item, xero_id=xero_id)

    async def find(self, client: XeroClient, codes: Sequence[str]) -> dict[str, str]:
        where = _where_codes(codes)
        if where is None:
            return {}
        found = await client.list_items(where=where)
        wanted = set(codes)
        return {i.code: i.item_id for i in found if i.code in wanted and i.item_id}

    async def create(
        self, client: XeroClient, items: Sequence[Item], key: str
    ) -> list[BatchResult[XeroItem]]:
        unitdp = 4 if any(item_unitdp(item) for item in items) else None
        elements = [self.to_xero(item) for item in items]
        return await client.create_items(elements, idempotency_key=key, unitdp=unitdp)

    async def update(self, client: XeroClient, item: Item, xero_id: str, key: str) -> None:
        await client.update_item(self.to_xero(item, xero_id=xero_id), idempotency_key=key)
