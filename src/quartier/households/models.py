"""A household: a member (the person the help is for) and the delegates they let act for
them — a daughter in Berlin booking for her father in Luzern.

One `Delegation` per invitation: the member invites an e-mail address, the account with
that address accepts (it becomes the delegate), the member revokes it at any time. Only an
accepted, unrevoked delegation lets its delegate act. Every act of a delegate for the
member is a `DelegateAct` row the member reads on their household page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Delegation(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given"
    )
    invited_email = models.EmailField()
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegations_held",
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(member=F("delegate")), name="delegation_not_self"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(delegate__isnull=False),
                name="delegation_accepted_has_delegate",
            ),
            # One live delegation per member and delegate (and per invited address).
            models.UniqueConstraint(
                fields=["member", "delegate"],
                condition=Q(revoked_at__isnull=True),
                name="delegation_live_once",
            ),
            models.UniqueConstraint(
                fields=["member", "invited_email"],
                condition=Q(revoked_at__isnull=True),
                name="delegation_invited_once",
            ),
        ]
        indexes = [models.Index(fields=["delegate", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.invited_email} for {self.member_id} ({self.state})"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.accepted_at is not None else "invited"


class DelegateAct(models.Model):
    """What a delegate did for the member: posted, booked, approved, paid …"""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="acts")
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    target_label = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type} {self.target_id}"
