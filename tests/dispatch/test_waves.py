"""Dispatch waves: who is invited, when the next wave goes out, and when dispatch stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quartier.dispatch.models import Dispatch, DispatchEvent, Invitation
from quartier.dispatch.services import (
    dispatch_first_wave,
    dispatch_for_request,
    dispatch_sync,
    dispatch_tick,
    dispatch_wave,
    invitation_decline,
)
from quartier.dispatch.tasks import dispatch_next_wave, dispatch_notify_customer
from quartier.dispatch.terms import DispatchTerms
from quartier.dispatch.waves import deadline_for, wave_size
from quartier.errors import Conflict, InvalidInput, NotFound
from quartier.events.models import HandledEvent
from quartier.events.outbox import events_deliver
from quartier.jobs.services import request_cancel
from quartier.matching.engine import rank
from quartier.matching.models import MatchIndex
from quartier.matching.selectors import request_query
from quartier.notifications.models import Notification
from tests.dispatch.conftest import make_crowd, open_counts, ranked, start_dispatch
from tests.factories import make_offer, make_request
from tests.mail import send_queued_emails


def invited(dispatch: Dispatch, wave: int | None = None) -> list[int]:
    rows = Invitation.objects.filter(dispatch=dispatch).order_by("rank")
    if wave is not None:
        rows = rows.filter(wave=wave)
    return list(rows.values_list("helper_id", flat=True))


def statuses(dispatch: Dispatch) -> dict[int, str]:
    return dict(Invitation.objects.filter(dispatch=dispatch).values_list("helper_id", "status"))


def later(minutes: float) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def test_wave_sizes_grow_by_half_each_wave_up_to_the_cap(settings):
    assert [wave_size(n) for n in range(1, 7)] == [5, 8, 12, 17, 26, 38]
    assert wave_size(8) == 50  # QUARTIER_DISPATCH_MAX_WAVE_SIZE
    assert wave_size(400) == 50
    settings.QUARTIER_DISPATCH_WAVE_SIZE = 2
    assert [wave_size(n) for n in range(1, 5)] == [2, 3, 5, 7]


def test_first_wave_invites_the_top_n_of_the_matcher(anna, django_capture_on_commit_callbacks):
    helpers = make_crowd(8)
    request = make_request(anna, postcode="8004")
    expected = ranked(request, limit=5)
    assert len(expected) == 5

    with django_capture_on_commit_callbacks(execute=True):
        dispatch = start_dispatch(request)
    # The first wave and the deadline went to the task queue when the request committed.
    queued = dict(DBTaskResult.objects.values_list("task_path", "run_after"))
    assert "quartier.dispatch.tasks.dispatch_start" in queued
    assert queued["quartier.dispatch.tasks.dispatch_deadline"] == dispatch.deadline_at

    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_first_wave(request_id=request.pk) == 5

    dispatch.refresh_from_db()
    assert dispatch.state == "active"
    assert dispatch.wave == 1
    assert invited(dispatch) == expected  # same helpers, same order
    rows = list(Invitation.objects.filter(dispatch=dispatch).order_by("rank"))
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5]
    assert all(r.status == "open" and r.wave == 1 for r in rows)
    assert all("km away" in r.explanation for r in rows)
    assert rows[0].score >= rows[-1].score
    assert dispatch.next_wave_at == dispatch.last_wave_at + timedelta(minutes=30)
    # Each invited helper's open-invitations counter went up by one; the others' did not.
    counts = open_counts([h.pk for h in helpers])
    assert {h: c for h, c in counts.items() if c} == dict.fromkeys(expected, 1)
    # The next wave is deferred to its due time.
    next_wave = DBTaskResult.objects.get(task_path="quartier.dispatch.tasks.dispatch_next_wave")
    assert next_wave.run_after == dispatch.next_wave_at
    assert next_wave.args_kwargs["args"] == [dispatch.pk, 1]


def test_dispatch_for_request_is_idempotent_and_validates_the_mode(anna):
    make_crowd(2)
    request = make_request(anna)
    first = start_dispatch(request)
    assert dispatch_for_request(request_id=request.pk).pk == first.pk
    assert Dispatch.objects.filter(request=request).count() == 1

    other = make_request(anna)
    before = list(Dispatch.objects.values_list("pk", "mode"))
    with pytest.raises(InvalidInput):
        dispatch_for_request(request_id=other.pk, terms=DispatchTerms(mode="fixed_price"))
    quotes_with_a_price = DispatchTerms(fixed_price_minor=5000)
    with pytest.raises(InvalidInput):
        dispatch_for_request(request_id=other.pk, terms=quotes_with_a_price)
    with pytest.raises(InvalidInput):
        dispatch_for_request(request_id=other.pk, terms=DispatchTerms(mode="auction"))
    assert list(Dispatch.objects.values_list("pk", "mode")) == before


def test_next_wave_after_the_interval_excludes_the_first_and_invites_the_next(anna):
    make_crowd(20)
    request = make_request(anna, postcode="8004")
    dispatch = start_dispatch(request)
    assert dispatch_tick().invited == 5
    first = invited(dispatch, wave=1)

    with later(29):
        report = dispatch_tick()
        assert report.waves == 0
        assert Invitation.objects.filter(dispatch=dispatch).count() == 5

    with later(31):
        expected = ranked(request, limit=8, exclude=set(first))
        report = dispatch_tick()
    assert report.waves == 1
    assert report.invited == 8  # 50% more than the first wave
    second = invited(dispatch, wave=2)
    assert second == expected
    assert not set(first) & set(second)
    ranks = list(Invitation.objects.filter(wave=2).order_by("rank").values_list("rank", flat=True))
    assert ranks == list(range(6, 14))
    dispatch.refresh_from_db()
    assert dispatch.wave == 2
    assert statuses(dispatch) == dict.fromkeys(first + second, "open")

    with later(62):
        dispatch_tick()
    third = invited(dispatch, wave=3)
    assert len(third) == 7  # the rest of the crowd (a wave of 12 would fit them all)
    assert len(set(first + second + third)) == 20


def test_a_late_task_for_a_wave_that_already_went_out_does_nothing(anna):
    make_crowd(12)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    assert dispatch_first_wave(request_id=request.pk) == 5
    # The same first-wave task delivered twice, and a next-wave task that is not due yet.
    assert dispatch_first_wave(request_id=request.pk) == 0
    assert dispatch_next_wave.call(dispatch.pk, 1) == 0
    with later(31):
        assert dispatch_next_wave.call(dispatch.pk, 0) == 0  # stale: the wave moved on
        assert dispatch_next_wave.call(dispatch.pk, 1) == 7  # due and current: wave 2 ...
        assert dispatch_next_wave.call(dispatch.pk, 1) == 0  # ... exactly once
        assert dispatch_tick().waves == 0
    assert Invitation.objects.filter(dispatch=dispatch).count() == 12


def test_no_wave_while_offers_keep_arriving(anna):
    make_crowd(12)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    first = invited(dispatch)

    with later(20):
        make_offer(dispatch.invitations.get(rank=1).helper, request)
    with later(31):
        dispatch_tick()
        assert invited(dispatch) == first  # an offer came within the interval: wait
        assert DispatchEvent.objects.filter(dispatch=dispatch, kind="wave_postponed").exists()
    with later(62):
        dispatch_tick()
    assert len(invited(dispatch, wave=2)) == 7  # a whole interval without an offer: widen


def test_quotes_cap_closes_the_open_invitations_and_stops_the_waves(anna, settings):
    settings.QUARTIER_DISPATCH_MAX_QUOTES = 2
    helpers = make_crowd(12)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    first = invited(dispatch)
    quoting = first[:2]

    for helper in [h for h in helpers if h.pk in quoting]:
        make_offer(helper, request)
    report = dispatch_tick()

    assert report.settled == 1
    dispatch.refresh_from_db()
    assert dispatch.state == "satisfied"
    assert dispatch.next_wave_at is None
    assert statuses(dispatch) == {h: ("accepted" if h in quoting else "closed") for h in first}
    assert set(open_counts().values()) == {0}
    with later(31):
        dispatch_tick()
    assert invited(dispatch) == first  # no further waves


def test_an_invited_helper_who_quotes_has_answered(anna):
    helpers = make_crowd(6)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    top = next(h for h in helpers if h.pk == invited(dispatch)[0])

    make_offer(top, request)
    assert dispatch_sync(request_id=request.pk) is False  # one quote: still dispatching

    invitation = Invitation.objects.get(dispatch=dispatch, helper=top)
    assert invitation.status == "accepted"
    assert invitation.responded_at is not None
    assert open_counts([top.pk]) == {top.pk: 0}
    assert Dispatch.objects.get(pk=dispatch.pk).state == "active"


def test_when_everybody_declined_the_next_wave_goes_out_at_once(anna):
    helpers = make_crowd(7)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    by_id = {h.pk: h for h in helpers}
    for invitation in Invitation.objects.filter(dispatch=dispatch):
        invitation_decline(actor=by_id[invitation.helper_id], invitation_id=invitation.pk)

    assert dispatch_tick().invited == 2  # no need to wait for the interval
    assert len(invited(dispatch, wave=2)) == 2


def test_decline_is_checked_and_counted_once(anna):
    helpers = make_crowd(3)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    invitation = Invitation.objects.filter(dispatch=dispatch).first()
    helper = next(h for h in helpers if h.pk == invitation.helper_id)
    someone_else = next(h for h in helpers if h.pk != invitation.helper_id)

    with pytest.raises(NotFound):
        invitation_decline(actor=someone_else, invitation_id=invitation.pk)
    invitation_decline(actor=helper, invitation_id=invitation.pk)
    with pytest.raises(Conflict) as error:
        invitation_decline(actor=helper, invitation_id=invitation.pk)
    assert error.value.code == "invitation_not_open"
    assert open_counts([helper.pk]) == {helper.pk: 0}  # not below zero
    assert Invitation.objects.get(pk=invitation.pk).status == "declined"


def test_declining_never_lowers_a_helpers_rank(anna, crowd_of):
    helpers = crowd_of(8)
    ben = make_request(anna, postcode="8004")
    dispatch = start_dispatch(ben)
    dispatch_tick()
    decliner_id = invited(dispatch)[0]
    decliner = next(h for h in helpers if h.pk == decliner_id)
    next_request = make_request(anna, postcode="8004", title="Another TV box")

    def standing() -> list[tuple[int, float]]:
        query = request_query(next_request, limit=8)
        return [(c.helper_id, round(c.score, 9)) for c in rank(query)]

    before = standing()
    assert decliner_id in [h for h, _ in before]
    invitation = Invitation.objects.get(dispatch=dispatch, helper=decliner)
    invitation_decline(actor=decliner, invitation_id=invitation.pk)
    after = standing()

    assert after == before  # same helpers, same order, same scores
    # And the next request's own first wave invites the decliner at the same place.
    next_dispatch = start_dispatch(next_request)
    dispatch_tick()
    position = [h for h, _ in before].index(decliner_id) + 1
    assert Invitation.objects.get(dispatch=next_dispatch, helper=decliner).rank == position


def test_open_invitations_counters_return_to_zero_when_invitations_close(anna):
    helpers = make_crowd(6)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    ids = invited(dispatch)
    assert sum(open_counts().values()) == 5
    by_id = {h.pk: h for h in helpers}

    decliner = by_id[ids[0]]
    invitation_decline(actor=decliner, invitation_id=Invitation.objects.get(helper=decliner).pk)
    make_offer(by_id[ids[1]], request)
    request_cancel(actor=anna, request_id=request.pk)
    report = dispatch_tick()

    assert report.settled == 1
    dispatch.refresh_from_db()
    assert dispatch.state == "cancelled"
    assert statuses(dispatch) == {
        ids[0]: "declined",
        ids[1]: "accepted",
        ids[2]: "closed",
        ids[3]: "closed",
        ids[4]: "closed",
    }
    assert set(open_counts().values()) == {0}


def test_deadline_exhausts_the_dispatch_and_emails_the_customer_once(
    anna, django_capture_on_commit_callbacks
):
    make_crowd(3)
    request = make_request(anna, days=1)
    dispatch = start_dispatch(request)
    assert dispatch.deadline_at == request.window_start - timedelta(hours=2)
    dispatch_tick()

    with time_machine.travel(dispatch.deadline_at + timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report = dispatch_tick()
        assert report.deadlines == 1
        dispatch.refresh_from_db()
        assert dispatch.state == "exhausted"
        assert set(statuses(dispatch).values()) == {"expired"}
        assert set(open_counts().values()) == {0}
        # The e-mail is a task of its own, queued when the dispatch ended.
        assert mail.outbox == []
        task = DBTaskResult.objects.get(task_path=dispatch_notify_customer.module_path)
        with django_capture_on_commit_callbacks(execute=True):
            assert dispatch_notify_customer.call(*task.args_kwargs["args"]) is True
        with django_capture_on_commit_callbacks(execute=True):
            assert dispatch_notify_customer.call(dispatch.pk) is False  # a retry: no 2nd mail
            dispatch_tick()
        with django_capture_on_commit_callbacks(execute=True):
            events_deliver()  # the stored event reaches the customer's notice (worker)
        no_helper = HandledEvent.objects.filter(handler="notifications.no_helper")
        assert no_helper.count() == 1
        assert send_queued_emails() == 1  # through notifications' e-mail task

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.com"]
    # In the customer's language (German), with the way back to the request.
    assert message.subject == "Keine Hilfe für deine Anfrage gefunden"
    assert request.title in message.body
    assert "Hallo Anna" in message.body
    assert f"/requests/{request.pk}" in message.body
    assert [n.title for n in Notification.objects.filter(user=anna)] == [message.subject]
    dispatch.refresh_from_db()
    assert dispatch.customer_notified_at is not None


def test_deadline_with_offers_in_hand_ends_satisfied_without_an_email(anna):
    helpers = make_crowd(3)
    request = make_request(anna, days=1)
    dispatch = start_dispatch(request)
    dispatch_tick()
    make_offer(helpers[0], request)

    with time_machine.travel(dispatch.deadline_at + timedelta(minutes=1), tick=False):
        dispatch_tick()
    dispatch.refresh_from_db()
    assert dispatch.state == "satisfied"
    assert not DBTaskResult.objects.filter(task_path=dispatch_notify_customer.module_path)
    assert set(open_counts().values()) == {0}


def test_partner_cases_escalate_at_their_sla_instead(anna):
    make_crowd(2)
    request = make_request(anna, days=3)
    sla = timezone.now() + timedelta(hours=4)
    dispatch = start_dispatch(
        request,
        mode="fixed_price",
        fixed_price_minor=9900,
        deadline_at=sla,
        on_deadline="escalate",
    )
    dispatch_tick()
    with time_machine.travel(sla + timedelta(minutes=1), tick=False):
        dispatch_tick()
    dispatch.refresh_from_db()
    assert dispatch.state == "escalated"
    assert set(statuses(dispatch).values()) == {"expired"}
    assert not DBTaskResult.objects.filter(task_path=dispatch_notify_customer.module_path)


def test_an_urgent_request_still_gets_one_interval(anna):
    request = make_request(anna, days=0.05)  # starts within the lead time
    now = timezone.now()
    deadline = deadline_for(request, now)
    assert deadline == min(now + timedelta(minutes=30), request.window_end)


def test_a_wave_is_not_sent_before_it_is_due(anna):
    make_crowd(8)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    assert dispatch_wave(dispatch_id=dispatch.pk, expected_wave=1) == 0
    assert Invitation.objects.count() == 5


def test_the_counter_never_goes_below_zero(anna):
    helpers = make_crowd(2)
    request = make_request(anna)
    dispatch = start_dispatch(request)
    dispatch_tick()
    invitation = Invitation.objects.filter(dispatch=dispatch).first()
    helper = next(h for h in helpers if h.pk == invitation.helper_id)
    # Matching rebuilt the helper's index rows meanwhile: the counter is back at 0.
    MatchIndex.objects.filter(helper=helper).update(open_invitations=0)

    invitation_decline(actor=helper, invitation_id=invitation.pk)

    assert open_counts([helper.pk]) == {helper.pk: 0}
    assert Invitation.objects.get(pk=invitation.pk).status == "declined"


def test_a_helper_at_the_fairness_cap_is_invited_again_once_an_invitation_closes(anna, settings):
    settings.QUARTIER_MAX_OPEN_INVITATIONS = 1
    [hans] = make_crowd(1)
    first = start_dispatch(make_request(anna))
    dispatch_tick()
    assert invited(first) == [hans.pk]

    second = start_dispatch(make_request(anna, title="Another one"))
    dispatch_tick()
    assert invited(second) == []  # one open invitation is all he gets at a time

    invitation_decline(actor=hans, invitation_id=Invitation.objects.get(dispatch=first).pk)
    with later(31):
        dispatch_tick()
    assert invited(second) == [hans.pk]
