"""Account settings API: one's name, phone and language, password, e-mail address (confirmed
by a link to the new address), e-mail verification, roles added later, profile photo.

The links e-mailed for verification and address changes open web pages: whoever follows
them proves the address, in a browser, with or without a session.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.schemas import UserOut
from quartier.accounts.self_service import photo_remove, photo_set, role_add
from quartier.accounts.services import api_token_create
from quartier.notifications.account_mail import (
    email_change_start,
    password_change_notify,
    verification_resend,
)

from .people import user_out

router = Router(tags=["accounts"], auth=api_auth)


class PasswordChangeIn(Schema):
    current_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class PasswordChangedOut(Schema):
    token: str | None = Field(
        description="A new bearer token when you called with one: every token of yours, the "
        "one used for this call too, ends with the old password. Other browser sessions end "
        "as well; the calling session stays."
    )


class EmailChangeIn(Schema):
    new_email: str = Field(max_length=254)
    password: str = Field(max_length=128, description="Your current password.")


class SentOut(Schema):
    email: str
    detail: str


class RoleIn(Schema):
    role: Literal["helper", "pro"]


@router.post(
    "/me/password",
    response=PasswordChangedOut,
    operation_id="quartier_accounts_api_change_password",
)
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> PasswordChangedOut:
    """A new password, given the current one (wrong guesses count like failed log-ins). Your
    address gets an e-mail about it."""
    user = password_change_notify(
        actor=current_user(request),
        current_password=payload.current_password,
        new_password=payload.new_password,
    )
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return PasswordChangedOut(token=api_token_create(user=user))
    update_session_auth_hash(request, user)
    return PasswordChangedOut(token=None)


CHANGE_SENT = "Open the link we sent to the new address within 24 hours; until then your \
address stays as it is."


@router.post(
    "/me/email",
    response={202: SentOut},
    operation_id="quartier_accounts_api_change_email",
)
def change_email(request: HttpRequest, payload: EmailChangeIn) -> Status[SentOut]:
    """Move your account to another address: a link goes to that address, and only when it
    is opened does the address change (verified) and the old address hear of it. If the
    address has an account already, its owner is told instead; the answer is the same."""
    email = email_change_start(
        actor=current_user(request), password=payload.password, new_email=payload.new_email
    )
    return Status(202, SentOut(email=email, detail=CHANGE_SENT))


@router.post(
    "/me/email/verification",
    response={202: SentOut},
    operation_id="quartier_accounts_api_resend_verification",
)
def resend_verification(request: HttpRequest) -> Status[SentOut]:
    """A new link to verify your address (needed before your first booking); 409
    `already_verified` when it is."""
    user = current_user(request)
    verification_resend(actor=user)
    return Status(202, SentOut(email=user.email, detail="Open the link we sent you."))


@router.post("/me/roles", response=UserOut, operation_id="quartier_accounts_api_add_role")
def add_role(request: HttpRequest, payload: RoleIn) -> UserOut:
    """Become a helper (or a pro, a helper with company data) on this account. Then set up
    as at sign-up: `PUT /me/helper-profile` (area, rate, contractor terms), `PUT /me/skills`,
    and for a pro `PUT /me/pro-profile`. 409 `role_held` if you have it already."""
    return user_out(role_add(actor=current_user(request), role=payload.role))


@router.post("/me/photo", response=UserOut, operation_id="quartier_accounts_api_put_photo")
def put_photo(request: HttpRequest, photo: File[UploadedFile]) -> UserOut:
    """Your profile photo (multipart field `photo`: JPEG, PNG or WebP, at most 3 MB),
    replacing any earlier one. A helper's photo is public (profile, matches, directory)."""
    return user_out(photo_set(actor=current_user(request), upload=photo))


@router.delete("/me/photo", response={204: None}, operation_id="quartier_accounts_api_delete_photo")
def delete_photo(request: HttpRequest) -> Status[None]:
    photo_remove(actor=current_user(request))
    return Status(204, None)
