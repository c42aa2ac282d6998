"""Reads of messaging, scoped to the actor: only the two parties (and operators) read a thread."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from quartier.accounts.models import PendingContact, User
from quartier.errors import NotFound
from quartier.households.access import acts_for, customer_ids_for
from quartier.jobs.models import JobRequest
from quartier.jobs.selectors import get_request_for

from .models import Conversation, Message


@dataclass(frozen=True)
class Thread:
    request: JobRequest
    helper: User
    conversation: Conversation | None
    messages: list[Message]

    @property
    def customer(self) -> User | PendingContact:
        return self.request.contact


def thread_for(actor: User, *, request_id: int, helper_id: int, after_id: int = 0) -> Thread:
    """The conversation about `request_id` between its customer and `helper_id` (possibly not
    started yet); `after_id` returns only newer messages (for polling)."""
    request = get_request_for(actor, request_id)
    customer_side = acts_for(actor, request.customer_id)
    if not (customer_side or actor.pk == helper_id or actor.is_staff):
        raise NotFound("No such conversation.")
    helper = User.objects.filter(pk=helper_id, is_helper=True).first()
    if helper is None:
        raise NotFound("No such conversation.")
    if customer_side:
        get_request_for(helper, request_id)  # only helpers who could see the request
    conversation = Conversation.objects.filter(request=request, helper=helper).first()
    messages: list[Message] = []
    if conversation is not None:
        messages = list(
            conversation.messages.filter(pk__gt=after_id).select_related("sender").order_by("id")
        )
    return Thread(request=request, helper=helper, conversation=conversation, messages=messages)


def conversations_for(actor: User) -> QuerySet[Conversation]:
    """Every conversation the actor is a party of (also as a member's delegate), most
    recent first."""
    return (
        Conversation.objects.filter(
            Q(helper=actor) | Q(request__customer_id__in=customer_ids_for(actor))
        )
        .filter(last_message_at__isnull=False)
        .select_related("request", "helper", "request__customer")
        .order_by("-last_message_at", "-id")
    )


def get_message_for(actor: User, message_id: int) -> Message:
    message = Message.objects.select_related("conversation__request").filter(pk=message_id).first()
    if message is None or not actor.is_authenticated:
        raise NotFound("No such message.")
    conversation = message.conversation
    if (
        actor.is_staff
        or actor.pk == conversation.helper_id
        or acts_for(actor, conversation.request.customer_id)
    ):
        return message
    raise NotFound("No such message.")


def message_facts(*, request_id: int, helper_id: int, customer_id: int | None) -> dict[str, object]:
    """How many messages each side of a booking sent, and when last (for a no-show report:
    facts, never the texts)."""
    sent = Message.objects.filter(
        conversation__request_id=request_id, conversation__helper_id=helper_id
    )
    facts: dict[str, object] = {}
    for side, sender_id in (("helper", helper_id), ("customer", customer_id)):
        mine = sent.filter(sender_id=sender_id) if sender_id else sent.none()
        last = mine.order_by("-created_at").values_list("created_at", flat=True).first()
        facts[f"{side}_sent"] = mine.count()
        facts[f"{side}_last_at"] = last.isoformat() if last else None
    return facts
