"""Who sees a request's photos: its parties only, one check for the API and the web.

The parties are the customer, helpers invited to the request (any invitation, even one they
declined: they were shown the job), helpers who made an offer on it, the booked helper and
operators. Everyone else gets NotFound, the same answer as for a photo that does not exist.
It lives with dispatch because invitations are dispatch's.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse

from quartier.accounts.models import User
from quartier.bookings.models import Offer
from quartier.errors import NotFound
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest, RequestPhoto
from quartier.jobs.photos import request_photo, request_photos

from .models import Invitation


def is_party(actor: User, request: JobRequest, *, offered: bool | None = None) -> bool:
    """Whether `actor` is one of the request's parties (see the module). `offered`: whether
    the actor made an offer on it, when the caller knows already."""
    if not actor.is_authenticated:
        return False
    if (
        actor.is_staff
        or offered
        or actor.pk == request.booked_helper_id
        or acts_for(actor, request.customer_id)
    ):
        return True
    if Invitation.objects.filter(dispatch__request=request, helper=actor).exists():
        return True
    if offered is not None:
        return False
    return Offer.objects.filter(request=request, helper=actor).exists()


def _request_for_party(actor: User, request_id: int) -> JobRequest:
    request = JobRequest.objects.filter(pk=request_id).first()
    if request is None or not is_party(actor, request):
        raise NotFound("No such request.")
    return request


def request_photos_for(actor: User, request_id: int) -> QuerySet[RequestPhoto]:
    """The request's photos if `actor` is a party, else NotFound."""
    return request_photos(_request_for_party(actor, request_id).pk)


def request_photo_for(actor: User, request_id: int, photo_id: int) -> RequestPhoto:
    """One photo if `actor` is a party, else NotFound (as for a missing photo)."""
    return request_photo(_request_for_party(actor, request_id).pk, photo_id)


def photo_response(photo: RequestPhoto) -> HttpResponse:
    """The stored file (at most 8 MB), never cached by shared caches, shown inline under
    its own type; the web's photo pages answer with it too."""
    with photo.image.open("rb") as image:
        response = HttpResponse(image.read(), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
