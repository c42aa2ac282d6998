"""Posting a request: write it (jobs) and put it before helpers (dispatch), in one go."""

from __future__ import annotations

from typing import Unpack

from django.db import transaction

from quartier.accounts.models import PendingContact, User
from quartier.jobs.models import JobRequest
from quartier.jobs.services import RequestFields, request_create
from quartier.matching.pools import request_pool_set

from .services import dispatch_for_request
from .terms import QUOTES, DispatchTerms


def request_post(
    *,
    actor: User | None,
    terms: DispatchTerms | None = QUOTES,
    pending_contact: PendingContact | None = None,
    pool: int | None = None,
    **fields: Unpack[RequestFields],
) -> JobRequest:
    """Post a request and start dispatching it on `terms` (quotes by default); `None` posts
    it without inviting anyone (a partner's case triaged straight to its technicians).
    With a `pool`, only that pool's members are matched (a partner program's helpers)."""
    with transaction.atomic():
        request = request_create(actor=actor, pending_contact=pending_contact, **fields)
        if pool is not None:
            request_pool_set(request_id=request.pk, pool=pool)
        if terms is not None:
            dispatch_for_request(request_id=request.pk, terms=terms)
    return request
