"""A request's photo, for its parties only (customer, invited or offering helpers, the booked
helper, operators); 404 for everyone else, as for a photo that does not exist."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from quartier.dispatch.request_photos import photo_response, request_photo_for

from ..access import actor_of, member_view


@member_view
def request_photo(request: HttpRequest, request_id: int, photo_id: int) -> HttpResponse:
    return photo_response(request_photo_for(actor_of(request), request_id, photo_id))
