"""The provider's webhook endpoint (no session, no CSRF: the signature is the check)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .config import provider_enabled
from .webhooks import BadSignature, webhook_receive


@csrf_exempt
@require_POST
def provider_webhook(request: HttpRequest) -> HttpResponse:
    if not provider_enabled():
        return HttpResponse(status=404)
    try:
        handled = webhook_receive(request.body, request.headers.get("Stripe-Signature", ""))
    except BadSignature:
        return HttpResponse("bad signature", status=400, content_type="text/plain")
    return HttpResponse("ok" if handled else "replayed", content_type="text/plain")
