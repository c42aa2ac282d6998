"""Explanations in plain words: why a helper is matched, and why another one is not."""

from __future__ import annotations

from quartier.reviews.selectors import Score

from .engine import Candidate


def _answer_time(minutes: float) -> str:
    if minutes < 60:
        return f"{max(5, round(minutes / 5) * 5):.0f} min"
    hours = minutes / 60
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def explanation(candidate: Candidate, shown: Score, skill_name: str) -> str:
    """E.g. "2.3 km away · 4.8 in TV & set-top box from 31 reviews · usually answers within
    20 min"."""
    parts = [f"{candidate.distance_km:.1f} km away"]
    if shown.count:
        plural = "review" if shown.count == 1 else "reviews"
        parts.append(f"{shown.average:.1f} in {skill_name} from {shown.count} {plural}")
    else:
        parts.append(f"new in {skill_name}")
    if candidate.response_minutes is not None:
        parts.append(f"usually answers within {_answer_time(candidate.response_minutes)}")
    return " · ".join(parts)
