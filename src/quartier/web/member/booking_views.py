"""A booking, for both its parties: where it stands, check in / check out / sign off /
cancel, changes during the visit (change_views), reviews."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.accounts.models import User
from quartier.bookings import services as booking_services
from quartier.bookings.billing import visit_bill
from quartier.bookings.checkout import UNSETTLED, booking_payment_update
from quartier.bookings.models import Booking, PaymentMethod
from quartier.bookings.offer_terms import offer_lines
from quartier.bookings.selectors import dispute_list_for_booking, get_booking_for
from quartier.bookings.states import VisitOutcome
from quartier.bookings.unfixed import partner_part, visit_fee_due
from quartier.bookings.visit import booking_check_out
from quartier.bookings.visit import booking_sign_off as sign_off
from quartier.errors import QuartierError
from quartier.households.access import acts_for
from quartier.jobs.selectors import request_view
from quartier.jobs.states import RequestState
from quartier.reviews.selectors import review_list_for_booking
from quartier.reviews.services import review_create

from ..access import actor_of, back_to, member_view, posted
from ..payment_forms import PAYMENT_FIELDS, PaymentForm
from ..service_errors import add_to_form, attempt
from .change_forms import ChangeForm, changes_context
from .dispute_views import DisputeForm
from .forms import ReviewForm
from .plan_views import plan_context
from .withdrawal_views import withdrawal_context

#: The job's steps after booking, as the booking page shows them.
STEPS = [RequestState.BOOKED, RequestState.IN_PROGRESS, RequestState.COMPLETED, RequestState.CLOSED]


def _review_form(actor: User, booking: Booking, data: object = None) -> ReviewForm:
    is_customer = actor.pk == booking.customer_id
    return ReviewForm(data, skill_name=booking.request.skill.name if is_customer else None)


def _payment_form(actor: User, booking: Booking, data: object = None) -> PaymentForm | None:
    """The customer may change the tip and how they pay until the job is completed."""
    may_change = (
        acts_for(actor, booking.customer_id)
        and booking.state in UNSETTLED
        and booking.payment_method != PaymentMethod.PARTNER
        and booking.outcome != VisitOutcome.NOT_FIXED  # only the visit fee is due
    )
    if not may_change:
        return None
    return PaymentForm(data, method=booking.payment_method, tip_minor=booking.tip_minor)


@member_view
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    return _detail(request, actor, booking, _payment_form(actor, booking))


def detail_page(
    request: HttpRequest, actor: User, booking: Booking, *, change_form: ChangeForm
) -> HttpResponse:
    """The page again with the helper's change form and its errors."""
    return _detail(request, actor, booking, _payment_form(actor, booking), change_form)


def _detail(
    request: HttpRequest,
    actor: User,
    booking: Booking,
    payment_form: PaymentForm | None,
    change_form: ChangeForm | None = None,
) -> HttpResponse:
    # A booking the helper cancelled is over, though its request is dispatched again.
    state = "cancelled" if booking.state == "cancelled" else booking.request.state
    reviews = list(review_list_for_booking(booking_id=booking.pk, viewer_id=actor.pk))
    disputes = list(dispute_list_for_booking(booking_id=booking.pk))
    may_review = (
        state == RequestState.COMPLETED
        and booking.state == "completed"  # this booking's work signed off, not an earlier one's
        and booking.outcome != VisitOutcome.NOT_FIXED
        and all(r.author_id != actor.pk for r in reviews)
        and actor.pk in (booking.helper_id, booking.customer_id)  # not a delegate: their own word
    )
    reached = STEPS.index(RequestState(state)) if state in STEPS else -1
    fee = visit_fee_due(booking)
    return render(
        request,
        "web/bookings/detail.html",
        {
            "booking": booking,
            "job": request_view(actor, booking.request),
            "state": state,
            "steps": [(step, index <= reached) for index, step in enumerate(STEPS)],
            "is_helper": actor.pk == booking.helper_id,
            "is_customer": acts_for(actor, booking.customer_id),  # or their delegate
            "reviews": reviews,
            "review_form": _review_form(actor, booking) if may_review else None,
            "disputes": disputes,
            "dispute_form": None if any(d.status == "open" for d in disputes) else DisputeForm(),
            "lines": offer_lines(booking.offer),
            "bill": visit_bill(booking),
            "payment_form": payment_form,
            "visit_fee_minor": fee,
            "customer_fee_minor": fee - partner_part(fee, booking),
        }
        | changes_context(actor, booking, change_form)
        | plan_context(actor, booking)
        | withdrawal_context(actor, booking),
        status=422 if any(f is not None and f.errors for f in (payment_form, change_form)) else 200,
    )


@require_POST
@member_view
def booking_payment(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The customer changes the tip or the payment method."""
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    form = _payment_form(actor, booking, request.POST)
    if form is None:
        messages.error(request, gettext("The tip and payment of this booking can't be changed."))
        return redirect("web:booking_detail", booking.pk)
    if form.is_valid():
        try:
            booking_payment_update(actor=actor, booking_id=booking.pk, **form.choice())
        except QuartierError as error:
            if error.status == 404:
                raise
            add_to_form(form, error, PAYMENT_FIELDS)
        else:
            messages.success(request, gettext("Saved. Thank you!"))
            return redirect("web:booking_detail", booking.pk)
    return _detail(request, actor, booking, form)


def _move(
    request: HttpRequest,
    booking_id: int,
    service: Callable[..., Booking],
    done: str,
) -> HttpResponse:
    attempt(request, partial(service, actor=actor_of(request), booking_id=booking_id), done)
    return back_to(request, "web:booking_detail", booking_id)


@require_POST
@member_view
def booking_start(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _move(
        request, booking_id, booking_services.booking_start, gettext("Checked in. Good luck!")
    )


@require_POST
@member_view
def booking_complete(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The helper checks out: fixed or not, a note, and whether the customer paid cash."""
    paid_cash = request.POST.get("paid_cash") == "on"
    fixed = request.POST.get("outcome", "fixed") != "not_fixed"
    check_out = partial(
        booking_check_out,
        paid_cash=paid_cash,
        outcome="fixed" if fixed else "not_fixed",
        note=request.POST.get("note", "")[:2000],
    )
    done = (
        gettext("Checked out. The customer is asked to sign off.")
        if fixed
        else gettext(
            "Checked out: not fixed. The job goes on without you; a visit fee, where the "
            "terms have one, is settled when the customer signs off."
        )
    )
    return _move(request, booking_id, check_out, done)


@require_POST
@member_view
def booking_sign_off(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The customer signs off in one tap: the job is settled and reviews open (for a visit
    that could not fix it: only its visit fee is settled)."""
    booking = get_booking_for(actor_of(request), booking_id)
    done = (
        gettext("Visit fee signed off. Thank you!")
        if booking.outcome == VisitOutcome.NOT_FIXED
        else gettext("Signed off. Thank you! How did it go?")
    )
    return _move(request, booking_id, sign_off, done)


@require_POST
@member_view
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _move(
        request, booking_id, booking_services.booking_cancel, gettext("The booking is cancelled.")
    )


@member_view
def review_new(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Rate the other party of a completed booking: overall, and the helper per skill used."""
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    form = _review_form(actor, booking, posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        skill_rating = data.get("skill_rating")
        per_skill = [(booking.request.skill.slug, skill_rating)] if skill_rating else []
        try:
            review_create(
                actor=actor,
                booking_id=booking.pk,
                rating=data["rating"],
                text=data["text"],
                skill_ratings=per_skill,
            )
        except QuartierError as error:
            if error.status == 404:
                raise
            add_to_form(form, error, {"skill_ratings.0.rating": "skill_rating"})
        else:
            messages.success(request, gettext("Thank you for your review!"))
            return redirect("web:booking_detail", booking.pk)
    return render(request, "web/bookings/review.html", {"booking": booking, "form": form})
