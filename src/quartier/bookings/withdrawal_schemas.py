"""The API's shapes of a consumer's rights at checkout and on a booking (`withdrawal`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

Regimes = Literal["withdrawal", "urgent", "private", "none"]


class ConsumerRightsOut(Schema):
    regime: Regimes = Field(
        description="withdrawal: a German consumer buying from a trader (14 days); urgent: "
        "an urgent repair the customer asked for (no right); private: the helper is a "
        "private person (consumer rules do not apply); none: Switzerland."
    )
    text: str = Field(description="What the customer is told, in their language.")
    trader_name: str
    trader_address: str
    trader_email: str
    notice: str = Field(description="The withdrawal notice and model form naming the trader.")
    early_start_text: str = Field(description="The first unticked box (withdrawal only).")
    loss_text: str = Field(description="The second unticked box (withdrawal only).")
    period_ends_at: datetime | None = Field(description="On a booking: the 14 days' end.")
    early_start_requested_at: datetime | None = None
    loss_acknowledged_at: datetime | None = None
    withdrawable: bool = Field(default=False, description="The withdrawal button works now.")
    withdrawn_at: datetime | None = None
    compensation_minor: int = Field(
        default=0, description="Value of the work done before the withdrawal (§ 357a BGB)."
    )
    refund_minor: int = Field(default=0, description="Taken off the price by a credit note.")


class ConsentIn(Schema):
    """Both must be true: the two declarations, each its own box."""

    early_start: bool = False
    loss_acknowledged: bool = False
