"""A customer's requests: exported; on erasure, open ones are withdrawn and every request
keeps its trade, place (postcode, locality) and times for the helpers who worked on it,
but loses its street address, description and photos."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import JobRequest
from .photos import request_photos_erase
from .services import request_transition
from .states import OPEN_FOR_OFFERS, RequestState


def export(user_id: int) -> dict[str, Any]:
    rows = JobRequest.objects.filter(customer_id=user_id).select_related("skill").order_by("id")
    return {
        "requests": [
            {
                "id": r.pk,
                "skill": r.skill.slug,
                "title": r.title,
                "description": r.description,
                "street_address": r.street_address,
                "postcode": r.postcode,
                "locality": r.locality,
                "country": r.country,
                "state": r.state,
                "created_at": r.created_at.isoformat(),
            }
            for r in rows
        ]
    }


def erase(user_id: int) -> None:
    mine = JobRequest.objects.filter(customer_id=user_id)
    for request_id in mine.filter(state__in=OPEN_FOR_OFFERS).values_list("pk", flat=True):
        request_transition(
            request_id=request_id,
            source=OPEN_FOR_OFFERS,
            target=RequestState.CANCELLED,
            actor=None,
            note="The customer closed their account.",
        )
    with transaction.atomic():
        mine.update(street_address="", description="", title="—")
        request_photos_erase(customer_id=user_id)
