"""A member's own account: name, phone and language, password, e-mail address (changed only
once the new address confirms), e-mail verification, roles added later, profile photo.

Links e-mailed for verification and address changes are signed (Django's signing, with
SECRET_KEY) and expire; they carry the address they were sent for and the address the
account had when they were made, so a link outlives neither a later change nor its own use.
The e-mails themselves go out through notifications (`notifications.account_mail`), which
sits above this context.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.errors import Conflict, Forbidden, InvalidInput, TooManyAttempts, field_error
from quartier.events import helper_changed
from quartier.uploads import MB, PHOTO_TYPES, UploadRule, photos_cleaned

from .models import Role, User
from .throttle import LOGIN_ACCOUNT

LANGUAGES = ("de", "de-ch", "en")
VERIFY_SALT = "quartier.accounts.email-verify"
CHANGE_SALT = "quartier.accounts.email-change"
VERIFY_VALID = timedelta(days=3)
CHANGE_VALID = timedelta(hours=24)

#: One profile photo, in a type every browser shows (HEIC is not), at most 3 MB.
PROFILE_PHOTO = UploadRule(
    types={ext: kind for ext, kind in PHOTO_TYPES.items() if kind != "image/heic"},
    max_count=1,
    max_bytes=3 * MB,
    wrong_type="Only photos: JPEG, PNG or WebP.",
    noun="image",
)


def profile_update(
    *,
    actor: User,
    full_name: str | None = None,
    phone: str | None = None,
    preferred_language: str | None = None,
) -> User:
    """Change what is given (None: leave as is)."""
    changes: dict[str, str] = {}
    if full_name is not None:
        if not full_name.strip():
            raise field_error("full_name", "Tell us your name.", code="name_missing")
        changes["full_name"] = full_name.strip()[:150]
    if phone is not None:
        changes["phone"] = phone.strip()[:32]
    if preferred_language is not None:
        if preferred_language not in LANGUAGES:
            raise field_error(
                "preferred_language",
                f"Choose one of {', '.join(LANGUAGES)}.",
                code="bad_language",
            )
        changes["preferred_language"] = preferred_language
    if changes:
        with transaction.atomic():
            User.objects.filter(pk=actor.pk).update(**changes)
            if actor.is_helper:  # the name shows in matches and the directory
                helper_changed.send(sender=User, helper_id=actor.pk)
        for name, value in changes.items():
            setattr(actor, name, value)
    return actor


def password_confirm(actor: User, password: str, *, field: str = "current_password") -> None:
    """The current password, checked like a log-in: wrong guesses count towards the account's
    log-in throttle, so a left-open session cannot be used to guess it. (When the cache is
    away the check still runs, unthrottled, as the log-in does.)"""
    now = time.time()
    try:
        wait = LOGIN_ACCOUNT.wait(actor.email, now)
    except Exception:
        wait = 0
    if wait:
        raise TooManyAttempts(f"Too many attempts; try again in {wait} seconds.", retry_after=wait)
    if not actor.check_password(password):
        with contextlib.suppress(Exception):
            LOGIN_ACCOUNT.hit(actor.email, now)
        raise field_error(field, "That is not your password.", code="wrong_password")


def password_change(*, actor: User, current_password: str, new_password: str) -> User:
    """A new password, given the current one. Every API token and every other session dies
    with the old password (tokens carry a marker of it; sessions its hash): the caller keeps
    its own session (`update_session_auth_hash`) or gets a new token."""
    password_confirm(actor, current_password)
    try:
        validate_password(new_password, user=actor)
    except DjangoValidationError as error:
        raise InvalidInput(
            "The password is too weak.",
            code="weak_password",
            errors={"new_password": error.messages},
        ) from None
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    return actor


def _address(raw: str, field: str) -> str:
    email = raw.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise field_error(field, "Enter a valid e-mail address.", code="bad_email") from None
    return email


def email_taken(email: str, *, besides: User | None = None) -> bool:
    others = User.objects.filter(email__iexact=email.strip())
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    return others.exists()


@dataclass(frozen=True)
class EmailChange:
    new_email: str
    #: The signed link's token; None when the address belongs to another account (its owner
    #: is told instead, and the asker's answer looks the same: nothing to enumerate).
    token: str | None


def email_change_request(*, actor: User, password: str, new_email: str) -> EmailChange:
    """Ask to move the account to `new_email`: nothing changes until the link sent there is
    opened (`email_change_confirm`)."""
    password_confirm(actor, password, field="password")
    email = _address(new_email, "new_email")
    if email == actor.email:
        raise field_error("new_email", "This is your address already.", code="same_email")
    if email_taken(email, besides=actor):
        return EmailChange(new_email=email, token=None)
    token = signing.dumps({"u": actor.pk, "old": actor.email, "new": email}, salt=CHANGE_SALT)
    return EmailChange(new_email=email, token=token)


@dataclass(frozen=True)
class EmailChanged:
    user: User
    old_email: str


def email_change_confirm(*, token: str) -> EmailChanged:
    """Open the link: the account takes the new address (verified, since the link reached
    it). Race-safe: the address's unique index decides between two accounts confirming the
    same address at once, or a sign-up that took it meanwhile (409 `email_taken`)."""
    try:
        data = signing.loads(token, salt=CHANGE_SALT, max_age=CHANGE_VALID)
    except signing.BadSignature:
        raise InvalidInput(
            "This link is invalid or has expired. Ask for a new one in your settings.",
            code="link_invalid",
        ) from None
    taken = Conflict(
        "This address belongs to another account now.",
        code="email_taken",
        errors={"new_email": ["This address belongs to another account now."]},
    )
    try:
        with transaction.atomic():
            moved = User.objects.filter(pk=data["u"], email=data["old"], is_active=True).update(
                email=data["new"], email_verified_at=timezone.now()
            )
    except IntegrityError:
        raise taken from None
    if not moved:
        raise InvalidInput(
            "This link was used already, or the address changed since.", code="link_used"
        )
    return EmailChanged(user=User.objects.get(pk=data["u"]), old_email=data["old"])


def email_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def email_verify(*, token: str) -> User:
    """Open the verification link: the address is proven (again: a second click is fine)."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_VALID)
    except signing.BadSignature:
        raise InvalidInput(
            "This link is invalid or has expired. Ask for a new one in your settings.",
            code="link_invalid",
        ) from None
    user = User.objects.filter(pk=data["u"], email=data["e"], is_active=True).first()
    if user is None:
        raise InvalidInput(
            "This link is for an address the account no longer has.", code="link_used"
        )
    email_verified_mark(user)
    return user


def email_verified_mark(user: User) -> None:
    """The owner proved the address by a link e-mailed to it (verification, a password set by
    a reset or claim link): from now on they may book."""
    if user.email_verified_at is None:
        now = timezone.now()
        User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(
            email_verified_at=now
        )
        user.email_verified_at = now


def verification_resend_check(user: User) -> None:
    if user.email_verified_at is not None:
        raise Conflict("Your e-mail address is verified already.", code="already_verified")


def role_add(*, actor: User, role: str) -> User:
    """A member takes on the helper or pro role (a pro is a helper too) on their own account;
    the helper onboarding (profile, area, skills, contractor terms) follows as at sign-up."""
    if role not in (Role.HELPER, Role.PRO):
        raise field_error("role", "Add the helper or the pro role.", code="bad_role")
    if actor.is_staff:
        raise Forbidden("Operators do not take on member roles.", code="operator_roles")
    if role in actor.roles:
        raise Conflict("You have this role already.", code="role_held")
    actor.is_helper = True
    actor.is_pro = actor.is_pro or role == Role.PRO
    User.objects.filter(pk=actor.pk).update(is_helper=True, is_pro=actor.is_pro)
    return actor


def photo_set(*, actor: User, upload: UploadedFile) -> User:
    """Replace the profile photo (checked by quartier.uploads, stored without metadata)."""
    [upload] = photos_cleaned([upload], field="photo", rule=PROFILE_PHOTO)
    old = actor.photo.name if actor.photo else ""
    ext = (upload.name or "").rsplit(".", 1)[-1].lower()
    actor.photo.save(f"{actor.pk}.{ext}", upload, save=False)
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(photo=actor.photo.name)
        if actor.is_helper:
            helper_changed.send(sender=User, helper_id=actor.pk)
    if old and old != actor.photo.name:
        actor.photo.storage.delete(old)
    return actor


def photo_remove(*, actor: User) -> User:
    if actor.photo:
        name = actor.photo.name
        with transaction.atomic():
            User.objects.filter(pk=actor.pk).update(photo="")
            if actor.is_helper:
                helper_changed.send(sender=User, helper_id=actor.pk)
        actor.photo.storage.delete(name)
        actor.photo = ""
    return actor
