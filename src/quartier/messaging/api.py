"""Messaging API: a conversation per request and helper, and abuse reports."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.models import User

from .models import Message, TeamMessage
from .schemas import MessageIn, MessageOut, ReportIn, ReportOut
from .selectors import thread_for
from .services import abuse_report, message_send
from .team import team_message_send, team_thread_for

router = Router(tags=["messages"], auth=api_auth)


def message_out(actor: User, message: Message) -> MessageOut:
    removed = message.hidden_at is not None
    return MessageOut(
        id=message.pk,
        sender_id=message.sender_id,
        mine=message.sender_id == actor.pk,
        body="" if removed else message.body,
        masked=message.masked,
        removed=removed,
        created_at=message.created_at,
    )


@router.get("/requests/{request_id}/conversations/{helper_id}", response=list[MessageOut])
def thread(
    request: HttpRequest, request_id: int, helper_id: int, after: int = 0
) -> list[MessageOut]:
    """The messages between the request's customer and one helper; `after` = last id seen."""
    actor = current_user(request)
    found = thread_for(actor, request_id=request_id, helper_id=helper_id, after_id=after)
    return [message_out(actor, m) for m in found.messages]


@router.post("/requests/{request_id}/conversations/{helper_id}", response={201: MessageOut})
def send(
    request: HttpRequest, request_id: int, helper_id: int, payload: MessageIn
) -> Status[MessageOut]:
    """Write to the other party. Before booking, e-mail addresses and phone numbers are masked."""
    actor = current_user(request)
    message = message_send(
        actor=actor, request_id=request_id, helper_id=helper_id, body=payload.body
    )
    return Status(201, message_out(actor, message))


@router.get("/requests/{request_id}/team-messages", response=list[MessageOut])
def team_thread(request: HttpRequest, request_id: int, after: int = 0) -> list[MessageOut]:
    """The shared conversation of a request for several helpers or visits: its customer
    and every booked helper; `after` = last id seen. 404 on a one-helper request."""
    actor = current_user(request)
    found = team_thread_for(actor, request_id=request_id, after_id=after)
    return [team_message_out(actor, m) for m in found]


@router.post("/requests/{request_id}/team-messages", response={201: MessageOut})
def team_send(request: HttpRequest, request_id: int, payload: MessageIn) -> Status[MessageOut]:
    """Write to everyone on a request for several helpers or visits (they are all told)."""
    actor = current_user(request)
    message = team_message_send(actor=actor, request_id=request_id, body=payload.body)
    return Status(201, team_message_out(actor, message))


def team_message_out(actor: User, message: TeamMessage) -> MessageOut:
    removed = message.hidden_at is not None
    return MessageOut(
        id=message.pk,
        sender_id=message.sender_id,
        mine=message.sender_id == actor.pk,
        body="" if removed else message.body,
        masked=False,
        removed=removed,
        created_at=message.created_at,
    )


@router.post("/messages/{message_id}/report", response={201: ReportOut})
def report(request: HttpRequest, message_id: int, payload: ReportIn) -> Status[ReportOut]:
    """Report a message to Quartier's moderators."""
    created = abuse_report(
        actor=current_user(request), message_id=message_id, reason=payload.reason
    )
    return Status(201, ReportOut(id=created.pk, message_id=message_id, status=created.status))
