"""The public directory: search helpers and pros, and their public profiles (no log-in)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from quartier.accounts.selectors import helper_profile_get
from quartier.catalog.selectors import helper_skill_list
from quartier.directory.selectors import Near, listing_search
from quartier.errors import QuartierError
from quartier.favourites.selectors import favourite_helper_ids
from quartier.geo.geocoding import locate_postcode
from quartier.reviews.models import Direction
from quartier.reviews.selectors import helper_skill_scores, review_list_about, user_score
from quartier.vetting.selectors import verified_helper_ids

from ..fields import skill_choices
from ..service_errors import add_to_form, service_errors_as_http

SORTS = [
    ("relevance", _("Best rated nearby")),
    ("distance", _("Nearest")),
    ("price", _("Lowest hourly rate")),
    ("rating", _("Highest rating")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    country = forms.ChoiceField(
        label=_("Country"), choices=[("CH", _("Switzerland")), ("DE", _("Germany"))]
    )
    postcode = forms.CharField(label=_("Near postcode"), required=False, max_length=10)
    within_km = forms.IntegerField(label=_("Within km"), min_value=1, max_value=200, initial=25)
    min_rating = forms.ChoiceField(
        label=_("Rating at least"),
        required=False,
        choices=[("", "—"), ("3", "3"), ("4", "4"), ("4.5", "4.5")],
    )
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        skill_field = self.fields["skill"]
        assert isinstance(skill_field, forms.ChoiceField)
        skill_field.choices = [("", _("Any skill")), *skill_choices()]


def search(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("country", "CH")
    data.setdefault("within_km", "25")
    form = SearchForm(data)
    hits = None
    if form.is_valid():
        values = form.cleaned_data
        near = None
        try:
            if values["postcode"]:
                place = locate_postcode(values["country"], values["postcode"])
                near = Near(place.latitude, place.longitude, values["within_km"])
        except QuartierError as error:
            add_to_form(form, error)
        else:
            hits = listing_search(
                query=values["q"],
                skill=values["skill"] or None,
                near=near,
                min_rating=float(values["min_rating"]) if values["min_rating"] else None,
                sort=values["sort"] or "relevance",
                limit=50,
            )
    return render(request, "web/directory/search.html", {"form": form, "hits": hits})


@service_errors_as_http
def profile(request: HttpRequest, helper_id: int) -> HttpResponse:
    helper_profile = helper_profile_get(helper_id=helper_id)
    scores = helper_skill_scores(helper_id=helper_id)
    skills = [
        (s.skill, s.level, scores.get(s.skill.slug), s)
        for s in helper_skill_list(helper_id=helper_id).select_related("skill")
    ]
    viewer = request.user.pk if request.user.is_authenticated else None
    liked = helper_id in favourite_helper_ids(customer_id=viewer, among=[helper_id])
    reviews = [
        r
        for r in review_list_about(user_id=helper_id).order_by("-created_at")[:10]
        if r.direction == Direction.CUSTOMER_TO_HELPER
    ]
    return render(
        request,
        "web/directory/profile.html",
        {
            "profile": helper_profile,
            "overall": user_score(user_id=helper_id, direction=Direction.CUSTOMER_TO_HELPER),
            "skills": skills,
            "reviews": reviews,
            "verified": bool(verified_helper_ids([helper_id])),
            "liked": liked,
        },
    )
