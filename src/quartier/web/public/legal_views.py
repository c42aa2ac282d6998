"""Quartier's legal texts (Impressum, privacy notice, terms, contractor terms) in the
visitor's language, and accepting a new version of them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from quartier.accounts.legal import CURRENT, Document, legal_accept, legal_pending
from quartier.invoicing.issuer import quartier_issuer

from ..access import actor_of, back_to, member_view

#: The address of each text: /legal/<slug>.
SLUGS: dict[str, Document] = {
    "impressum": Document.IMPRINT,
    "privacy": Document.PRIVACY,
    "terms": Document.TERMS,
    "contractor-terms": Document.CONTRACTOR_TERMS,
}


def legal_page(request: HttpRequest, slug: str) -> HttpResponse:
    document = SLUGS.get(slug)
    if document is None:
        raise Http404
    language = get_language() or "de"
    template = f"web/legal/{document.value}.{'de' if language.startswith('de') else 'en'}.html"
    text = str(render_to_string(template, {"operator": quartier_issuer()}))
    if language == "de-ch":
        text = text.replace("ß", "ss")  # Swiss Standard German writes no ß
    context = {"document": document.value, "text": mark_safe(text), "version": CURRENT[document]}
    return render(request, "web/legal/page.html", context)


@require_POST
@member_view
def legal_accept_pending(request: HttpRequest) -> HttpResponse:
    """The banner's "I accept": the member accepts the current versions they have not."""
    actor = actor_of(request)
    legal_accept(user=actor, documents=legal_pending(actor))
    messages.success(request, gettext("Thank you. You accepted the current terms."))
    return back_to(request, "web:dashboard")
