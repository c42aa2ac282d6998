"""Links e-mailed about an account: verify the address, confirm a new one; and members'
profile photos.

A link opens a page with one button: the change is a POST, so a mail scanner that follows
links confirms nothing. Profile photos: a helper's is public (customers choose by it, on the
profile, in matches and the directory); anyone else's only its owner sees. Never a listing.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from quartier.accounts.models import HelperProfile, User
from quartier.accounts.self_service import PROFILE_PHOTO, email_verify
from quartier.errors import QuartierError
from quartier.notifications.account_mail import email_change_finish

from ..service_errors import friendly


def _link_page(request: HttpRequest, kind: str, error: str = "", status: int = 200) -> HttpResponse:
    return render(
        request, "web/account/email_link.html", {"kind": kind, "error": error}, status=status
    )


def _after(request: HttpRequest) -> HttpResponse:
    return redirect("web:account_settings" if request.user.is_authenticated else "web:login")


def email_verify_link(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        return _link_page(request, "verify")
    try:
        email_verify(token=token)
    except QuartierError as error:
        return _link_page(request, "verify", friendly(error), status=422)
    messages.success(request, gettext("Thank you! Your e-mail address is confirmed."))
    return _after(request)


def email_change_link(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        return _link_page(request, "change")
    try:
        changed = email_change_finish(token=token)
    except QuartierError as error:
        status = 409 if error.status == 409 else 422
        return _link_page(request, "change", friendly(error), status=status)
    messages.success(
        request,
        gettext("Done: your account now uses %(email)s.") % {"email": changed.user.email},
    )
    return _after(request)


@require_GET
def member_photo(request: HttpRequest, user_id: int) -> FileResponse:
    member = User.objects.filter(pk=user_id, is_active=True).first()
    if member is None or not member.photo:
        raise Http404
    own = request.user.is_authenticated and request.user.pk == member.pk
    public = member.is_helper and HelperProfile.objects.filter(user=member).exists()
    if not (own or public):
        raise Http404
    kind = PROFILE_PHOTO.types.get(PurePath(member.photo.name).suffix.lower())
    if kind is None:
        raise Http404
    response = FileResponse(member.photo.open("rb"), content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=600" if public else "private, max-age=300"
    return response
