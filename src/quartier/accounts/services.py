"""Writes for people: registration, tokens, helper and pro profiles."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from quartier.events import helper_changed, record_event
from quartier.geo.geocoding import CURRENCY_BY_COUNTRY, locate_postcode

from .legal import SIGN_UP, Document, legal_accept
from .models import ApiToken, HelperProfile, ProProfile, Role, StaffMember, User
from .selectors import password_marker

TOKEN_PREFIX = "qt_"
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
# Swiss UID: CHE-123.456.789 (optionally with MWST/TVA/IVA); German USt-IdNr: DE + 9 digits.
UID_FORMATS = [re.compile(r"^CHE-\d{3}\.\d{3}\.\d{3}( (MWST|TVA|IVA))?$"), re.compile(r"^DE\d{9}$")]


def user_register(
    *,
    email: str,
    password: str,
    full_name: str,
    roles: Sequence[str] = (Role.CUSTOMER,),
    phone: str = "",
    preferred_language: str = "de",
) -> User:
    email = email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise field_error("email", "Enter a valid e-mail address.", code="bad_email") from None
    if not full_name.strip():
        raise field_error("full_name", "Tell us your name.", code="name_missing")
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise field_error(
            "roles", f"Roles must be a non-empty subset of {Role.values}.", code="bad_roles"
        )
    candidate = User(email=email, full_name=full_name.strip())
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as error:
        raise InvalidInput(
            "The password is too weak.", code="weak_password", errors={"password": error.messages}
        ) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name.strip(),
                phone=phone.strip(),
                preferred_language=preferred_language,
                is_customer=Role.CUSTOMER in roles,
                is_helper=Role.HELPER in roles or Role.PRO in roles,
                is_pro=Role.PRO in roles,
            )
            # Signing up accepts the terms and acknowledges the privacy notice (the form
            # and the API say so next to the button / in the operation's description).
            legal_accept(user=user, documents=SIGN_UP)
            return user
    except IntegrityError:
        make_password(password)  # as long as creating an account takes: time tells nothing
        message = "An account with this e-mail address exists already."
        raise Conflict(message, code="email_taken", errors={"email": [message]}) from None


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User) -> str:
    """A new bearer token, valid QUARTIER_API_TOKEN_DAYS from now (fixed: use does not
    extend it); the raw value is returned once and never stored. Dead tokens of the user
    (expired, or issued under an earlier password) are deleted on the way."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    marker = password_marker(user)
    with transaction.atomic():
        ApiToken.objects.filter(user=user).filter(
            Q(expires_at__lte=now) | ~Q(password_marker=marker)
        ).delete()
        ApiToken.objects.create(
            user=user,
            prefix=raw[:10],
            digest=_digest(raw),
            expires_at=now + timedelta(days=settings.QUARTIER_API_TOKEN_DAYS),
            password_marker=marker,
        )
    return raw


#: How precisely a token's "last used" time is kept.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def api_token_user(raw: str) -> User | None:
    """The user a live token belongs to: not expired, issued under the current password."""
    now = timezone.now()
    # Sliced, not .first(): the digest is unique, and no ORDER BY spares the ORM comparing
    # the user's columns with the ordering on every call.
    found = ApiToken.objects.select_related("user").filter(digest=_digest(raw), expires_at__gt=now)
    token = next(iter(found[:1]), None)
    if token is None or not token.user.is_active:
        return None
    if not constant_time_compare(token.password_marker, password_marker(token.user)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        # Written at most once a minute per token: a client calling many times a second
        # would otherwise write (and take the database's write lock) on every call.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, raw: str) -> None:
    ApiToken.objects.filter(digest=_digest(raw)).delete()


def api_token_revoke_own(*, actor: User, token_id: int) -> None:
    """The owner revokes one of their tokens; anyone else's is a 404."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=actor).delete()
    if not deleted:
        raise NotFound("No such token.")


def helper_profile_upsert(
    *,
    actor: User,
    country: str,
    postcode: str,
    service_radius_km: int,
    hourly_rate_minor: int,
    bio: str = "",
    languages: Sequence[str] = (),
    accept_contractor_terms: bool = False,
) -> HelperProfile:
    """Create or update the helper's profile; the home postcode is geocoded offline.

    The contractor terms are confirmed once; until then the helper is not matched.
    """
    if not actor.is_helper:
        raise Forbidden("Only helpers have a helper profile.", code="not_a_helper")
    _helper_terms_check(service_radius_km, hourly_rate_minor, languages)
    location = locate_postcode(country, postcode)
    existing = HelperProfile.objects.filter(user=actor).first()
    terms_at = existing.contractor_terms_accepted_at if existing else None
    if accept_contractor_terms and terms_at is None:
        terms_at = timezone.now()
    with transaction.atomic():
        profile, _ = HelperProfile.objects.update_or_create(
            user=actor,
            defaults={
                "bio": bio.strip(),
                "languages": list(dict.fromkeys(languages)),
                "country": location.country,
                "postcode": location.postcode,
                "locality": location.locality,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "h3_cell": location.h3_cell,
                "service_radius_km": service_radius_km,
                "hourly_rate_minor": hourly_rate_minor,
                "currency": CURRENCY_BY_COUNTRY[location.country],
                "contractor_terms_accepted_at": terms_at,
            },
        )
        if accept_contractor_terms:
            legal_accept(user=actor, documents=[Document.CONTRACTOR_TERMS])
        helper_changed.send(sender=HelperProfile, helper_id=actor.pk)
    return profile


def _helper_terms_check(
    service_radius_km: int, hourly_rate_minor: int, languages: Sequence[str]
) -> None:
    max_radius = settings.QUARTIER_MAX_SERVICE_RADIUS_KM
    if not 1 <= service_radius_km <= max_radius:
        raise field_error(
            "service_radius_km",
            f"The radius must be 1 to {max_radius} km.",
            code="radius_out_of_range",
        )
    if not 0 < hourly_rate_minor <= 100_000:
        raise field_error(
            "hourly_rate_minor",
            "The hourly rate must be positive and at most 1000.",
            code="rate_out_of_range",
        )
    bad = [code for code in languages if not LANGUAGE_CODE.match(code)]
    if bad:
        raise field_error(
            "languages", f"Use two-letter language codes, not {bad}.", code="bad_language_code"
        )


def pro_profile_upsert(
    *, actor: User, company_name: str, uid: str, staff: Sequence[tuple[str, str]] = ()
) -> ProProfile:
    """Company data of a pro; `staff` = [(full name, e-mail), ...] replaces the staff list."""
    if not actor.is_pro:
        raise Forbidden("Only pros have a company profile.", code="not_a_pro")
    if not company_name.strip():
        raise field_error(
            "company_name", "The company name is required.", code="company_name_missing"
        )
    uid = uid.strip().upper()
    if not any(pattern.match(uid) for pattern in UID_FORMATS):
        raise field_error(
            "uid",
            "Use a Swiss UID (CHE-123.456.789) or a German VAT ID (DE123456789).",
            code="bad_uid",
        )
    for index, (name, email) in enumerate(staff):
        if not name.strip():
            raise field_error(
                f"staff.{index}.full_name",
                "Each staff member needs a name.",
                code="staff_name_missing",
            )
        if email:
            try:
                validate_email(email)
            except DjangoValidationError:
                raise field_error(
                    f"staff.{index}.email", "Enter a valid e-mail address.", code="bad_email"
                ) from None
    with transaction.atomic():
        profile, _ = ProProfile.objects.update_or_create(
            user=actor, defaults={"company_name": company_name.strip(), "uid": uid}
        )
        profile.staff.all().delete()
        StaffMember.objects.bulk_create(
            StaffMember(pro=profile, full_name=name.strip(), email=email.strip().lower())
            for name, email in staff
        )
    return profile


def helper_suspend(*, actor: User, helper_id: int, reason: str) -> None:
    """Operators take a helper out of matching, saying why (the reason is required)."""
    if not actor.is_staff:
        raise Forbidden("Only operators can suspend helpers.", code="not_an_operator")
    reason = reason.strip()
    if not reason:
        raise field_error(
            "reason", "Say why the helper is suspended.", code="suspension_reason_missing"
        )
    with transaction.atomic():
        suspended = HelperProfile.objects.filter(user_id=helper_id).update(
            suspended_at=timezone.now(), suspension_reason=reason[:200]
        )
        helper_changed.send(sender=HelperProfile, helper_id=helper_id)
        if suspended:  # told by e-mail (notifications/account_notices.py)
            record_event("helper.suspended", helper_id=helper_id, reason=reason[:200])
            record_operator_action(actor, "helper.suspend", _helper_ref(helper_id), reason)


def _helper_ref(helper_id: int) -> tuple[str, int, str]:
    """The helper as the operator audit names them."""
    email = User.objects.filter(pk=helper_id).values_list("email", flat=True).first()
    return ("accounts.user", helper_id, email or "")


def helper_reinstate(*, actor: User, helper_id: int, reason: str = "") -> None:
    """Operators lift a helper's suspension: the helper is matched again."""
    if not actor.is_staff:
        raise Forbidden("Only operators can reinstate helpers.", code="not_an_operator")
    with transaction.atomic():
        lifted = HelperProfile.objects.filter(user_id=helper_id, suspended_at__isnull=False).update(
            suspended_at=None, suspension_reason=""
        )
        helper_changed.send(sender=HelperProfile, helper_id=helper_id)
        if lifted:
            record_event("helper.reinstated", helper_id=helper_id)
            record_operator_action(actor, "helper.reinstate", _helper_ref(helper_id), reason)


def helper_tax_hold_set(*, helper_id: int, hold: bool) -> bool:
    """Put the helper on (or take them off) the tax-data hold (§ 23 PStTG): while on hold they
    are not matched and take no new bookings; what they earned is still paid out. Called by
    compliance; returns whether anything changed."""
    with transaction.atomic():
        rows = HelperProfile.objects.filter(user_id=helper_id, tax_data_hold_since__isnull=hold)
        changed = rows.update(tax_data_hold_since=timezone.now() if hold else None)
        if changed:
            helper_changed.send(sender=HelperProfile, helper_id=helper_id)
    return bool(changed)
