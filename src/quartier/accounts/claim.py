"""Setting a password by e-mail link: "forgot my password", and claiming an account that a
partner's case opened for its customer (created without a password).

Django's own reset flow skips accounts without a usable password; here they may set one,
since whoever reads the e-mail controls the address the account was opened for. The claim
invitation itself is sent by the partners context through notifications.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


class ResetOrClaimForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email__iexact=email, is_active=True)


def password_link_args(user: User) -> tuple[str, str]:
    """What the one-time page where `user` sets a password needs (uidb64, token), valid for
    PASSWORD_RESET_TIMEOUT; the web layer and notifications build the link from it."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return uid, default_token_generator.make_token(user)
