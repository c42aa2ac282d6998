"""The moderation queue: open abuse reports first, decided through the messaging services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.accounts.services import helper_suspend
from quartier.back_office import ReadOnlyInline
from quartier.errors import QuartierError

from .models import AbuseReport, Conversation, Message, ReportStatus
from .services import abuse_report_resolve


def _operator(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@admin.register(AbuseReport)
class AbuseReportAdmin(admin.ModelAdmin[AbuseReport]):
    list_display = ["id", "status", "reason", "message_text", "sender", "reporter", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["reason", "message__body", "reporter__email", "message__sender__email"]
    fields = readonly_fields = (
        "message",
        "message_text",
        "sender",
        "reporter",
        "reason",
        "status",
        "created_at",
        "resolved_at",
        "resolved_by",
    )
    actions = ["uphold", "dismiss", "suspend_sender"]
    list_select_related = ["message__sender", "reporter"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AbuseReport]:
        return super().get_queryset(request).order_by("-status", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="message")
    def message_text(self, report: AbuseReport) -> str:
        return report.message.body[:200]

    @admin.display(description="sender")
    def sender(self, report: AbuseReport) -> User:
        return report.message.sender

    def _resolve(self, request: HttpRequest, queryset: QuerySet[AbuseReport], uphold: bool) -> None:
        closed = 0
        for report in queryset.filter(status=ReportStatus.OPEN):
            closed += abuse_report_resolve(
                actor=_operator(request), report_id=report.pk, uphold=uphold
            )
        self.message_user(request, f"{closed} report(s) closed.", messages.SUCCESS)

    @admin.action(description="Uphold: remove the reported messages")
    def uphold(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        self._resolve(request, queryset, uphold=True)

    @admin.action(description="Dismiss the reports")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        self._resolve(request, queryset, uphold=False)

    @admin.action(description="Suspend the senders who are helpers (out of matching)")
    def suspend_sender(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        senders = {r.message.sender for r in queryset if r.message.sender.is_helper}
        for sender in senders:
            try:
                helper_suspend(
                    actor=_operator(request), helper_id=sender.pk, reason="abusive messages"
                )
            except QuartierError as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        self.message_user(request, f"{len(senders)} helper(s) suspended.", messages.SUCCESS)


class MessageInline(ReadOnlyInline):
    model = Message
    fields = readonly_fields = ("sender", "body", "masked", "hidden_at", "created_at")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin[Conversation]):
    list_display = ["id", "request", "helper", "last_message_at"]
    search_fields = ["request__title", "helper__email", "request__customer__email"]
    readonly_fields = ["request", "helper", "created_at", "last_message_at"]
    inlines = [MessageInline]
