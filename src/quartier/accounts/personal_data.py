"""What accounts holds about a person, for their export and for the erasure of their account.

The user row itself stays (bookings, reviews and the ledger refer to it) but says nothing
about the person any more: a placeholder e-mail and name, no phone, no usable password, not
active. Profiles, staff lists, API tokens and the profile photo are deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from quartier.events import helper_changed

from .legal_models import LegalAcceptance
from .models import ApiToken, HelperProfile, ProProfile, User

ERASED_NAME = "Deleted member"


def erased_email(user_id: int) -> str:
    return f"deleted-{user_id}@deleted.invalid"


def export(user_id: int) -> dict[str, Any]:
    user = User.objects.get(pk=user_id)
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "roles": [r for r in ("customer", "helper", "pro") if getattr(user, f"is_{r}")],
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_verified_at": _iso(user.email_verified_at),
            "has_profile_photo": bool(user.photo),
        },
        "api_tokens": [
            {
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in ApiToken.objects.filter(user_id=user_id).order_by("id")
        ],
        # Kept after an erasure (they then name nobody): proof of what was agreed.
        "legal_acceptances": [
            {"document": a.document, "version": a.version, "accepted_at": a.accepted_at}
            for a in LegalAcceptance.objects.filter(user_id=user_id)
        ],
    }
    profile = HelperProfile.objects.filter(user_id=user_id).first()
    if profile is not None:
        data["helper_profile"] = {
            "bio": profile.bio,
            "country": profile.country,
            "postcode": profile.postcode,
            "locality": profile.locality,
            "latitude": profile.latitude,
            "longitude": profile.longitude,
            "service_radius_km": profile.service_radius_km,
            "currency": profile.currency,
            "is_available": profile.is_available,
            "contractor_terms_accepted_at": _iso(profile.contractor_terms_accepted_at),
        }
    pro = ProProfile.objects.filter(user_id=user_id).first()
    if pro is not None:
        data["pro_profile"] = {
            "company_name": pro.company_name,
            "uid": pro.uid,
            "staff": [{"full_name": s.full_name, "email": s.email} for s in pro.staff.all()],
        }
    return data


def erase(user_id: int) -> None:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        HelperProfile.objects.filter(user_id=user_id).delete()
        ProProfile.objects.filter(user_id=user_id).delete()  # its staff list with it
        ApiToken.objects.filter(user_id=user_id).delete()
        user.email = erased_email(user_id)
        user.full_name = ERASED_NAME
        user.phone = ""
        user.is_active = False
        user.is_helper = user.is_pro = False
        user.set_unusable_password()
        photo = user.photo.name if user.photo else ""
        user.photo = ""
        user.save()
        helper_changed.send(sender=User, helper_id=user_id)  # out of matching and the directory
        if photo:  # the file goes once the row no longer names it
            storage = user.photo.storage
            transaction.on_commit(lambda: storage.delete(photo))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
