"""Requests API: post (and so dispatch), list, read (scoped) and cancel requests.

It lives with dispatch because posting a request puts it before helpers; the operation ids
keep the names they had when the router lived in `jobs` (clients generate code from them).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.models import User
from quartier.jobs.models import JobRequest
from quartier.jobs.schemas import CancelIn, RequestIn, RequestOut
from quartier.jobs.selectors import (
    RequestView,
    get_request_for,
    request_list_for_customer,
    request_view,
)
from quartier.jobs.services import request_cancel
from quartier.schemas import list_of

from .direct import request_post_for_helper
from .posting import request_post

router = Router(tags=["requests"], auth=api_auth)


class RequestPostIn(RequestIn):
    invite_helper_id: int | None = Field(
        default=None,
        description="Post it for this helper alone (a helper you chose): they are invited, "
        "nobody else is.",
    )


def _out(actor: User, job: JobRequest) -> RequestView:
    return request_view(actor, job)


@router.post("/requests", response={201: RequestOut}, operation_id="quartier_jobs_api_create")
def create(request: HttpRequest, payload: RequestPostIn) -> Status[RequestView]:
    """Post what you need. The postcode must be a Swiss or German postcode. With
    `invite_helper_id` it goes to that helper alone (422 `helper_cannot_serve`)."""
    actor = current_user(request)
    fields = payload.dict(exclude={"invite_helper_id"})
    if payload.invite_helper_id is None:
        job = request_post(actor=actor, **fields)
    else:
        job, _ = request_post_for_helper(actor=actor, helper_id=payload.invite_helper_id, **fields)
    return Status(201, _out(actor, job))


@router.get("/requests", response=list_of(RequestOut), operation_id="quartier_jobs_api_list_mine")
def list_mine(request: HttpRequest) -> list[RequestView]:
    """Your own requests, newest first."""
    actor = current_user(request)
    return [_out(actor, r) for r in request_list_for_customer(actor=actor)[:200]]


@router.get("/requests/{request_id}", response=RequestOut, operation_id="quartier_jobs_api_detail")
def detail(request: HttpRequest, request_id: int) -> RequestView:
    actor = current_user(request)
    return _out(actor, get_request_for(actor, request_id))


@router.post(
    "/requests/{request_id}/cancel", response=RequestOut, operation_id="quartier_jobs_api_cancel"
)
def cancel(request: HttpRequest, request_id: int, payload: CancelIn) -> RequestView:
    """Withdraw a request that is not booked yet."""
    actor = current_user(request)
    return _out(actor, request_cancel(actor=actor, request_id=request_id, reason=payload.reason))
