"""Send a notification's e-mail (rendered when the notification was created)."""

from __future__ import annotations

import base64

from django.core.mail import EmailMessage, send_mail
from django.utils import timezone
from django_tasks import task


@task()
def notification_email(
    notification_id: int | None,
    subject: str,
    body: str,
    to: str,
    attachments: list[list[str]] | None = None,
) -> bool:
    """At most once per notification: the row is flagged before the mail goes out.
    Without a notification (`notify_address`: no inbox row) the mail simply goes out."""
    from .models import Notification

    if notification_id is not None:
        flagged = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not flagged:
            return False
    if not attachments:
        send_mail(subject, body, None, [to])
        return True
    message = EmailMessage(subject, body, None, [to])
    for name, content, mimetype in attachments:  # content in base64 (task arguments are JSON)
        message.attach(name, base64.b64decode(content), mimetype)
    message.send()
    return True
