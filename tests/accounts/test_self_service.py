"""One's own account: details, password, e-mail change by a confirmed link (race-safe), the
verification that booking waits for, roles added later."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction

from quartier.accounts.models import ApiToken, User
from quartier.accounts.self_service import (
    CHANGE_SALT,
    email_verification_token,
    email_verify,
    password_change,
    profile_update,
    role_add,
)
from quartier.accounts.services import api_token_create, api_token_user, user_register
from quartier.bookings.models import Booking
from quartier.bookings.services import offer_accept
from quartier.errors import Conflict, Forbidden, InvalidInput
from quartier.notifications.account_mail import email_change_finish, email_change_start
from tests.factories import make_customer, make_helper, make_offer, make_request
from tests.races import race

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _change_link(body: str) -> str:
    found = re.search(r"/email/change/(\S+)", body)
    assert found, body
    return found.group(1)


def test_details_change_and_bad_language_is_refused(customer):
    profile_update(actor=customer, full_name=" Anna Neu ", phone="+41 79 999 00 00")
    customer.refresh_from_db()
    assert (customer.full_name, customer.phone) == ("Anna Neu", "+41 79 999 00 00")
    with pytest.raises(InvalidInput) as refused:
        profile_update(actor=customer, preferred_language="fr")
    assert refused.value.code == "bad_language"
    with pytest.raises(InvalidInput):
        profile_update(actor=customer, full_name="  ")
    customer.refresh_from_db()
    assert customer.full_name == "Anna Neu"


def test_a_new_password_needs_the_current_one_and_ends_every_token(customer):
    token = api_token_create(user=customer)
    with pytest.raises(InvalidInput) as wrong:
        password_change(actor=customer, current_password="guess", new_password="a new passphrase")
    assert wrong.value.code == "wrong_password"
    assert api_token_user(token) == customer  # nothing changed
    password_change(actor=customer, current_password=PASSWORD, new_password="a new passphrase 7")
    customer.refresh_from_db()
    assert customer.check_password("a new passphrase 7")
    assert api_token_user(token) is None  # every token of the old password is dead


def test_a_weak_new_password_is_refused(customer):
    with pytest.raises(InvalidInput) as weak:
        password_change(actor=customer, current_password=PASSWORD, new_password="123")
    assert weak.value.code == "weak_password"


def test_the_address_changes_only_once_the_new_one_confirms_and_the_old_one_hears(
    customer, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        email_change_start(actor=customer, password=PASSWORD, new_email="Anna.Neu@Example.com")
    customer.refresh_from_db()
    assert customer.email == "anna@example.com"  # not yet
    (link_mail,) = mail.outbox
    assert link_mail.to == ["anna.neu@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        changed = email_change_finish(token=_change_link(link_mail.body))
    customer.refresh_from_db()
    assert customer.email == "anna.neu@example.com"
    assert customer.email_verified
    assert changed.old_email == "anna@example.com"
    assert mail.outbox[-1].to == ["anna@example.com"]
    assert "anna.neu@example.com" in mail.outbox[-1].body
    # The link works once.
    with pytest.raises(InvalidInput):
        email_change_finish(token=_change_link(link_mail.body))


def test_an_address_with_an_account_is_not_revealed_and_its_owner_is_told(
    customer, stranger_user, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        email = email_change_start(
            actor=customer, password=PASSWORD, new_email="STRANGER@example.com"
        )
    assert email == "stranger@example.com"  # the same answer as for a free address
    (notice,) = mail.outbox
    assert notice.to == ["stranger@example.com"]
    assert "/email/change/" not in notice.body  # no link that could take the address
    customer.refresh_from_db()
    assert customer.email == "anna@example.com"


def test_a_wrong_password_or_own_address_changes_nothing(customer):
    with pytest.raises(InvalidInput) as wrong:
        email_change_start(actor=customer, password="guess", new_email="new@example.com")
    assert wrong.value.code == "wrong_password"
    with pytest.raises(InvalidInput) as same:
        email_change_start(actor=customer, password=PASSWORD, new_email="ANNA@example.com")
    assert same.value.code == "same_email"
    assert mail.outbox == []


def test_a_forged_or_expired_link_is_refused(customer, settings):
    forged = signing.dumps(
        {"u": customer.pk, "old": customer.email, "new": "evil@example.com"}, salt="other"
    )
    with pytest.raises(InvalidInput) as bad:
        email_change_finish(token=forged)
    assert bad.value.code == "link_invalid"
    settings.SECRET_KEY = "another secret key, as if the link came from elsewhere"
    with pytest.raises(InvalidInput):
        email_verify(token="nonsense")
    customer.refresh_from_db()
    assert customer.email == "anna@example.com"


def test_an_address_taken_meanwhile_is_refused_at_confirmation(customer):
    token = signing.dumps(
        {"u": customer.pk, "old": customer.email, "new": "late@example.com"}, salt=CHANGE_SALT
    )
    make_customer(email="late@example.com")  # signed up in between
    with pytest.raises(Conflict) as taken:
        email_change_finish(token=token)
    assert taken.value.code == "email_taken"
    customer.refresh_from_db()
    assert customer.email == "anna@example.com"


def test_addresses_are_unique_whatever_their_case(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ANNA@example.com", full_name="Case Twin")


def test_two_accounts_confirming_one_address_at_once_only_one_gets_it(committing_db):
    first = make_customer(email="first@example.com")
    second = make_customer(email="second@example.com")
    tokens = [
        signing.dumps({"u": u.pk, "old": u.email, "new": "shared@example.com"}, salt=CHANGE_SALT)
        for u in (first, second)
    ]
    outcomes = race(*(lambda t=t: email_change_finish(token=t) for t in tokens))
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], Conflict), outcomes
    assert refused[0].code == "email_taken"
    assert User.objects.filter(email__iexact="shared@example.com").count() == 1
    emails = set(User.objects.filter(pk__in=[first.pk, second.pk]).values_list("email", flat=True))
    assert "shared@example.com" in emails
    assert len(emails) == 2


def test_a_new_account_may_not_book_until_its_address_is_verified(helper, settings):
    fresh = user_register(email="neo@example.com", password=PASSWORD, full_name="Neo Neu")
    assert not fresh.email_verified
    offer = make_offer(helper, make_request(fresh))
    with pytest.raises(Forbidden) as gate:
        offer_accept(actor=fresh, offer_id=offer.pk)
    assert gate.value.code == "email_not_verified"
    assert not Booking.objects.exists()
    email_verify(token=email_verification_token(fresh))
    fresh.refresh_from_db()
    assert offer_accept(actor=fresh, offer_id=offer.pk).customer_id == fresh.pk


def test_a_verification_link_dies_with_the_address_it_was_sent_to(customer):
    User.objects.filter(pk=customer.pk).update(email_verified_at=None)
    token = email_verification_token(customer)
    User.objects.filter(pk=customer.pk).update(email="other@example.com")
    with pytest.raises(InvalidInput) as gone:
        email_verify(token=token)
    assert gone.value.code == "link_used"
    assert User.objects.get(pk=customer.pk).email_verified_at is None


def test_a_customer_becomes_a_helper_without_a_second_account(customer):
    role_add(actor=customer, role="helper")
    customer.refresh_from_db()
    assert customer.roles == ["customer", "helper"]
    with pytest.raises(Conflict):
        role_add(actor=customer, role="helper")
    role_add(actor=customer, role="pro")
    customer.refresh_from_db()
    assert customer.roles == ["customer", "helper", "pro"]
    assert User.objects.count() == 1
    assert not ApiToken.objects.exists()


def test_operators_and_unknown_roles_are_refused(db):
    operator = make_customer(is_customer=False, is_staff=True)
    with pytest.raises(Forbidden):
        role_add(actor=operator, role="helper")
    helper = make_helper()
    with pytest.raises(InvalidInput):
        role_add(actor=helper, role="operator")


@pytest.fixture
def stranger_user(db: None) -> User:
    return make_customer(email="stranger@example.com")
