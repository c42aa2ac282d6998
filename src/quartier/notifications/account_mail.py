"""E-mails about one's own account: verify the address, confirm a new one (and tell the old
one), a changed password. Each calls the accounts service, then mails through `notify_address`
(after commit, in the member's language): these reach an address, not an inbox, and nobody
can opt out of them."""

from __future__ import annotations

from quartier.accounts.models import User
from quartier.accounts.self_service import (
    EmailChanged,
    email_change_confirm,
    email_change_request,
    email_verification_token,
    password_change,
    verification_resend_check,
)

from .kinds import AddressKind
from .links import Link, Page
from .services import notify_address


def _language(user: User) -> str:
    return user.preferred_language or "de"


def verification_send(user: User) -> None:
    """The link that verifies the account's address (at sign-up, and on request)."""
    notify_address(
        email=user.email,
        language=_language(user),
        kind=AddressKind.EMAIL_VERIFY,
        context={"name": user.first_name},
        link=Link(Page.EMAIL_VERIFY, (email_verification_token(user),)),
    )


def verification_resend(*, actor: User) -> None:
    """Another verification link (409 `already_verified` when there is nothing to verify)."""
    verification_resend_check(actor)
    verification_send(actor)


def email_change_start(*, actor: User, password: str, new_email: str) -> str:
    """Send the confirmation link to the new address; returns that address. When it has an
    account already, its owner is told instead, and the asker sees the same answer."""
    change = email_change_request(actor=actor, password=password, new_email=new_email)
    if change.token is None:
        owner = User.objects.get(email__iexact=change.new_email)
        notify_address(
            email=owner.email,
            language=_language(owner),
            kind=AddressKind.EMAIL_CHANGE_TAKEN,
            context={},
            link=Link(Page.LOG_IN),
        )
    else:
        notify_address(
            email=change.new_email,
            language=_language(actor),
            kind=AddressKind.EMAIL_CHANGE,
            context={"name": actor.first_name, "old_email": actor.email},
            link=Link(Page.EMAIL_CHANGE, (change.token,)),
        )
    return change.new_email


def email_change_finish(*, token: str) -> EmailChanged:
    """The link was opened: the address changes, and the old address hears of it."""
    changed = email_change_confirm(token=token)
    user = changed.user
    notify_address(
        email=changed.old_email,
        language=_language(user),
        kind=AddressKind.EMAIL_CHANGED,
        context={"name": user.first_name, "new_email": user.email},
        link=Link(Page.PASSWORD_RESET),
    )
    return changed


def password_change_notify(*, actor: User, current_password: str, new_password: str) -> User:
    """Change the password and tell the account's address (if it was not them: reset it)."""
    user = password_change(
        actor=actor, current_password=current_password, new_password=new_password
    )
    notify_address(
        email=user.email,
        language=_language(user),
        kind=AddressKind.PASSWORD_CHANGED,
        context={"name": user.first_name},
        link=Link(Page.PASSWORD_RESET),
    )
    return user
