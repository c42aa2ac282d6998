"""Tell someone something: a row in their in-app inbox now, an e-mail after commit.

`notify` renders the text in the recipient's language when it is created, so the inbox and
the e-mail say the same; it runs inside the caller's transaction, so a rolled-back change
notifies nobody. The e-mail is sent by a background task unless the recipient opted out of
that kind. `notify_address` does the same for an address that is not a user's inbox (a
partner's escalation or contact address): rendered now, mailed after commit by the same
task, no inbox row.

Every e-mail Quartier sends goes through here; links are given as a `Link` (links.py), so
callers never know the web layer's route names.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from quartier.accounts.models import User

from .kinds import ALWAYS_EMAILED, AddressKind, Kind
from .links import Link, Page
from .models import EmailOptOut, Notification


def _render(kind: str, language: str, values: dict[str, Any]) -> tuple[str, str]:
    """The subject and body of `kind` in `language` (templates/notifications/email/)."""
    with translation.override(language):
        subject = render_to_string(
            f"notifications/email/{kind}_subject.txt", values, using="text"
        ).strip()
        body = render_to_string(f"notifications/email/{kind}.txt", values, using="text")
    return subject, body


def notify(
    *,
    user: User,
    kind: Kind,
    context: dict[str, Any],
    link: Link | None = None,
    attachment: tuple[str, bytes, str] | None = None,
    always_email: bool = False,
) -> Notification:
    """Put a notification of `kind` in the user's inbox and e-mail it unless opted out;
    `attachment` (file name, content, MIME type) goes with the e-mail (e.g. an invoice);
    `always_email`: a confirmation the law wants on a durable medium, sent regardless."""
    path = link.path() if link is not None else ""
    url = settings.QUARTIER_SITE_URL.rstrip("/") + path if path else ""
    values = {"recipient": user, "url": url, **context}
    title, body = _render(kind, user.preferred_language or "de", values)
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user, kind=kind, title=title[:200], url=path[:300]
        )
        opted_out = EmailOptOut.objects.filter(user=user, kind=kind).exists()
        if always_email or kind in ALWAYS_EMAILED or not opted_out:
            from .tasks import notification_email

            notification_id = notification.pk
            files = (
                [[attachment[0], base64.b64encode(attachment[1]).decode(), attachment[2]]]
                if attachment
                else None
            )
            transaction.on_commit(
                lambda: notification_email.enqueue(
                    notification_id, title, body, user.email, attachments=files
                )
            )
    return notification


def notify_address(
    *,
    email: str,
    language: str,
    kind: AddressKind,
    context: dict[str, Any],
    link: Link | None = None,
) -> None:
    """E-mail `email` (no user's inbox) after the current transaction commits, rendered
    now in `language`."""
    url = link.url() if link is not None else ""
    subject, body = _render(kind, language, {"url": url, **context})
    from .tasks import notification_email

    transaction.on_commit(lambda: notification_email.enqueue(None, subject, body, email))


def signup_existing_notify(*, email: str) -> None:
    """Someone signed up with `email`, which has an account already: tell its owner, with a
    link to log in. The sign-up's answer looks like any other, so nobody learns from it
    which addresses have an account."""
    owner = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if owner is None:
        return
    notify_address(
        email=owner.email,
        language=owner.preferred_language or "de",
        kind=AddressKind.SIGNUP_EXISTING,
        context={},
        link=Link(Page.LOG_IN),
    )


def notifications_mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when `ids` is None)."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def email_preferences_set(*, actor: User, by_email: Iterable[str]) -> set[str]:
    """Keep e-mail only for the kinds in `by_email`; returns the kinds now opted out."""
    wanted = {Kind(kind) for kind in by_email}
    opted_out = set(Kind) - wanted - ALWAYS_EMAILED
    with transaction.atomic():
        EmailOptOut.objects.filter(user=actor).exclude(kind__in=opted_out).delete()
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=actor, kind=kind) for kind in opted_out], ignore_conflicts=True
        )
    return {str(kind) for kind in opted_out}
