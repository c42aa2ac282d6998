"""Skills carry what the law makes of them: household-related and craftsman's work
(German § 35a EStG) and work on a property; the catalogue API shows the flags, and
re-seeding the taxonomy keeps what operators set."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.catalog.models import Skill
from quartier.catalog.services import catalog_seed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "flags"),
    [
        ("cleaning", ["household", "property"]),
        ("gardening", ["household", "property"]),
        ("furniture-assembly", ["craftsman", "property"]),
        ("small-repairs", ["craftsman", "property"]),
        ("tv-set-top-box", ["property"]),
        ("tutoring", []),
        ("babysitting", []),
    ],
)
def test_the_seeded_skills_carry_sensible_flags(slug, flags):
    assert Skill.objects.get(slug=slug).flags == flags


def test_the_catalogue_api_shows_the_flags(anon):
    skills = {s["slug"]: s for s in anon.get("/skills").data}
    cleaning, assembly = skills["cleaning"], skills["furniture-assembly"]
    assert (cleaning["household_related"], cleaning["craftsman"]) == (True, False)
    assert (assembly["household_related"], assembly["craftsman"]) == (False, True)
    assert skills["tutoring"]["property_related"] is False


def test_reseeding_keeps_what_an_operator_set():
    Skill.objects.filter(slug="computer").update(craftsman=True)
    Skill.objects.filter(slug="cleaning").update(household_related=False)
    catalog_seed()
    assert Skill.objects.get(slug="computer").craftsman is True
    assert Skill.objects.get(slug="cleaning").household_related is False


def test_operators_filter_and_see_the_flags_in_the_back_office(customer):
    operator = Client()
    customer.is_staff = customer.is_superuser = True
    customer.save()
    operator.force_login(customer)
    page = operator.get("/admin/catalog/skill/?craftsman__exact=1").content.decode()
    assert "furniture-assembly" in page
    assert "cleaning" not in page
