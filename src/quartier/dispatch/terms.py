"""On what terms a request is put before helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from quartier.errors import field_error

from .states import DeadlineAction, DispatchMode

if TYPE_CHECKING:
    from quartier.jobs.models import JobRequest

    from .models import Dispatch


@dataclass(frozen=True)
class DispatchTerms:
    """Quotes (helpers name their price) until the default deadline, then the customer is
    told; or a fixed price and duration (partner cases: their SLA as the deadline, escalated
    to the partner's technicians when it passes). A partner's job names the partner and
    the part of the fixed price it pays, which the booking carries on to money."""

    mode: DispatchMode | str = DispatchMode.QUOTES
    fixed_price_minor: int | None = None
    fixed_duration_minutes: int = 120
    deadline_at: datetime | None = None
    on_deadline: DeadlineAction | str = DeadlineAction.NOTIFY_CUSTOMER
    partner_id: int | None = None
    partner_share_minor: int = 0
    #: A partner program's visit fee for a visit that could not fix it (None: the market's).
    visit_fee_minor: int | None = None

    def checked(self) -> tuple[DispatchMode, int | None]:
        """The mode and fixed price, once every term is consistent; InvalidInput if not."""
        if self.mode not in DispatchMode.values:
            raise field_error("mode", f"Unknown dispatch mode {self.mode!r}.")
        if self.on_deadline not in DeadlineAction.values:
            raise field_error("on_deadline", f"Unknown deadline action {self.on_deadline!r}.")
        mode = DispatchMode(self.mode)
        price = self.fixed_price_minor
        if mode == DispatchMode.FIXED_PRICE and not (price and price > 0):
            raise field_error("fixed_price_minor", "A fixed-price dispatch needs a positive price.")
        if mode == DispatchMode.QUOTES and price is not None:
            raise field_error("fixed_price_minor", "A quotes dispatch has no fixed price.")
        if self.fixed_duration_minutes <= 0:
            raise field_error("fixed_duration_minutes", "The duration must be positive.")
        share = self.partner_share_minor
        if not 0 <= share <= (price or 0) or (share and self.partner_id is None):
            raise field_error(
                "partner_share_minor", "A partner's share lies within the fixed price, named."
            )
        if self.visit_fee_minor is not None and self.visit_fee_minor < 0:
            raise field_error("visit_fee_minor", "A visit fee is 0 or more.")
        return mode, price


QUOTES = DispatchTerms()


def fixed_slot(dispatch: Dispatch, request: JobRequest, now: datetime) -> tuple[datetime, datetime]:
    """The default slot: the window's start, or the next full hour once the window is open,
    moved earlier if needed so it ends inside the window."""
    length = timedelta(minutes=dispatch.fixed_duration_minutes)
    next_hour = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    start = max(request.window_start, next_hour)
    if start + length > request.window_end:
        start = max(request.window_end - length, request.window_start)
    return start, start + length
