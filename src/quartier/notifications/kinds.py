"""What Quartier tells people about, and the words for it in the in-app inbox.

Every kind has an e-mail template pair under templates/notifications/email/<kind>.txt and
<kind>_subject.txt, rendered in the recipient's language. `Kind` is what users get (in the
inbox, and by e-mail unless they opted out); `AddressKind` is e-mail to an address that is
not a user's inbox (a partner's escalation or contact address, an account not claimed yet).
"""

from __future__ import annotations

from enum import StrEnum

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
    NO_HELPER = "no_helper", _("Requests no helper offered to do")
    PAYMENT = "payment", _("Payments of invoices")
    TAX = "tax", _("Tax reporting and tax thresholds")


#: Kinds that always come by e-mail as well (legal duties: the DAC7 notice and reminders must
#: reach the seller before a booking hold); not offered as an e-mail choice.
ALWAYS_EMAILED = frozenset({Kind.TAX})
#: The kinds people choose to get by e-mail or not.
OPTIONAL_EMAIL = [(value, label) for value, label in Kind.choices if value not in ALWAYS_EMAILED]


class AddressKind(StrEnum):
    """E-mail only: nothing is stored, nobody can opt out."""

    ACCOUNT_CLAIM = "account_claim"  # set a password for the account a partner's case opened
    PASSWORD_RESET = "password_reset"  # "forgot my password" (also sent to unknown users)
    SIGNUP_EXISTING = "signup_existing"  # someone signed up with an address that has an account
    CASE_ESCALATED = "case_escalated"  # a case handed back to the partner's technicians
    WEBHOOK_DISABLED = "webhook_disabled"  # a partner's webhook endpoint was disabled
    ACCOUNT_DELETION = "account_deletion"  # your account will be deleted on …
    ACCOUNT_ERASED = "account_erased"  # your account was deleted
    SETTLEMENT_AGING = "settlement_aging"  # to operators: partners' money aging in settlement
    CHANGE_CONFIRMATION = "change_confirmation"  # a change approved during the visit
    CONSUMER_CONTRACT = "consumer_contract"  # start consent given later; withdrawal receipt
    SUSPENSION = "suspension"  # a helper suspended, reinstated, or their appeal answered
    SIGN_OFF_CODE = "sign_off_code"  # a one-time code to sign off a visit on the helper's phone
    VETTING = "vetting"  # a vetting document approved, rejected, about to expire, expired
    EMAIL_VERIFY = "email_verify"  # confirm your address (needed before the first booking)
    EMAIL_CHANGE = "email_change"  # to the new address: confirm the change
    EMAIL_CHANGED = "email_changed"  # to the old address: the account moved to another one
    EMAIL_CHANGE_TAKEN = "email_change_taken"  # to an address with an account: someone asked
    PASSWORD_CHANGED = "password_changed"  # your password was changed
    HOUSEHOLD_INVITATION = "household_invitation"  # someone asks you to act for them
