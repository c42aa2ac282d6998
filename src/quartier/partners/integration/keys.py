"""Partner API keys: created and rotated by a partner's admins, shown once, stored hashed.

A key is `qpk_` + 43 URL-safe characters (256 bits). Only its SHA-256 is stored, so a
leaked database does not leak working keys; the first characters (`prefix`) let people
tell their keys apart on the settings page.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import NotFound, field_error

from ..access import require_admin
from ..models import Partner, PartnerApiKey

KEY_PREFIX = "qpk_"
#: `last_used_at` is written at most this often per key: one UPDATE a minute, not per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_raw_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _key_create(*, actor: User | None, partner: Partner, name: str) -> tuple[PartnerApiKey, str]:
    raw = _new_raw_key()
    key = PartnerApiKey.objects.create(
        partner=partner, name=name, prefix=raw[:12], digest=key_digest(raw), created_by=actor
    )
    return key, raw


def api_key_create(*, actor: User, partner: Partner, name: str) -> tuple[PartnerApiKey, str]:
    """A new key for the partner; the raw key is returned once and never stored."""
    require_admin(actor, partner)
    name = name.strip()
    if not name:
        raise field_error("name", "Give the key a name, e.g. the system that uses it.")
    if len(name) > 80:
        raise field_error("name", "A key name has at most 80 characters.")
    with transaction.atomic():
        return _key_create(actor=actor, partner=partner, name=name)


def api_key_create_unchecked(*, partner: Partner, name: str) -> tuple[PartnerApiKey, str]:
    """For the `quartier partner_key` command (run by operators on the server)."""
    with transaction.atomic():
        return _key_create(actor=None, partner=partner, name=name.strip()[:80] or "CLI")


def _get_key(actor: User, key_id: int) -> PartnerApiKey:
    key = PartnerApiKey.objects.select_related("partner").filter(pk=key_id).first()
    if key is None:
        raise NotFound("No such API key.")
    require_admin(actor, key.partner)  # NotFound for outsiders, Forbidden for analysts
    return key


def api_key_rotate(*, actor: User, key_id: int) -> tuple[PartnerApiKey, str]:
    """Replace a key: a new key with the same name, the old one revoked at once."""
    key = _get_key(actor, key_id)
    with transaction.atomic():
        revoked = PartnerApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked != 1:  # a concurrent rotation or revocation won
            raise NotFound("This API key is revoked already.", code="key_revoked")
        return _key_create(actor=actor, partner=key.partner, name=key.name)


def api_key_revoke(*, actor: User, key_id: int) -> PartnerApiKey:
    """Revoke a key: calls with it fail with 401 from now on (revoking twice is harmless)."""
    key = _get_key(actor, key_id)
    PartnerApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    key.refresh_from_db()
    return key


def api_key_authenticate(raw: str) -> PartnerApiKey | None:
    """The live key for a raw secret, or None (unknown, revoked, or the partner inactive)."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key = (
        PartnerApiKey.objects.select_related("partner")
        .filter(digest=key_digest(raw), revoked_at__isnull=True, partner__is_active=True)
        .first()
    )
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        PartnerApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
