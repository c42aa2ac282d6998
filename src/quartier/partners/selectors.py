"""Reads of the partners context that other contexts use."""

from __future__ import annotations

from .models import Case, Qualification
from .states import QualificationState


def program_helper_ids_for_request(request_id: int) -> set[int] | None:
    """For a partner case: the helpers qualified for its program (training passed);
    None for a public request, where anyone with the skill may be matched."""
    program_id = (
        Case.objects.filter(request_id=request_id).values_list("program_id", flat=True).first()
    )
    if program_id is None:
        return None
    return set(
        Qualification.objects.filter(
            program_id=program_id,
            state=QualificationState.QUALIFIED,
            training_passed_at__isnull=False,
        ).values_list("helper_id", flat=True)
    )
