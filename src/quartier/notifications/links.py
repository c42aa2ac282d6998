"""Links in notifications, built here from the web layer's route names.

Domain modules name the page (`Link(Page.BOOKING, (booking.pk,))`) and never import or
spell a URL name of the web layer; only this module knows which route shows which page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.urls import NoReverseMatch, reverse


class Page(StrEnum):
    """The pages a notification (or a partner's webhook) links to: their route names."""

    REQUEST = "web:request_detail"  # the customer's request
    HELPER_REQUEST = "web:helper_request"  # a request as an invited or booked helper sees it
    CONVERSATION = "web:conversation"  # args: request id, helper id
    BOOKING = "web:booking_detail"
    SERIES = "web:series_detail"  # a recurring series, for its customer and helper
    CASE_CONTACT_CONFIRM = "web:case_contact_confirm"  # args: signed token
    PARTNER_CASE_PHOTO = "web:partner_case_photo"  # args: partner slug, case id, photo id
    PASSWORD_SET = "web:password_reset_confirm"  # args: uidb64, token
    LOG_IN = "web:login"
    MY_DATA = "web:my_data"  # export and deletion of one's account
    DASHBOARD = "web:dashboard"  # the member's start page
    TAX_DATA = "web:helper_tax"  # the helper's tax reporting data and thresholds
    VETTING = "web:helper_vetting"  # the helper's vetting documents and their status
    EMAIL_VERIFY = "web:email_verify"  # args: signed token
    EMAIL_CHANGE = "web:email_change_confirm"  # args: signed token
    PASSWORD_RESET = "web:password_reset"  # "forgot my password"
    ACCOUNT_SETTINGS = "web:account_settings"  # name, e-mail, password, roles, photo
    MEMBER_PHOTO = "web:member_photo"  # args: user id (a helper's photo is public)
    HOUSEHOLD = "web:household"  # delegates, invitations and what delegates did


@dataclass(frozen=True)
class Link:
    page: Page
    args: tuple[str | int, ...] = ()

    def path(self) -> str:
        return reverse(self.page.value, args=self.args)

    def url(self) -> str:
        """The absolute address, on QUARTIER_SITE_URL."""
        return settings.QUARTIER_SITE_URL.rstrip("/") + self.path()


def page_url(page: Page, *args: str | int) -> str | None:
    """The page's absolute address; None when the web layer does not serve it (not
    installed in this process), for payloads that may leave a link out."""
    try:
        return Link(page, args).url()
    except NoReverseMatch:
        return None
