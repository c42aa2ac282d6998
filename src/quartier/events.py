"""Domain events other contexts subscribe to (sent explicitly by services, never by save())."""

from django.dispatch import Signal

#: A helper's profile, skills, availability, scores or standing changed (kwargs: helper_id).
helper_changed = Signal()
