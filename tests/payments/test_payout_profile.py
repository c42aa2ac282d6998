"""The helper's payout & tax profile: right values are kept in their canonical form, wrong
ones are refused field by field without saving anything, and the gaps say what is missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quartier.errors import Forbidden, InvalidInput
from quartier.payments import profiles
from quartier.payments.mandate import MANDATE_VERSION, mandate_text
from quartier.payments.models import PayoutProfile
from quartier.payments.profiles import (
    invoicing_ready,
    payout_profile_save,
    payout_ready,
    profile_gaps,
)
from tests.factories import make_customer
from tests.payments.money_fixtures import CH_PROFILE, DE_PROFILE, helper

pytestmark = pytest.mark.django_db


def refused(user, data) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        payout_profile_save(actor=user, data=data)
    return caught.value


def test_a_complete_swiss_profile_is_stored_canonically_and_ready():
    anna = helper()
    profile = payout_profile_save(
        actor=anna,
        data={
            **CH_PROFILE,
            "vat_status": "ch_registered",
            "uid": "che116281710 mwst",
            "vat_valid_from": "2025-01-01",
        },
    )
    assert profile.iban == "CH5604835012345678009"
    assert profile.uid == "CHE-116.281.710"
    assert profile.vat_valid_from == date(2025, 1, 1)
    assert profile.mandate_version == MANDATE_VERSION
    assert profile.mandate_signed_at is not None
    assert profile_gaps(anna.pk) == []
    assert invoicing_ready(anna.pk)
    assert payout_ready(anna.pk)


def test_a_german_small_business_gives_its_steuernummer_or_vat_id():
    max_ = helper()
    error = refused(max_, {**DE_PROFILE, "vat_status": "de_small"})
    assert error.field_codes["tax_number"] == "tax_number_required"
    profile = payout_profile_save(
        actor=max_, data={**DE_PROFILE, "vat_status": "de_small", "vat_id": "de 136 695 976"}
    )
    assert profile.vat_id == "DE136695976"
    profile = payout_profile_save(
        actor=max_, data={**DE_PROFILE, "vat_status": "de_regular", "tax_number": "18181508155"}
    )
    assert profile.tax_number == "181/815/08155"
    assert payout_ready(max_.pk)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"iban": "CH56 0483 5012 3456 7800 8"}, "iban", "bad_iban"),
        ({"iban": "DE89370400440532013000"}, "iban", "iban_not_chf"),
        ({"postcode": "30000"}, "postcode", "bad_postcode"),
        ({"country": "AT"}, "country", "unknown_country"),
        ({"vat_status": "de_regular"}, "vat_status", "vat_status_country"),
        ({"vat_status": "ch_registered"}, "uid", "uid_required"),
        ({"vat_status": "ch_registered", "uid": "CHE-116.281.711"}, "uid", "bad_ch_uid"),
        (
            {"vat_valid_from": "2026-02-01", "vat_valid_until": "2026-01-01"},
            "vat_valid_until",
            "vat_validity_reversed",
        ),
        ({"vat_valid_from": "1.2.2026"}, "vat_valid_from", "bad_date"),
        ({"street": "x" * 71}, "street", "too_long"),
    ],
)
def test_a_wrong_value_is_refused_by_field_and_nothing_is_saved(changes, field, code):
    anna = helper()
    error = refused(anna, {**CH_PROFILE, **changes})
    assert error.field_codes[field] == code
    assert error.errors[field]
    assert not PayoutProfile.objects.filter(user=anna).exists()


def test_a_wrong_value_leaves_the_saved_profile_as_it_was():
    anna = helper()
    payout_profile_save(actor=anna, data=CH_PROFILE)
    refused(anna, {**CH_PROFILE, "iban": "CH00 1234", "town": "Thun"})
    assert PayoutProfile.objects.get(user=anna).town == "Bern"


def test_gaps_name_what_is_missing_and_the_iban_only_blocks_payouts():
    anna = helper()
    assert profile_gaps(anna.pk) == ["legal_name", "address", "iban", "vat_status", "mandate"]
    payout_profile_save(actor=anna, data={**CH_PROFILE, "iban": "", "account_holder": ""})
    assert profile_gaps(anna.pk) == ["iban"]
    assert invoicing_ready(anna.pk)
    assert not payout_ready(anna.pk)


def test_the_mandate_is_signed_once_and_again_for_a_new_version(monkeypatch):
    anna = helper()
    first = payout_profile_save(actor=anna, data=CH_PROFILE)
    again = payout_profile_save(actor=anna, data={**CH_PROFILE, "town": "Thun"})
    assert again.mandate_signed_at == first.mandate_signed_at
    monkeypatch.setattr(profiles, "MANDATE_VERSION", "2099-01")
    assert profile_gaps(anna.pk) == ["mandate"]
    assert not invoicing_ready(anna.pk)
    resigned = payout_profile_save(actor=anna, data=CH_PROFILE)
    assert resigned.mandate_version == "2099-01"


def test_without_ticking_the_mandate_nothing_is_signed():
    anna = helper()
    payout_profile_save(actor=anna, data={**CH_PROFILE, "mandate_accepted": False})
    assert profile_gaps(anna.pk) == ["mandate"]


def test_a_lapsed_vat_status_is_a_gap():
    anna = helper()
    yesterday = date.today() - timedelta(days=2)
    payout_profile_save(actor=anna, data={**CH_PROFILE, "vat_valid_until": yesterday})
    assert profile_gaps(anna.pk) == ["vat_status"]


def test_only_helpers_have_a_payout_profile():
    with pytest.raises(Forbidden):
        payout_profile_save(actor=make_customer(), data=CH_PROFILE)


def test_the_mandate_reads_in_german_and_english():
    assert "in meinem Namen und für meine Rechnung" in mandate_text("de-ch")
    assert "in my name and for my account" in mandate_text("en")


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789 ", min_size=0, max_size=30))
def test_no_iban_is_stored_unless_it_checks_out(digits):
    anna = helper()
    raw = "CH" + digits
    compact = raw.replace(" ", "")
    valid = len(compact) == 21 and int(compact[4:] + "1217" + compact[2:4]) % 97 == 1
    if not valid:
        error = refused(anna, {**CH_PROFILE, "iban": raw})
        assert error.field_codes == {"iban": "bad_iban"}
        return
    profile = payout_profile_save(actor=anna, data={**CH_PROFILE, "iban": raw})
    assert profile.iban == compact
