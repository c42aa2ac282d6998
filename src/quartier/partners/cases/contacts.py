"""Who a partner's case is for, and binding it to an account only with the owner's consent.

A case names its customer by e-mail. An address without an account gets a new account
without a password (its owner claims it from the e-mail). An address that already has an
account is never bound by the partner's (or an anonymous embed's) say-so: the case runs on
a `PendingContact` with the name and phone the partner gave, and the account's owner is
asked by e-mail whether it is theirs. Either way the caller's answer is the same, so it
tells no one whether an address has an account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone

from quartier.accounts.claim import password_link_args
from quartier.accounts.models import PendingContact, User
from quartier.bookings.services import booking_customer_confirm
from quartier.errors import NotFound
from quartier.jobs.services import request_contact_confirm
from quartier.notifications.kinds import AddressKind, Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify, notify_address

from ..models import Case

SALT = "quartier.partners.case-contact"
#: How long the confirmation link works.
CONFIRM_MAX_AGE = 60 * 60 * 24 * 30


@dataclass(frozen=True)
class CaseParty:
    """The request's customer, or the pending contact it runs on until confirmed."""

    customer: User | None
    pending_contact: PendingContact | None


def case_party_for(*, email: str, name: str, phone: str) -> CaseParty:
    """Inside the case's transaction: a new customer account, or a pending contact."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        contact = PendingContact.objects.create(
            email=email, full_name=name.strip(), phone=phone.strip()
        )
        return CaseParty(customer=None, pending_contact=contact)
    # Verified from the start: the partner vouches for its own customer's address, and an
    # account without a password is entered only by the link e-mailed to that address.
    user = User.objects.create_user(
        email,
        password=None,
        full_name=name.strip(),
        phone=phone.strip(),
        is_customer=True,
        email_verified_at=timezone.now(),
    )
    return CaseParty(customer=user, pending_contact=None)


def case_party_invite(case: Case, party: CaseParty) -> None:
    """Inside the case's transaction: invite the new account to claim itself, or ask the
    existing account's owner whether the case is theirs (inbox and e-mail)."""
    if party.customer is not None:
        _claim_invite(party.customer, case)
        return
    assert party.pending_contact is not None
    owner = User.objects.filter(email__iexact=party.pending_contact.email, is_active=True).first()
    if owner is None:
        return  # a deactivated account is never asked, and never bound
    notify(
        user=owner,
        kind=Kind.CASE_CONTACT,
        context={
            "partner": case.partner.name,
            "service": case.service.label_in(owner.preferred_language or "de"),
            "locality": case.request.locality,
        },
        link=contact_confirm_link(party.pending_contact),
    )


def _claim_invite(user: User, case: Case) -> None:
    """After commit: invite a new account (no password) to claim itself, to follow the case
    and rate the helper (e-mail only: nobody can log in to an inbox yet)."""
    if user.has_usable_password():
        return  # they log in as usual
    notify_address(
        email=user.email,
        language=user.preferred_language or "de",
        kind=AddressKind.ACCOUNT_CLAIM,
        context={
            "name": user.first_name or user.full_name,
            "partner": case.partner.name,
            "service": case.service.label_in(user.preferred_language or "de"),
        },
        link=Link(Page.PASSWORD_SET, password_link_args(user)),
    )


def contact_confirm_link(contact: PendingContact) -> Link:
    return Link(Page.CASE_CONTACT_CONFIRM, (signing.dumps(contact.pk, salt=SALT),))


def pending_contact_for_token(token: str) -> PendingContact:
    """The contact a link was made for; NotFound when it is forged or expired."""
    try:
        contact_id = signing.loads(token, salt=SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise NotFound("This link is not valid any more.") from None
    contact = PendingContact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound("This link is not valid any more.")
    return contact


def case_contact_confirm(*, token: str) -> tuple[User, list[Case]]:
    """The address's owner followed the e-mailed link: the contact's cases join the account
    (which becomes a customer account if it was not). Confirming twice changes nothing."""
    contact = pending_contact_for_token(token)
    with transaction.atomic():
        contact = PendingContact.objects.select_for_update().get(pk=contact.pk)
        owner = User.objects.filter(email__iexact=contact.email, is_active=True).first()
        if owner is None:
            raise NotFound("This link is not valid any more.")
        if contact.confirmed_at is None:
            request_contact_confirm(contact=contact, customer=owner)
            request_ids = list(contact.requests.values_list("pk", flat=True))
            booking_customer_confirm(request_ids=request_ids, customer=owner)
            if not owner.is_customer:
                User.objects.filter(pk=owner.pk).update(is_customer=True)
            contact.confirmed_at = timezone.now()
            contact.confirmed_user = owner
            contact.save(update_fields=["confirmed_at", "confirmed_user"])
    cases = list(Case.objects.filter(request__pending_contact=contact).select_related("partner"))
    return owner, cases


def cases_for_token(token: str) -> tuple[PendingContact, list[Case]]:
    """What the confirmation page shows before the owner decides."""
    contact = pending_contact_for_token(token)
    cases = Case.objects.filter(request__pending_contact=contact).select_related(
        "partner", "service", "request"
    )
    return contact, list(cases)
