"""Partner API keys: shown once, stored hashed, rotated and revoked by the partner's admins."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from quartier.accounts.services import api_token_create
from quartier.errors import Forbidden, NotFound
from quartier.partners.integration.keys import (
    api_key_authenticate,
    api_key_create,
    api_key_revoke,
    api_key_rotate,
    key_digest,
)
from quartier.partners.models import PartnerApiKey
from quartier.partners.states import PartnerRole
from tests.factories import make_customer
from tests.partners.factories import make_member, make_partner
from tests.partners.partner_client import PartnerApi, PartnerSetup, swisstel

__all__ = ["swisstel"]


def test_a_new_key_is_shown_once_and_stored_only_hashed(db: None) -> None:
    partner = make_partner()
    admin = make_member(partner)

    key, raw = api_key_create(actor=admin, partner=partner, name="CRM")

    assert raw.startswith("qpk_")
    assert len(raw) > 40
    assert key.digest == key_digest(raw)
    assert raw not in key.digest
    assert key.prefix == raw[:12]
    assert key.created_by == admin
    assert PartnerApiKey.objects.filter(digest=key_digest(raw)).count() == 1
    assert api_key_authenticate(raw) == key


def test_analysts_and_outsiders_cannot_create_keys(db: None) -> None:
    partner = make_partner()
    analyst = make_member(partner, role=PartnerRole.ANALYST)
    outsider = make_customer()

    with pytest.raises(Forbidden):
        api_key_create(actor=analyst, partner=partner, name="CRM")
    with pytest.raises(NotFound):
        api_key_create(actor=outsider, partner=partner, name="CRM")
    assert not PartnerApiKey.objects.exists()


def test_a_revoked_key_is_401(swisstel: PartnerSetup) -> None:
    admin = swisstel.key.created_by
    assert admin is not None

    api_key_revoke(actor=admin, key_id=swisstel.key.pk)
    revoked_at = PartnerApiKey.objects.get(pk=swisstel.key.pk).revoked_at
    api_key_revoke(actor=admin, key_id=swisstel.key.pk)  # twice: harmless, time kept

    assert PartnerApiKey.objects.get(pk=swisstel.key.pk).revoked_at == revoked_at
    response = swisstel.api.get("/programs")
    assert response.status_code == 401
    assert response.data["code"] == "invalid_api_key"


def test_rotation_replaces_the_key_under_the_same_name(swisstel: PartnerSetup) -> None:
    admin = swisstel.key.created_by
    assert admin is not None

    new_key, new_raw = api_key_rotate(actor=admin, key_id=swisstel.key.pk)

    assert new_key.name == "CRM"
    assert new_key.pk != swisstel.key.pk
    assert swisstel.api.get("/programs").status_code == 401
    assert PartnerApi(new_raw).get("/programs").status_code == 200
    with pytest.raises(NotFound):  # a revoked key cannot be rotated again
        api_key_rotate(actor=admin, key_id=swisstel.key.pk)


def test_another_partners_admin_cannot_revoke_or_rotate(swisstel: PartnerSetup) -> None:
    other_admin = make_member(make_partner("homefix", "HomeFix"))

    with pytest.raises(NotFound):
        api_key_revoke(actor=other_admin, key_id=swisstel.key.pk)
    with pytest.raises(NotFound):
        api_key_rotate(actor=other_admin, key_id=swisstel.key.pk)
    assert swisstel.api.get("/programs").status_code == 200


def test_an_inactive_partners_keys_stop_working(swisstel: PartnerSetup) -> None:
    swisstel.partner.is_active = False
    swisstel.partner.save()

    assert swisstel.api.get("/programs").status_code == 401


def test_a_user_token_is_no_partner_key(swisstel: PartnerSetup) -> None:
    admin = swisstel.key.created_by
    assert admin is not None

    assert PartnerApi(api_token_create(user=admin)).get("/programs").status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute(swisstel: PartnerSetup) -> None:
    swisstel.api.get("/programs")
    swisstel.key.refresh_from_db()
    first = swisstel.key.last_used_at
    assert first is not None

    swisstel.api.get("/programs")
    swisstel.key.refresh_from_db()
    assert swisstel.key.last_used_at == first

    PartnerApiKey.objects.filter(pk=swisstel.key.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=5)
    )
    swisstel.api.get("/programs")
    swisstel.key.refresh_from_db()
    assert swisstel.key.last_used_at is not None
    assert swisstel.key.last_used_at > first


def test_partner_key_command_prints_a_working_key(db: None) -> None:
    make_partner()
    out = StringIO()

    call_command("partner_key", "swisstel", "--name", "demo", stdout=out, stderr=StringIO())

    raw = out.getvalue().strip()
    key = api_key_authenticate(raw)
    assert key is not None
    assert key.name == "demo"
    assert key.partner.slug == "swisstel"


def test_partner_key_command_names_the_partners_when_the_slug_is_wrong(db: None) -> None:
    make_partner()

    with pytest.raises(CommandError, match="swisstel"):
        call_command("partner_key", "nope", stdout=StringIO(), stderr=StringIO())
    assert not PartnerApiKey.objects.exists()
