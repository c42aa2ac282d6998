"""E-mail in tests that keep the database task queue: every e-mail is a task
(notifications' `notification_email`), sent when the worker runs it."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from quartier.notifications.tasks import notification_email


def send_queued_emails() -> int:
    """Run the e-mail tasks waiting in the database queue, once each (what
    `quartier worker` would do); returns how many ran."""
    queued = DBTaskResult.objects.filter(task_path=notification_email.module_path).order_by("pk")
    ran = 0
    for row in queued:
        notification_email.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.delete()
        ran += 1
    return ran
