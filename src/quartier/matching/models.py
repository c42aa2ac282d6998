"""The match index: one row per (matchable helper, skill), all the matcher reads.

Kept in step with profiles, skills, availability and reviews by `services.match_index_refresh`
(subscribed to `quartier.events.helper_changed`). Only helpers who can be matched at all
(available, not suspended, contractor terms accepted) have rows, so the hot query needs no
joins and no status filters.

Quality: each row stores its distance-free score (`ranking.index_quality`), so the matcher
can skip, inside an index, every helper too weak to beat the best ones found near the request.
It depends on the ranking settings: `quartier reindex` after changing them.

Cells: each row stores the h3 cell of the helper's home at resolution 7 (edge ~1.4 km) and
at resolution 5 (edge ~9.9 km). The matcher scans rings of fine cells outwards from the
request, nearest first, and switches to coarse rings beyond a few kilometres, so a dense city
costs a handful of small index range scans and a rural request still reaches helpers 100 km
away in a few hundred cells. See `engine.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

#: The rest of what the matcher reads of a row (scan.COLUMNS), at the end of its indexes.
ROW_FIELDS = [
    "helper",
    "rating_mean",
    "review_count",
    "completed_jobs",
    "reliability",
    "response_minutes",
    "weekly_hours",
    "open_invitations",
]


class MatchIndex(models.Model):
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    skill = models.ForeignKey("catalog.Skill", on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField()
    longitude = models.FloatField()
    cell_fine = models.BigIntegerField(help_text="h3 cell of the home, resolution 7.")
    cell_coarse = models.BigIntegerField(help_text="h3 cell of the home, resolution 5.")
    radius_km = models.PositiveSmallIntegerField()
    # Ranking inputs, precomputed on refresh (see ranking.py for how they combine).
    rating_mean = models.FloatField(help_text="Bayesian, time-decayed mean in this skill.")
    review_count = models.PositiveIntegerField(default=0)
    completed_jobs = models.PositiveIntegerField(default=0, help_text="In this skill.")
    reliability = models.FloatField(help_text="0..1: kept commitments, with a prior.")
    response_minutes = models.FloatField(null=True, blank=True)
    weekly_hours = models.CharField(
        max_length=42,
        blank=True,
        help_text="168-bit hex bitmap of weekly local hours; empty = flexible (any time).",
    )
    quality = models.FloatField(
        help_text="Distance-free score without the program part (ranking.index_quality)."
    )
    open_invitations = models.PositiveSmallIntegerField(default=0)
    joined_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "match index"
        constraints = [
            models.UniqueConstraint(fields=["helper", "skill"], name="match_index_once"),
            models.CheckConstraint(
                condition=Q(reliability__gte=0, reliability__lte=1),
                name="match_index_reliability_0_1",
            ),
        ]
        indexes = [
            # Covering: the matcher filters on radius, quality and a distance bound inside
            # these indexes, orders by a bound of the score, and reads the ranking inputs
            # from them too (ROW_FIELDS), so it reads no table row at all (see scan.py).
            models.Index(
                fields=[
                    *("skill", "cell_fine", "quality", "radius_km", "latitude", "longitude"),
                    *ROW_FIELDS,
                ],
                name="match_skill_fine_rows",
            ),
            models.Index(
                fields=[
                    *("skill", "cell_coarse", "radius_km", "quality", "latitude", "longitude"),
                    *ROW_FIELDS,
                ],
                name="match_skill_coarse_rows",
            ),
            # The skill's best quality and widest radius: one index seek each.
            models.Index(fields=["skill", "quality"], name="match_skill_quality"),
            models.Index(fields=["skill", "radius_km"], name="match_skill_radius"),
            models.Index(fields=["helper"], name="match_helper"),
        ]

    def __str__(self) -> str:
        return f"helper {self.helper_id} · skill {self.skill_id}"


class PoolMember(models.Model):
    """A helper admitted to a closed pool: a partner program's qualified, trained helpers.

    Matching knows pools only by number; partners keeps the membership up to date through
    `matching.services.pool_member_set` whenever a qualification changes, so matching never
    asks partners who may serve a case."""

    pool = models.PositiveIntegerField(help_text="A partner program's id.")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pool", "helper"], name="pool_member_once")]

    def __str__(self) -> str:
        return f"helper {self.helper_id} in pool {self.pool}"


class RequestPool(models.Model):
    """A request only a pool's members may serve (a partner's case), set when it is posted."""

    request = models.OneToOneField("jobs.JobRequest", on_delete=models.CASCADE, related_name="+")
    pool = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"#{self.request_id} for pool {self.pool}"
