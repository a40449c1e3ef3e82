"""Stock takes of tracked items."""

import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from ledgerlink.api.schemas.common import Number, Strict
from ledgerlink.domain.stock import REASON_MAX_LENGTH


class StockTakeCreate(Strict):
    item_id: UUID = Field(description="The tracked item counted.")
    date: dt.date = Field(description="The day it was counted.")
    counted_quantity: Number = Field(description="How many were counted (0 or more).")
    reason: Annotated[str, Field(max_length=REASON_MAX_LENGTH)] = Field(
        description="Why it was counted (a stocktake, damage, theft): shown on Xero's adjustment."
    )


class StockTakeSync(BaseModel):
    """Where the stock take is with Xero."""

    state: str = Field(description="pending, sent, failed or resolved.")
    xero_id: str | None = None
    last_error: str | None = None
    fix: str | None = None


class StockTakePublic(BaseModel):
    id: UUID
    item_id: UUID
    item_code: str | None
    date: dt.date
    counted_quantity: Decimal
    reason: str
    on_hand_in_xero: Decimal | None = Field(
        description="Xero's quantity on hand when the adjustment was worked out."
    )
    adjustment: Decimal | None = Field(
        description="What Xero's quantity on hand moves by (counted less on hand)."
    )
    unit_cost: Decimal | None
    sync: StockTakeSync | None = Field(description="None until the worker takes it up.")
