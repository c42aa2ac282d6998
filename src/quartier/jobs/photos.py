"""Photos on a request: the customer attaches up to five while it is open, and removes any.

Each file passes `quartier.uploads.photos_cleaned` (type, size and first bytes agree; stored
re-encoded without EXIF) before anything is stored; files live under MEDIA_ROOT, readable
by the service only. Who may see them is decided one layer up (`dispatch.request_photos`),
where invitations are known; here are the writes and the reads by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import announce_request_changed
from quartier.households.access import acts_for
from quartier.uploads import PHOTOS, content_type_of, photos_cleaned

from .models import JobRequest, RequestEvent, RequestPhoto
from .selectors import get_request_for
from .states import OPEN_FOR_OFFERS

MAX_PHOTOS = PHOTOS.max_count


def _own_request(actor: User, request_id: int) -> JobRequest:
    """The actor's own request, locked. NotFound for anyone who cannot see the request,
    Forbidden for those who can (a helper, an operator): the photos are the customer's."""
    visible = get_request_for(actor, request_id)
    if not acts_for(actor, visible.customer_id):
        raise Forbidden("Only the customer changes a request's photos.", code="not_your_request")
    return JobRequest.objects.select_for_update().get(pk=visible.pk)


def request_photos_add(
    *, actor: User, request_id: int, photos: Sequence[UploadedFile]
) -> list[RequestPhoto]:
    """Attach photos to the customer's open request; at most five in all."""
    photos = list(photos)
    if not photos:
        raise field_error("photos", "Choose at least one photo.", code="photos_missing")
    photos = photos_cleaned(photos, field="photos", rule=PHOTOS)
    with transaction.atomic():
        request = _own_request(actor, request_id)
        if request.state not in OPEN_FOR_OFFERS:
            raise Conflict(
                "Photos can be added only while the request waits for offers.",
                code="request_not_open",
            )
        held = RequestPhoto.objects.filter(request=request).count()
        if held + len(photos) > MAX_PHOTOS:
            raise field_error(
                "photos",
                f"A request has at most {MAX_PHOTOS} photos: remove one first.",
                code="too_many_photos",
            )
        added = [
            RequestPhoto.objects.create(
                request=request,
                image=photo,
                name=PurePath(photo.name or "photo").name[:120],
                content_type=content_type_of(photo.name or "") or "",
                size=photo.size or 0,
                uploaded_by=actor,
            )
            for photo in photos
        ]
        _audit(request, actor, f"{len(added)} photo(s) added")
    return added


def request_photo_remove(*, actor: User, request_id: int, photo_id: int) -> None:
    """The customer removes one of their request's photos (in any state: it is theirs)."""
    with transaction.atomic():
        request = _own_request(actor, request_id)
        photo = RequestPhoto.objects.filter(request=request, pk=photo_id).first()
        if photo is None:
            raise NotFound("No such photo.")
        stored, name = photo.image.storage, photo.image.name
        photo.delete()
        _audit(request, actor, "a photo removed")
        transaction.on_commit(lambda: stored.delete(name))


def _audit(request: JobRequest, actor: User, note: str) -> None:
    RequestEvent.objects.create(
        request=request, actor=actor, from_state=request.state, to_state=request.state, note=note
    )
    announce_request_changed(request.pk)


def request_photos(request_id: int) -> QuerySet[RequestPhoto]:
    """A request's photos, oldest first. Callers have checked who asks."""
    return RequestPhoto.objects.filter(request_id=request_id).order_by("pk")


def request_photo(request_id: int, photo_id: int) -> RequestPhoto:
    photo = RequestPhoto.objects.filter(request_id=request_id, pk=photo_id).first()
    if photo is None:
        raise NotFound("No such photo.")
    return photo


def request_photos_erase(*, customer_id: int) -> None:
    """The customer closed their account: their requests' photos go, files included."""
    photos = RequestPhoto.objects.filter(request__customer_id=customer_id)
    files = [(p.image.storage, p.image.name) for p in photos]
    photos.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
