"""Messages a person sent: exported; on erasure their text is removed (the conversation
keeps its shape, so the other side sees that something was said and then deleted)."""

from __future__ import annotations

from typing import Any

from .models import AbuseReport, Message

ERASED_TEXT = "—"


def export(user_id: int) -> dict[str, Any]:
    sent = Message.objects.filter(sender_id=user_id).select_related("conversation")
    return {
        "messages_sent": [
            {
                "request_id": m.conversation.request_id,
                "helper_id": m.conversation.helper_id,
                "body": m.body,
                "sent_at": m.created_at.isoformat(),
            }
            for m in sent.order_by("id")
        ],
        "reports_made": [
            {"message_id": r.message_id, "reason": r.reason, "status": r.status}
            for r in AbuseReport.objects.filter(reporter_id=user_id).order_by("id")
        ],
    }


def erase(user_id: int) -> None:
    Message.objects.filter(sender_id=user_id).update(body=ERASED_TEXT)
    AbuseReport.objects.filter(reporter_id=user_id).update(reason="")
