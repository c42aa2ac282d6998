"""Setting a password by e-mail link: "forgot my password", and claiming an account that a
partner's case opened for its customer (created without a password).

Django's own reset flow skips accounts without a usable password; here they may set one,
since whoever reads the e-mail controls the address the account was opened for.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .models import User


class ResetOrClaimForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email__iexact=email, is_active=True)


def password_link_path(user: User) -> str:
    """The one-time path where `user` sets a password (valid PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "web:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
    )


def claim_invite_send(*, user: User, partner_name: str, service_name: str) -> None:
    """After commit: invite a partner's customer to follow the case and rate the helper."""
    if user.has_usable_password():
        return  # they log in as usual
    transaction.on_commit(lambda: claim_invite_email.enqueue(user.pk, partner_name, service_name))


@task()
def claim_invite_email(user_id: int, partner_name: str, service_name: str) -> bool:
    from django.conf import settings
    from django.core.mail import send_mail

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    context = {
        "name": user.first_name or user.full_name,
        "partner": partner_name,
        "service": service_name,
        "url": settings.QUARTIER_SITE_URL.rstrip("/") + password_link_path(user),
    }
    with translation.override(user.preferred_language or "de"):
        subject = render_to_string("accounts/claim_subject.txt", context).strip()
        body = render_to_string("accounts/claim.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
