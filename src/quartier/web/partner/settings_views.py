"""The partner's settings: API keys, webhook endpoints (+ delivery log) and the helpers who
applied to its programs. Admins act; analysts see the page read-only and get 403 on actions.

A new or rotated API key is shown once: it travels to the next page in the session and is
removed from it as that page renders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.errors import NotFound, QuartierError
from quartier.partners import facade as partners
from quartier.partners.facade import (
    Eligibility,
    qualification_approve,
    qualification_eligibility,
    qualification_revoke,
    require_admin,
)
from quartier.partners.models import Partner, PartnerApiKey, Qualification
from quartier.partners.states import QualificationState

from ..access import actor_of, member_view
from ..service_errors import add_to_form, friendly
from .forms import ApiKeyForm, EndpointForm
from .membership import page_context, visited_partner

NEW_KEY_SESSION = "partner_new_api_key"


def _qualifications(partner: Partner) -> list[tuple[Qualification, Eligibility]]:
    """Applied, qualified and suspended helpers with their eligibility (figures per skill)."""
    rows = (
        Qualification.objects.filter(program__partner=partner)
        .exclude(state=QualificationState.REVOKED)
        .select_related("program", "helper")
        .order_by("state", "-updated_at")[:200]
    )
    return [(q, qualification_eligibility(q.helper, q.program)) for q in rows]


def _page(
    request: HttpRequest,
    partner: Partner,
    is_admin: bool,
    *,
    key_form: ApiKeyForm | None = None,
    endpoint_form: EndpointForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    endpoints = partners.endpoint_list(actor=actor, partner=partner)
    logs = {
        e.pk: partners.delivery_log(actor=actor, partner=partner, endpoint_id=e.pk, limit=20)
        for e in endpoints
    }
    new_key = request.session.pop(NEW_KEY_SESSION, None) if is_admin else None
    context = page_context(
        partner,
        is_admin,
        api_keys=PartnerApiKey.objects.filter(partner=partner).order_by(
            "revoked_at", "-created_at"
        ),
        new_key=new_key,
        key_form=key_form or ApiKeyForm(),
        endpoints=[(e, logs[e.pk]) for e in endpoints],
        endpoint_form=endpoint_form or EndpointForm(initial={"events": ["case.created"]}),
        qualifications=_qualifications(partner),
    )
    return render(request, "web/partner/settings.html", context, status=status)


@member_view
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    partner, is_admin = visited_partner(request, slug)
    return _page(request, partner, is_admin)


def _admin(request: HttpRequest, slug: str) -> Partner:
    """The partner for an action: 404 outside it, 403 for analysts."""
    partner, _ = visited_partner(request, slug)
    require_admin(actor_of(request), partner)
    return partner


def _done(request: HttpRequest, slug: str, text: str, anchor: str) -> HttpResponse:
    messages.success(request, text)
    response = redirect("web:partner_settings", slug)
    response["Location"] += f"#{anchor}"
    return response


def _failed(request: HttpRequest, slug: str, error: QuartierError) -> HttpResponse:
    if error.status in (403, 404):
        raise error
    messages.error(request, friendly(error))
    return redirect("web:partner_settings", slug)


# --- API keys ---------------------------------------------------------------------------------


def _remember(request: HttpRequest, key: PartnerApiKey, raw: str) -> None:
    request.session[NEW_KEY_SESSION] = {"name": key.name, "raw": raw}


@require_POST
@member_view
def key_create(request: HttpRequest, slug: str) -> HttpResponse:
    partner = _admin(request, slug)
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            key, raw = partners.api_key_create(
                actor=actor_of(request), partner=partner, name=form.cleaned_data["name"]
            )
        except QuartierError as error:
            if error.status in (403, 404):
                raise
            add_to_form(form, error)
        else:
            _remember(request, key, raw)
            return _done(request, slug, gettext("The key is created."), "keys")
    return _page(request, partner, True, key_form=form, status=422)


@require_POST
@member_view
def key_rotate(request: HttpRequest, slug: str, key_id: int) -> HttpResponse:
    _admin(request, slug)
    try:
        key, raw = partners.api_key_rotate(actor=actor_of(request), key_id=key_id)
    except QuartierError as error:
        return _failed(request, slug, error)
    _remember(request, key, raw)
    return _done(
        request, slug, gettext("The key is replaced; the old one no longer works."), "keys"
    )


@require_POST
@member_view
def key_revoke(request: HttpRequest, slug: str, key_id: int) -> HttpResponse:
    partner = _admin(request, slug)
    if not PartnerApiKey.objects.filter(partner=partner, pk=key_id).exists():
        raise _not_found()
    try:
        partners.api_key_revoke(actor=actor_of(request), key_id=key_id)
    except QuartierError as error:
        return _failed(request, slug, error)
    return _done(request, slug, gettext("The key is revoked."), "keys")


def _not_found() -> NotFound:
    return NotFound("Not found.")


# --- webhook endpoints ------------------------------------------------------------------------


@require_POST
@member_view
def endpoint_create(request: HttpRequest, slug: str) -> HttpResponse:
    partner = _admin(request, slug)
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            partners.endpoint_create(
                actor=actor_of(request),
                partner=partner,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except QuartierError as error:
            if error.status in (403, 404):
                raise
            add_to_form(form, error)
        else:
            return _done(request, slug, gettext("The endpoint is added."), "webhooks")
    return _page(request, partner, True, endpoint_form=form, status=422)


ENDPOINT_ACTIONS: dict[str, tuple[Callable[..., object], Any]] = {
    "enable": (partners.endpoint_enable, _("The endpoint is enabled.")),
    "disable": (partners.endpoint_disable, _("The endpoint is disabled.")),
    "rotate": (partners.endpoint_rotate_secret, _("The endpoint has a new signing secret.")),
    "delete": (partners.endpoint_delete, _("The endpoint is deleted.")),
}


@require_POST
@member_view
def endpoint_action(request: HttpRequest, slug: str, endpoint_id: int, action: str) -> HttpResponse:
    partner = _admin(request, slug)
    if action not in ENDPOINT_ACTIONS:
        raise _not_found()
    service, done = ENDPOINT_ACTIONS[action]
    try:
        service(actor=actor_of(request), partner=partner, endpoint_id=endpoint_id)
    except QuartierError as error:
        return _failed(request, slug, error)
    return _done(request, slug, str(done), "webhooks")


@require_POST
@member_view
def delivery_redeliver(request: HttpRequest, slug: str, delivery_id: int) -> HttpResponse:
    partner = _admin(request, slug)
    try:
        partners.delivery_redeliver(
            actor=actor_of(request), partner=partner, delivery_id=delivery_id
        )
    except QuartierError as error:
        return _failed(request, slug, error)
    message = gettext("Queued: it is sent again within seconds; the log shows the result.")
    return _done(request, slug, message, "webhooks")


# --- qualification queue ----------------------------------------------------------------------


@require_POST
@member_view
def qualification_decide(
    request: HttpRequest, slug: str, qualification_id: int, decision: str
) -> HttpResponse:
    partner = _admin(request, slug)
    if not Qualification.objects.filter(pk=qualification_id, program__partner=partner).exists():
        raise _not_found()
    if decision not in ("approve", "revoke"):
        raise _not_found()
    try:
        if decision == "approve":
            qualification_approve(actor=actor_of(request), qualification_id=qualification_id)
        else:
            qualification_revoke(actor=actor_of(request), qualification_id=qualification_id)
    except QuartierError as error:
        return _failed(request, slug, error)
    text = (
        gettext("The helper is approved.")
        if decision == "approve"
        else gettext("The helper's qualification is revoked.")
    )
    return _done(request, slug, text, "qualifications")
