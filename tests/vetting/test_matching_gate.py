"""Skills that need vetting (babysitting: identity and a criminal-record extract) put only
vetted helpers forward: in matches, dispatch's invitations, the helper's inbox, offers and
bookings. Other skills are not affected."""

from __future__ import annotations

import pytest

from quartier.bookings.models import Booking
from quartier.bookings.services import offer_accept
from quartier.dispatch.models import Invitation
from quartier.dispatch.services import dispatch_first_wave
from quartier.errors import Conflict, NotFound
from quartier.matching.models import MatchIndex
from quartier.matching.selectors import match_helpers, open_requests_for_helper
from quartier.vetting.models import CheckKind, CheckStatus
from quartier.vetting.services import check_reject
from tests.factories import make_helper, make_offer, make_request
from tests.vetting.helpers import hand_in, require, vet

pytestmark = pytest.mark.django_db

CARE = (CheckKind.IDENTITY, CheckKind.CRIMINAL_RECORD)


@pytest.fixture
def sitters(operator):
    vetted = make_helper(email="vera@example.com", skills=["babysitting", "tv-set-top-box"])
    unvetted = make_helper(email="udo@example.com", skills=["babysitting", "tv-set-top-box"])
    require(operator, "babysitting", *CARE)
    vet(vetted, operator, *CARE)
    return vetted, unvetted


def _matched(request):
    return {m.helper_id for m in match_helpers(request)}


def test_only_vetted_helpers_are_matched_invited_and_see_the_request(customer, sitters):
    vetted, unvetted = sitters
    request = make_request(customer, skill="babysitting", title="Evening babysitting")

    assert _matched(request) == {vetted.pk}
    dispatch_first_wave(request_id=request.pk)
    invited = set(
        Invitation.objects.filter(dispatch__request=request).values_list("helper_id", flat=True)
    )
    assert unvetted.pk not in invited
    assert [r.pk for r, _ in open_requests_for_helper(helper=unvetted)] == []
    assert [r.pk for r, _ in open_requests_for_helper(helper=vetted)] == [request.pk]
    with pytest.raises(NotFound):  # the request is not even shown to them
        make_offer(unvetted, request)


def test_skills_without_a_requirement_match_everyone_as_before(customer, sitters):
    vetted, unvetted = sitters
    request = make_request(customer, skill="tv-set-top-box")
    assert _matched(request) == {vetted.pk, unvetted.pk}
    assert MatchIndex.objects.filter(helper=unvetted, skill__slug="babysitting").count() == 0
    assert MatchIndex.objects.filter(helper=unvetted, skill__slug="tv-set-top-box").count() == 1


def test_one_missing_check_is_enough_to_stay_out(customer, operator, sitters):
    _, unvetted = sitters
    vet(unvetted, operator, CheckKind.IDENTITY)  # no criminal-record extract yet
    hand_in(unvetted, CheckKind.CRIMINAL_RECORD)  # waiting for review: does not count
    request = make_request(customer, skill="babysitting")
    assert unvetted.pk not in _matched(request)


def test_a_rejected_check_does_not_count_and_an_approval_lets_the_helper_in(
    customer, operator, sitters
):
    _, unvetted = sitters
    vet(unvetted, operator, CheckKind.IDENTITY)
    record = hand_in(unvetted, CheckKind.CRIMINAL_RECORD)
    check_reject(actor=operator, check_id=record.pk, reason="Older than three months.")
    request = make_request(customer, skill="babysitting")
    assert unvetted.pk not in _matched(request)

    vet(unvetted, operator, CheckKind.CRIMINAL_RECORD)
    assert unvetted.pk in _matched(request)


def test_an_offer_made_before_the_requirement_cannot_be_booked(customer, operator):
    sitter = make_helper(email="sam@example.com", skills=["babysitting"])
    request = make_request(customer, skill="babysitting")
    offer = make_offer(sitter, request)
    require(operator, "babysitting", *CARE)

    with pytest.raises(Conflict) as refused:
        offer_accept(actor=customer, offer_id=offer.pk)
    assert refused.value.code == "helper_not_vetted"
    assert not Booking.objects.filter(request=request).exists()
    assert sitter.pk not in _matched(request)


def test_removing_the_requirement_lets_unvetted_helpers_back(customer, operator, sitters):
    from quartier.catalog.models import Skill
    from quartier.vetting.services import requirement_set

    _, unvetted = sitters
    skill = Skill.objects.get(slug="babysitting")
    requirement_set(actor=operator, skill=skill, kind=CheckKind.CRIMINAL_RECORD, required=False)
    requirement_set(actor=operator, skill=skill, kind=CheckKind.IDENTITY, required=False)
    request = make_request(customer, skill="babysitting")
    assert unvetted.pk in _matched(request)
    assert not unvetted.vetting_checks.filter(status=CheckStatus.APPROVED).exists()
