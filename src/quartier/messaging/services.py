"""Writes of messaging: send a message, report one, and the operators' decision on a report."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.households.access import acts_for, delegates_of
from quartier.households.services import record_delegate_act
from quartier.jobs.masking import mask_contact_details
from quartier.jobs.models import JobRequest
from quartier.jobs.multi import helper_is_booked
from quartier.jobs.selectors import get_request_for
from quartier.jobs.states import RequestState
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .models import AbuseReport, Conversation, Message, ReportStatus
from .selectors import get_message_for

MAX_BODY = 2000
#: A finished or withdrawn job's conversation is kept for reading, closed for writing.
CLOSED_STATES = frozenset({RequestState.CANCELLED, RequestState.CLOSED, RequestState.ESCALATED})


def message_text(request: JobRequest, body: str) -> str:
    """The message as it will be stored, or the reason it cannot be written on `request`
    (one-to-one and team conversations alike)."""
    text = body.strip()
    if not text:
        raise field_error("body", "Write a message first.", code="message_empty")
    if len(text) > MAX_BODY:
        raise field_error(
            "body", f"A message may have at most {MAX_BODY} characters.", code="message_too_long"
        )
    if request.state in CLOSED_STATES:
        raise Conflict("This conversation is closed.", code="conversation_closed")
    if request.customer_id is None:
        raise Conflict(
            "The customer has not joined Quartier yet; please call them instead.",
            code="customer_not_joined",
        )
    return text


def message_send(*, actor: User, request_id: int, helper_id: int, body: str) -> Message:
    """Send a message in the conversation between the request's customer and `helper_id`.

    The customer (or their live delegate, who writes in their own name and is recorded as
    having acted for the member) may write to any helper who could see the request
    (matched, invited, with an offer or booked); a helper only in their own conversation.
    Until that helper is booked, e-mail addresses and phone numbers in the text are masked.
    """
    request = get_request_for(actor, request_id)  # 404 outside the actor's scope
    customer_side = acts_for(actor, request.customer_id)
    if customer_side:
        helper = User.objects.filter(pk=helper_id, is_helper=True, is_active=True).first()
        if helper is None:
            raise NotFound("No such helper.")
        get_request_for(helper, request_id)  # the helper must be able to see the request
    elif actor.pk == helper_id and actor.is_helper:
        helper = actor
    else:
        raise Forbidden("Only the customer and this helper can write here.", code="not_a_party")
    text = message_text(request, body)
    if not helper_is_booked(request, helper.pk):
        text, masked = mask_contact_details(text)
    else:
        masked = False
    with transaction.atomic():
        # get_or_create re-reads after a unique-constraint clash: a thread the other party
        # opened at the same moment is the one used.
        conversation, _ = Conversation.objects.get_or_create(request=request, helper=helper)
        message = Message.objects.create(
            conversation=conversation, sender=actor, body=text, masked=masked
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
        if customer_side:
            record_delegate_act(actor, request.customer_id, "message.sent", conversation)
        for recipient in _recipients(actor, request, helper, customer_side):
            notify(
                user=recipient,
                kind=Kind.MESSAGE,
                context={"sender_name": actor.first_name, "title": request.title, "body": text},
                link=Link(Page.CONVERSATION, (request.pk, helper.pk)),
            )
    return message


def _recipients(actor: User, request: JobRequest, helper: User, customer_side: bool) -> list[User]:
    """Who is told of a new message: the helper, or the customer's side (the member and
    their live delegates) apart from whoever wrote it."""
    if not customer_side:
        assert request.customer is not None  # message_text refuses requests without one
        return [request.customer, *delegates_of(request.customer_id)]
    if actor.pk == request.customer_id:
        return [helper]
    # A delegate wrote: the helper, and the member sees what was said in their name.
    assert request.customer is not None
    return [helper, request.customer]


def abuse_report(*, actor: User, message_id: int, reason: str) -> AbuseReport:
    """A participant reports someone else's message; operators see it in the back office."""
    message = get_message_for(actor, message_id)
    if message.sender_id == actor.pk:
        raise Forbidden("You cannot report your own message.", code="own_message")
    reason = reason.strip()
    if not reason:
        raise field_error(
            "reason", "Say briefly what is wrong with this message.", code="report_reason_missing"
        )
    try:
        with transaction.atomic():
            return AbuseReport.objects.create(message=message, reporter=actor, reason=reason[:500])
    except IntegrityError:
        raise Conflict("You have reported this message already.", code="already_reported") from None


def abuse_report_resolve(*, actor: User, report_id: int, uphold: bool) -> int:
    """An operator decides: upheld removes the message from the conversation; every open
    report on that message is closed with the same decision. Returns the reports closed."""
    if not actor.is_staff:
        raise Forbidden("Only operators moderate messages.", code="not_an_operator")
    report = AbuseReport.objects.filter(pk=report_id).first()
    if report is None:
        raise NotFound("No such report.")
    now = timezone.now()
    with transaction.atomic():
        action = "abuse_report.uphold" if uphold else "abuse_report.dismiss"
        record_operator_action(actor, action, report, report.reason)
        if uphold:
            Message.objects.filter(pk=report.message_id, hidden_at__isnull=True).update(
                hidden_at=now
            )
        return AbuseReport.objects.filter(
            message_id=report.message_id, status=ReportStatus.OPEN
        ).update(
            status=ReportStatus.UPHELD if uphold else ReportStatus.DISMISSED,
            resolved_at=now,
            resolved_by=actor,
        )
