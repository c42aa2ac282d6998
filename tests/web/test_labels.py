"""The words the web shows for the domain's values and the services' errors exist in German.

States, levels and countries are named by their `TextChoices` labels and service errors by
their stable code; both are translated in the web's catalogue, which `makemessages` run in
web/ alone would not see for the labels declared in other contexts.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from quartier.bookings.models import OfferStatus
from quartier.catalog.models import SkillLevel
from quartier.geo.models import Country
from quartier.jobs.states import RequestState
from quartier.web.service_errors import BY_CODE
from quartier.web.templatetags.quartier_web import offer_status, request_state


@pytest.mark.parametrize("choices", [RequestState, OfferStatus, SkillLevel, Country])
@pytest.mark.parametrize("language", ["de", "de-ch"])
def test_every_label_of_a_choice_the_web_shows_is_german(choices, language):
    english = {value: str(label) for value, label in choices.choices}
    with translation.override(language):
        german = {value: str(label) for value, label in choices.choices}
    assert sorted(value for value in english if german[value] == english[value]) == []


def test_every_worded_error_code_is_german():
    english = {code: str(words) for code, words in BY_CODE.items()}
    with translation.override("de"):
        german = {code: str(words) for code, words in BY_CODE.items()}
    assert sorted(code for code in english if german[code] == english[code]) == []


def test_states_read_as_customers_read_them():
    assert request_state("requested") == "Waiting for offers"
    assert offer_status("declined") == "Not chosen"
    assert request_state("no_such_state") == "no_such_state"
    with translation.override("de"):
        assert request_state("requested") == "Wartet auf Angebote"
        assert offer_status("declined") == "Nicht gewählt"

    assert request_state("escalated") == "Escalated to technicians"
