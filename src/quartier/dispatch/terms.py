"""On what terms a request is put before helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .states import DeadlineAction, DispatchMode


@dataclass(frozen=True)
class DispatchTerms:
    """Quotes (helpers name their price) until the default deadline, then the customer is
    told; or a fixed price and duration (partner cases: their SLA as the deadline, escalated
    to the partner's technicians when it passes)."""

    mode: DispatchMode | str = DispatchMode.QUOTES
    fixed_price_minor: int | None = None
    fixed_duration_minutes: int = 120
    deadline_at: datetime | None = None
    on_deadline: DeadlineAction | str = DeadlineAction.NOTIFY_CUSTOMER


QUOTES = DispatchTerms()
