"""`{% partner_case_details request_id %}`: the partner case box on a helper's job pages."""

from __future__ import annotations

from typing import Any

from django import template

from quartier.accounts.models import User
from quartier.partners.facade import case_details_for_helper
from quartier.web.program_forms import EscalationForm

register = template.Library()


@register.inclusion_tag("web/programs/_case_details.html", takes_context=True)
def partner_case_details(context: template.Context, request_id: int) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    details = None
    if isinstance(user, User) and user.is_authenticated:
        details = case_details_for_helper(helper=user, request_id=request_id)
    return {
        "details": details,
        "request": request,
        "escalation_form": EscalationForm() if details and details.may_escalate else None,
    }
