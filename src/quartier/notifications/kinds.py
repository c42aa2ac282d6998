"""What Quartier tells people about, and the words for it in the in-app inbox.

Every kind has an e-mail template pair under templates/notifications/email/<kind>.txt and
<kind>_subject.txt, rendered in the recipient's language.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MESSAGE = "message", _("New messages")
    INVITATION = "invitation", _("Invitations to requests near you")
    OFFER = "offer", _("Offers on my requests")
    BOOKED = "booked", _("Bookings")
    CANCELLED = "cancelled", _("Cancellations")
    COMPLETED = "completed", _("Finished jobs and reviews")
    DISPUTE = "dispute", _("Problems reported with a booking")
    CASE_CONTACT = "case_contact", _("Cases a partner opened with my e-mail address")
