"""Partners: companies that route their customers' small jobs to qualified helpers.

A partner runs programs (a catalogue of fixed-price services, regions, an SLA and an
escalation target), qualifies helpers for them, creates cases by API (each case is a
`jobs.JobRequest` plus the partner's own data) and receives signed webhooks through an outbox.
"""

from __future__ import annotations

from .api_keys import IdempotencyKey, PartnerApiKey
from .cases import Case, CaseNote, EscalationPhoto
from .programs import (
    Lesson,
    Partner,
    PartnerMember,
    Program,
    ProgramRegion,
    ProgramService,
    Qualification,
    QualificationEvent,
    QuizAttempt,
    QuizQuestion,
)
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookMessage

__all__ = [
    "Case",
    "CaseNote",
    "EscalationPhoto",
    "IdempotencyKey",
    "Lesson",
    "Partner",
    "PartnerApiKey",
    "PartnerMember",
    "Program",
    "ProgramRegion",
    "ProgramService",
    "Qualification",
    "QualificationEvent",
    "QuizAttempt",
    "QuizQuestion",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookMessage",
]
