"""Out schemas derived from the selectors' views: one declaration, the same shape on the wire."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from quartier.dispatch.schemas import DispatchOut, InvitationOut
from quartier.dispatch.selectors import DispatchSummary, InvitationView
from quartier.jobs.schemas import RequestOut
from quartier.jobs.selectors import RequestView
from quartier.schemas import out_schema


@pytest.mark.parametrize(
    ("schema", "view"),
    [(RequestOut, RequestView), (InvitationOut, InvitationView), (DispatchOut, DispatchSummary)],
)
def test_a_derived_schema_has_the_views_fields_in_order_all_required(schema, view):
    names = [field.name for field in dataclasses.fields(view)]
    assert list(schema.model_fields) == names
    assert schema.model_json_schema()["required"] == names


def test_nested_views_become_their_schemas_and_descriptions_show():
    document = DispatchOut.model_json_schema()
    assert document["properties"]["waves"]["items"] == {"$ref": "#/$defs/WaveOut"}
    assert document["properties"]["wave"]["description"] == "Waves sent so far."


def test_a_description_for_a_field_the_view_lacks_is_refused():
    @dataclasses.dataclass(frozen=True)
    class Slot:
        start: datetime

    with pytest.raises(TypeError, match="starts_at"):
        out_schema(Slot, name="SlotOut", descriptions={"starts_at": "When it starts."})
