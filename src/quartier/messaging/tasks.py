"""Tell the other party of a conversation that a message arrived (e-mail, in their language)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task


@task()
def message_notify(message_id: int) -> bool:
    """E-mail the recipient; a message removed by moderation meanwhile is not announced."""
    from .models import Message

    message = (
        Message.objects.select_related("conversation__request__customer", "conversation__helper")
        .filter(pk=message_id, hidden_at__isnull=True)
        .first()
    )
    if message is None:
        return False
    conversation = message.conversation
    request = conversation.request
    customer, helper = request.customer, conversation.helper
    recipient = helper if message.sender_id == customer.pk else customer
    sender = customer if recipient == helper else helper
    path = reverse("web:conversation", args=[request.pk, helper.pk])
    with translation.override(recipient.preferred_language or "de"):
        context = {
            "recipient": recipient,
            "sender_name": sender.first_name or sender.full_name,
            "title": request.title,
            "body": message.body,
            "url": settings.QUARTIER_SITE_URL.rstrip("/") + path,
        }
        subject = render_to_string("messaging/new_message_subject.txt", context).strip()
        text = render_to_string("messaging/new_message.txt", context)
    send_mail(subject, text, None, [recipient.email])
    return True
