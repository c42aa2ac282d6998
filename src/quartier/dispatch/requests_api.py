"""Requests API: post (and so dispatch), list, read (scoped), change and cancel requests;
the photos on them.

It lives with dispatch because posting a request puts it before helpers; the operation ids
keep the names they had when the router lived in `jobs` (clients generate code from them).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.models import User
from quartier.bookings.multi import request_cancel_whole
from quartier.jobs.models import JobRequest, RequestPhoto
from quartier.jobs.multi import VisitWindow
from quartier.jobs.photos import request_photo_remove, request_photos_add
from quartier.jobs.schemas import CancelIn, PhotoOut, RequestChangeIn, RequestIn, RequestOut
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
from .request_edits import request_change
from .request_photos import photo_response, request_photo_for, request_photos_for

router = Router(tags=["requests"], auth=api_auth)


class RequestPostIn(RequestIn):
    invite_helper_id: int | None = Field(
        default=None,
        description="Post it for this helper alone (a helper you chose): they are invited, "
        "nobody else is.",
    )
    for_customer_id: int | None = Field(
        default=None,
        description="Post it for a household member you are a delegate of: the request is "
        "theirs (422 `not_a_delegate` otherwise).",
    )


def _out(actor: User, job: JobRequest) -> RequestView:
    return request_view(actor, job)


@router.post("/requests", response={201: RequestOut}, operation_id="quartier_jobs_api_create")
def create(request: HttpRequest, payload: RequestPostIn) -> Status[RequestView]:
    """Post what you need. The postcode must be a Swiss or German postcode. With
    `invite_helper_id` it goes to that helper alone (422 `helper_cannot_serve`).
    `helpers_needed` (a move: 2) or `visits` (a multi-day job) ask for several bookings."""
    actor = current_user(request)
    fields = payload.dict(exclude={"invite_helper_id", "visits"})
    fields["visits"] = [VisitWindow(v.starts_at, v.ends_at) for v in payload.visits]
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
    """Withdraw a request that is not booked yet. A request for several helpers or visits
    is withdrawn with its bookings while no work has started (409 `work_started`), each
    booking on its own cancellation terms."""
    actor = current_user(request)
    if get_request_for(actor, request_id).is_multi:
        job = request_cancel_whole(actor=actor, request_id=request_id, reason=payload.reason)
        return _out(actor, job)
    return _out(actor, request_cancel(actor=actor, request_id=request_id, reason=payload.reason))


@router.patch(
    "/requests/{request_id}", response=RequestOut, operation_id="quartier_jobs_api_change"
)
def change(request: HttpRequest, request_id: int, payload: RequestChangeIn) -> RequestView:
    """Change your request while no offer is accepted: title, description, time window,
    budget (null removes it), street address. The postcode and country cannot change (422
    `address_fixed`: post a new request); 409 once an offer is accepted or the request is
    closed. Invited helpers and helpers with open offers are told what changed; open offers
    whose time leaves the new window are flagged (`outside_window`), not withdrawn."""
    actor = current_user(request)
    sent = payload.dict(exclude_unset=True)
    changes = {k: v for k, v in sent.items() if v is not None or k == "budget_minor"}
    edit = request_change(actor=actor, request_id=request_id, changes=changes)
    return _out(actor, edit.request)


def _photo_out(photo: RequestPhoto) -> PhotoOut:
    return PhotoOut(
        id=photo.pk,
        name=photo.name,
        content_type=photo.content_type,
        size=photo.size,
        created_at=photo.created_at,
        url=f"/api/v1/requests/{photo.request_id}/photos/{photo.pk}",
    )


@router.post(
    "/requests/{request_id}/photos",
    response={201: list[PhotoOut]},
    operation_id="quartier_jobs_api_add_photos",
)
def add_photos(
    request: HttpRequest, request_id: int, photos: File[list[UploadedFile]]
) -> Status[list[PhotoOut]]:
    """Attach photos to your open request (multipart/form-data, field `photos`): JPEG, PNG,
    WebP or HEIC, at most 8 MB each and 5 per request. Only the request's parties see them."""
    actor = current_user(request)
    added = request_photos_add(actor=actor, request_id=request_id, photos=photos)
    return Status(201, [_photo_out(p) for p in added])


@router.get(
    "/requests/{request_id}/photos",
    response=list[PhotoOut],
    operation_id="quartier_jobs_api_list_photos",
)
def list_photos(request: HttpRequest, request_id: int) -> list[PhotoOut]:
    """The request's photos: for the customer, invited helpers, helpers who offered, the
    booked helper and operators; 404 for everyone else."""
    return [_photo_out(p) for p in request_photos_for(current_user(request), request_id)]


@router.get(
    "/requests/{request_id}/photos/{photo_id}",
    response={200: None},
    operation_id="quartier_jobs_api_photo_file",
    openapi_extra={"responses": {200: {"description": "The image file."}}},
)
def photo_file(request: HttpRequest, request_id: int, photo_id: int) -> HttpResponse:
    """One photo's file, to the request's parties only (404 otherwise)."""
    photo = request_photo_for(current_user(request), request_id, photo_id)
    return photo_response(photo)


@router.delete(
    "/requests/{request_id}/photos/{photo_id}",
    response={204: None},
    operation_id="quartier_jobs_api_remove_photo",
)
def remove_photo(request: HttpRequest, request_id: int, photo_id: int) -> Status[None]:
    """Remove a photo from your request."""
    request_photo_remove(actor=current_user(request), request_id=request_id, photo_id=photo_id)
    return Status(204, None)
