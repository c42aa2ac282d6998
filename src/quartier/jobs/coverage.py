"""Who can serve a request: a coverage rule over the helper's own profile and skills.

Matching ranks the helpers this rule lets through; the rule itself needs nothing of
matching, so everything from jobs up (offers, messages, the request's visibility) asks it.
"""

from __future__ import annotations

from quartier.accounts.holds import hold_of
from quartier.accounts.models import HelperProfile, User
from quartier.catalog.models import HelperSkill
from quartier.geo.distance import haversine_km
from quartier.vetting.selectors import helper_vetted_for

from .models import JobRequest


def helper_can_serve(*, helper: User, request: JobRequest) -> bool:
    """True when the helper is matchable, has the skill (vetted, where the skill needs it)
    and their radius reaches the request's place. Nobody serves their own request."""
    if request.customer_id == helper.pk:
        return False
    profile = HelperProfile.objects.filter(user=helper).select_related("user").first()
    if profile is None or not profile.is_matchable or not helper.is_helper:
        return False
    if hold_of(helper.pk) is not None:  # e.g. open commission over the limit (payments)
        return False
    if not HelperSkill.objects.filter(helper=helper, skill_id=request.skill_id).exists():
        return False
    if not helper_vetted_for(helper_id=helper.pk, skill_id=request.skill_id):
        return False  # the skill needs checks (e.g. a criminal record) not approved or expired
    home = (profile.latitude, profile.longitude)
    return haversine_km(request.latitude, request.longitude, *home) <= profile.service_radius_km
