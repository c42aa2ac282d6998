"""Reviews a person wrote and received. On erasure the texts they wrote go; the ratings
stay, unattributed, because the helpers' skill scores (and matching) rest on them."""

from __future__ import annotations

from typing import Any

from .models import Review


def export(user_id: int) -> dict[str, Any]:
    def row(r: Review) -> dict[str, Any]:
        return {
            "booking_id": r.booking_id,
            "direction": r.direction,
            "rating": r.rating,
            "text": r.text,
            "skills": {s.skill.slug: s.rating for s in r.skill_ratings.all()},
            "created_at": r.created_at.isoformat(),
        }

    related = Review.objects.prefetch_related("skill_ratings__skill").order_by("id")
    return {
        "reviews_written": [row(r) for r in related.filter(author_id=user_id)],
        "reviews_received": [row(r) for r in related.filter(subject_id=user_id)],
    }


def erase(user_id: int) -> None:
    Review.objects.filter(author_id=user_id).update(text="")
