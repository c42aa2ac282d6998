"""Quartier's legal texts, their versions, and who accepted which.

The texts themselves are pages of the web layer (`/legal/<slug>`). A text's version is the
date it took effect; changing a text means a new version here, and members who accepted an
older one are asked to accept the new one when they next use Quartier. The customer terms
and the privacy notice are accepted at sign-up; the contractor terms when a helper or pro
first confirms them on their profile.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db.models import Exists, OuterRef
from django.utils import timezone

from .legal_models import LegalAcceptance
from .models import User


class Document(StrEnum):
    TERMS = "terms"  # for customers
    CONTRACTOR_TERMS = "contractor_terms"  # for helpers and pros
    PRIVACY = "privacy"  # the privacy notice (acknowledged, revDSG / GDPR)
    IMPRINT = "imprint"  # Impressum: nothing to accept


#: The version in force of each text: the date it took effect.
CURRENT: dict[Document, str] = {
    Document.TERMS: "2026-12-05",
    Document.CONTRACTOR_TERMS: "2026-12-05",
    Document.PRIVACY: "2026-12-05",
    Document.IMPRINT: "2026-12-05",
}


#: Accepted by signing up (the contractor terms come with the helper profile).
SIGN_UP = [Document.TERMS, Document.PRIVACY]


def documents_for(user: User) -> list[Document]:
    """The texts a member accepts, by role."""
    documents = [Document.TERMS, Document.PRIVACY]
    if user.is_helper or user.is_pro:
        documents.append(Document.CONTRACTOR_TERMS)
    return documents


def legal_accept(
    *, user: User, documents: list[Document], now: datetime | None = None
) -> list[LegalAcceptance]:
    """Record that the member accepted the current version of each text (again: no-op)."""
    now = now or timezone.now()
    return [
        LegalAcceptance.objects.get_or_create(
            user=user, document=document, version=CURRENT[document], defaults={"accepted_at": now}
        )[0]
        for document in documents
    ]


def accepted_current(document: Document) -> Exists:
    """For an annotation on users: has the member accepted the text's current version?"""
    return Exists(
        LegalAcceptance.objects.filter(
            user=OuterRef("pk"), document=document, version=CURRENT[document]
        )
    )


def legal_pending(user: User, accepted: set[Document] | None = None) -> list[Document]:
    """The texts of the member's roles whose current version they have not accepted. A
    helper who has not confirmed the contractor terms yet is asked on their profile instead.
    `accepted`: the texts whose current version the member accepted, when the caller read
    them already (see `accepted_current`)."""
    if accepted is None:
        rows = set(LegalAcceptance.objects.filter(user=user).values_list("document", "version"))
        accepted = {d for d in Document if (d.value, CURRENT[d]) in rows}
    pending = [d for d in documents_for(user) if d not in accepted]
    if Document.CONTRACTOR_TERMS in pending:
        profile = getattr(user, "helper_profile", None)
        if profile is None or profile.contractor_terms_accepted_at is None:
            pending.remove(Document.CONTRACTOR_TERMS)
    return pending
