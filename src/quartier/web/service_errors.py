"""Service errors as friendly, translated words: form errors, flash messages, HTTP answers.

Services raise `QuartierError`s with a stable `code`, an English `detail` and per-field
`errors`. The web shows them in the visitor's language, worded here by their code (never
looked up by their English sentence, which may change); an error without words here shows the
service's English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.errors import Forbidden, NotAuthenticated, NotFound, QuartierError

from .upload_errors import upload_words

#: Words by stable error code, for errors whose service message carries values or is terse.
BY_CODE: dict[str, Any] = {
    "outside_regions": _("Sorry, this service is not offered at this postcode."),
    "outside_country": _("Sorry, this service is not offered in that country."),
    "unknown_postcode": _("We do not know this postcode. Check the digits and the country."),
    "bad_postcode": _("A Swiss postcode has 4 digits, a German one 5."),
    "unknown_country": _("Choose Switzerland or Germany."),
    "unknown_skill": _("Choose a skill from the list."),
    "email_taken": _("An account with this e-mail address exists already. Log in instead?"),
    "helper_double_booked": _(
        "The helper is already booked at that time. Choose another offer or ask for a new time."
    ),
    "helper_not_vetted": _(
        "This helper cannot take this job at the moment: a check this kind of work needs is "
        "not valid. Choose another offer."
    ),
    "duplicate_offer": _("You already have an open offer on this request: change it instead."),
    "booking_ended": _("Your booking on this request has ended."),
    "offer_fixed_terms": _("An offer on a partner's fixed terms cannot be changed."),
    "request_not_editable": _(
        "This request can no longer be changed: an offer is accepted or it is closed."
    ),
    "address_fixed": _(
        "The place cannot change after posting: helpers were invited for it. "
        "Withdraw this request and post a new one."
    ),
    "fixed_terms": _(
        "This job is offered on fixed terms (a partner's case): the partner changes it."
    ),
    "too_many_photos": _("A request has at most 5 photos: remove one first."),
    **upload_words(),
    "request_not_open": _("Photos can be added only while the request waits for offers."),
    "photos_missing": _("Choose at least one photo."),
    "wrong_password": _("That is not your password."),
    "live_bookings": _(
        "Finish or cancel your current bookings first; then you can delete your account."
    ),
    "pending": _("Your account is already scheduled for deletion."),
    "is_operator": _("Operators' accounts are closed by another operator."),
    "offer_not_pending": _("This offer is no longer open."),
    # Counter-offers (bookings/counters.py).
    "counter_unchanged": _("Change the price, the time or both."),
    "already_countered": _(
        "You countered this helper once already: book their offer or choose another."
    ),
    "countered": _("The customer countered your offer: accept their terms or withdraw."),
    "counter_expired": _("This counter-offer has expired."),
    "counter_not_open": _("This counter-offer has been answered or has ended."),
    "counter_too_late": _("The time must start in the future."),
    "helper_outside_hours": _("The helper does not work at that time (their weekly hours)."),
    "helper_absent": _("The helper is away at that time."),
    "illegal_state": _(
        "That is no longer possible: the job has moved on. Here is where it stands."
    ),
    "request_gone": _("This request no longer exists."),
    "already_reviewed": _("You have already reviewed this booking."),
    "not_completed": _("Reviews open once the work is completed."),
    "already_replied": _("You have already replied to this review."),
    "not_reviewed_party": _("Only the person reviewed can reply."),
    "reply_missing": _("Write your reply."),
    "own_review": _("You cannot report your own review."),
    "review_already_reported": _("You have reported this review already. Thank you."),
    "review_report_reason_missing": _("Say briefly what is wrong with this review."),
    "cannot_serve": _("This request is outside your skills or service area."),
    "own_request": _("You cannot make an offer on your own request."),
    "not_a_customer": _("Only customers can post requests. Sign up as a customer to post one."),
    "not_a_helper": _("This is for helpers. Sign up as a helper to offer your skills."),
    "not_a_pro": _("Only pros (small businesses) have a company profile."),
    "wrong_party": _("Only the other party of this booking can do that."),
    "not_your_request": _("Only the customer who posted the request can do that."),
    "too_many_absences": _("You already have 100 upcoming absences."),
    "already_taken": _("Someone else took this job a moment ago. New invitations come here."),
    "dispatch_closed": _("This job is no longer offered."),
    "invitation_not_open": _("You have answered this invitation already, or it has closed."),
    "quote_required": _("This request takes offers: make one on the request's page."),
    "conversation_closed": _("This job is closed, and so is its conversation."),
    "customer_not_joined": _("The customer has not joined Quartier yet; please call them instead."),
    "own_message": _("You cannot report your own message."),
    "already_reported": _("You have reported this message already. Thank you."),
    "not_a_party": _("Only the customer and this helper can write here."),
    "already_paid": _("This invoice is paid already."),
    "nothing_due": _("Nothing is due on this invoice by transfer."),
    "closed": _("This invoice is closed: the other party left Quartier."),
    "not_the_customer": _("Only the customer can say the invoice is paid."),
    "not_the_helper": _("Only the helper can confirm that the money arrived."),
    "not_suspended": _("Your profile is not suspended."),
    "appeal_exists": _("You have answered this suspension already; an operator will reply."),
    "appeal_missing": _("Say why the suspension is not right."),
    # One's own account (settings, e-mail links, roles).
    "email_not_verified": _(
        "Please confirm your e-mail address first: open the link we sent you. "
        "No e-mail? Send the link again below."
    ),
    "already_verified": _("Your e-mail address is confirmed already."),
    "same_email": _("This is your address already."),
    "link_invalid": _("This link is invalid or has expired. Ask for a new one in your settings."),
    "link_used": _("This link was used already, or the address changed since."),
    "role_held": _("You have this role already."),
    "operator_roles": _("Operators do not take on member roles."),
    "bad_language": _("Choose a language from the list."),
    # Field errors, worded as the services word them (the English is the catalogue's key).
    "bad_email": _("Enter a valid e-mail address."),
    "name_missing": _("Tell us your name."),
    "company_name_missing": _("The company name is required."),
    "bad_uid": _("Use a Swiss UID (CHE-123.456.789) or a German VAT ID (DE123456789)."),
    "staff_name_missing": _("Each staff member needs a name."),
    "title_missing": _("Say in a few words what you need."),
    "street_address_missing": _("The street address is needed for the booked helper."),
    "window_reversed": _("The time window must end after it starts."),
    "window_past": _("The time window must end in the future."),
    "window_too_long": _("The time window may span at most 60 days."),
    "window_too_far_ahead": _("Requests can be posted at most a year ahead."),
    "negative_budget": _("The budget cannot be negative."),
    "price_out_of_range": _("The price must be positive and at most 100,000."),
    "proposed_time_reversed": _("The proposed time must end after it starts."),
    "proposed_time_outside_window": _("The proposed time must lie in the request's window."),
    "proposed_time_past": _("The proposed time must be in the future."),
    "time_not_on_half_hour": _("Times must be on the hour or the half hour."),
    "slot_reversed": _("A slot must end after it starts."),
    "absence_reversed": _("An absence must end after it starts."),
    "absence_past": _("An absence must end in the future."),
    "absence_far": _("Plan absences at most two years ahead."),
    "absence_too_long": _("An absence lasts at most a year; pause your profile instead."),
    "bad_rating": _("A rating is a whole number from 1 to 5."),
    "customer_skill_ratings": _("Customers are rated overall only."),
    "message_empty": _("Write a message first."),
    "message_too_long": _("A message may have at most 2000 characters."),
    "report_reason_missing": _("Say briefly what is wrong with this message."),
    "tip_out_of_range": _("The tip can be between 0 and the job's price."),
    "tip_not_payable": _("The partner pays this job: there is nothing to pay a tip with."),
    "unknown_payment_method": _("Choose bank transfer or cash."),
    "payment_settled": _("The job is over: its tip and payment are settled."),
    "nothing_to_pay": _("The partner pays this job: there is nothing to pay."),
    "price_not_sum_of_lines": _("The price must be the sum of its lines."),
    "vat_rate_not_allowed": _("Choose a VAT rate of this country."),
    "hourly_terms": _("Hourly pricing needs the rate and the hours."),
    # Changes during the visit.
    "change_answered": _("This change has been answered already."),
    "change_free": _("A change must cost something."),
    "labour_billed_by_time": _(
        "This job is billed by the hour: extra time is counted at check-out. Propose travel, "
        "consumables or material."
    ),
    "partner_pays": _("The partner pays this job in full: extra work goes through the partner."),
    "not_urgent": _("Only a request the customer marked as an urgent repair has urgent work."),
    "too_many_changes": _("At most 20 changes per visit."),
    "consent_missing": _("Tick both boxes to have the work done now, or reject the change."),
    # Before the visit and when plans change (bookings.before_visit, reschedule, no_show).
    "too_early": _("Not yet: this step opens later. The booking page says when."),
    "helper_unavailable": _("The helper does not work or is away at that time."),
    "proposal_open": _("Please answer the other side's proposal first."),
    "own_proposal": _("The other side answers your proposal."),
    "no_proposal": _("No new time is proposed."),
    "not_unconfirmed": _(
        "You can ask for another helper when the visit is not confirmed 12 hours ahead."
    ),
    "customer_consent_needed": _("Only the customer can ask for another helper."),
    "no_show_open": _("A no-show is already reported for this visit."),
    "own_account_sign_off": _("The customer signs off in their own account."),
    "wrong_code": _("That code is not right."),
    "code_expired": _("This code has expired: send a new one."),
    "withdrawal_consent_missing": _(
        "The customer has not yet asked for the work to start inside the 14-day withdrawal "
        "period: check-in opens once they tick both boxes on the booking page, or when the "
        "period ends."
    ),
    "withdrawal_closed": _(
        "This booking can no longer be withdrawn from: the withdrawal period has ended or the "
        "job is over."
    ),
    "no_withdrawal_right": _("This booking carries no right of withdrawal."),
    "consent_given": _("You have already asked for the work to start."),
    "helper_cannot_serve": _("This helper does not offer this skill at your address right now."),
    "already_offered": _("This helper has made you an offer already: book it below."),
    "invitation_declined": _("This helper declined this request. Invite someone else?"),
    "no_fixed_price": _("This helper has no fixed price for this job: invite them instead."),
    "helper_not_free": _("The helper is not available at that time. Choose another time."),
    "booking_not_completed": _("Only a completed job can be booked again."),
    "skill_not_offered": _("Offer this skill first, then set its prices."),
    # several helpers or visits (jobs.multi, bookings.multi)
    **{
        "request_fully_booked": _("Every place on this request is booked already."),
        "visit_booked": _("This visit is booked already."),
        "helper_booked": _("This helper is booked on this request already."),
        "helpers_needed_out_of_range": _("Ask for 1 to 6 helpers."),
        "helpers_and_visits": _("Ask either for several helpers or for several visits."),
        "visit_count_out_of_range": _("Give 2 to 10 visits."),
        "visits_overlap": _("The visits must not overlap."),
        "outside_visits": _("Propose a time within one of the visits the customer asked for."),
        "work_started": _(
            "Work on this request has started: cancel the bookings still to come one by one."
        ),
        "not_for_multi": _(
            "This is not available on a request for several helpers or visits; cancel the "
            "booking instead, or ask Quartier's support."
        ),
        "request_has_bookings": _("Helpers are booked on this request: cancel it with them."),
        "helpers_needed_direct": _(
            "A request for one chosen helper asks for one helper; post it to everyone to find "
            "several."
        ),
    },
    # Households: delegates who act for a member.
    "own_address": _("You cannot be your own delegate."),
    "invited_already": _("This address is invited already."),
    "too_many_delegates": _("A household has at most 5 delegates: revoke one first."),
    "not_a_delegate": _("You do not act for this person."),
}

FieldTarget = str | tuple[forms.BaseForm, str | None]


def attempt(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Run a one-button service call: its refusal becomes an error message in the visitor's
    language (a 404 stays a 404), its success the `done` message. True when it went."""
    try:
        action()
    except QuartierError as error:
        if error.status == 404:
            raise
        flash.error(request, friendly(error))
        return False
    flash.success(request, done)
    return True


def friendly(error: QuartierError) -> str:
    """The error in the visitor's language, by its code; an error without words here shows
    the service's detail."""
    if error.code in BY_CODE:
        return str(BY_CODE[error.code])
    return error.detail


def add_to_form(
    form: forms.BaseForm,
    error: QuartierError,
    fields: Mapping[str, FieldTarget] | None = None,
) -> None:
    """Show `error` on `form`: each service field on its form field (renamed by `fields`,
    which may also point at another form of a formset), the rest above the form.

    Errors with words in `BY_CODE` show them; others show the service's field messages as
    they are (Django's password validators, for one, speak the visitor's language already)."""
    fields = fields or {}

    def target(name: str) -> tuple[forms.BaseForm, str | None]:
        mapped = fields.get(name, name)
        owner, field = (form, mapped) if isinstance(mapped, str) else mapped
        return (owner, field) if field is None or field in owner.fields else (form, None)

    if not error.errors:
        form.add_error(None, friendly(error))
        return
    for name, messages in error.errors.items():
        owner, field = target(name)
        field_code = error.field_codes.get(name)
        if field_code in BY_CODE:
            owner.add_error(field, str(BY_CODE[field_code]))
            continue
        if error.code in BY_CODE:
            owner.add_error(field, friendly(error))
            continue
        for message in messages:
            owner.add_error(field, message)


#: Any view function (not Django's class-based `View`); decorators keep its signature.
ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])


def service_errors_as_http(view: ViewFunction) -> ViewFunction:
    """Errors that escape a view become what a browser expects: outside your scope is a 404
    (never a 403, so ids cannot be probed), not allowed is a 403, not logged in a log-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404(gettext("Not found.")) from None
        except NotAuthenticated:
            return redirect_to_login(request.get_full_path(), "web:login")
        except Forbidden as error:
            raise PermissionDenied(friendly(error)) from None

    return cast(ViewFunction, wrapper)
