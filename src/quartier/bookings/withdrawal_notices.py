"""What a consumer is shown and sent about their right of withdrawal from a booking.

The notice and model form (Anlagen 1 and 2 zu Art. 246a EGBGB, worded for a service) name
the helper as the trader; checkout shows them, the booking's confirmation e-mail carries them
(the durable medium, § 312f BGB). Declarations given later and a withdrawal are confirmed by
e-mail at once — the withdrawal's receipt states its content, date and time (§ 356a BGB).
These e-mails go to the customer whatever their e-mail choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify_address

if TYPE_CHECKING:
    from .models import Booking
    from .withdrawal_models import ConsumerContract

NOTICE_TEMPLATE = "notifications/email/_contract_withdrawal.txt"
#: The two declarations at checkout, each its own unticked box.
EARLY_START_TEXT = _(
    "I expressly ask that the helper begins the work before the withdrawal period ends."
)
LOSS_TEXT = _(
    "I know that I lose my right of withdrawal once the contract has been fully performed."
)
#: What the other regimes say instead of the notice.
URGENT_TEXT = _(
    "You asked for an urgent repair visit: the work you asked for on it carries no right of "
    "withdrawal (§ 312g Abs. 2 Nr. 11 BGB)."
)

PRIVATE_TEXT = _(
    "The provider is a private person (Privatperson) by their own declaration: with private "
    "persons, consumer-protection rules do not apply, so there is no right of withdrawal."
)
TRADER_TEXT = _(
    "The provider is a trader (Unternehmer) by their own declaration: you have a 14-day "
    "right of withdrawal. Read the notice and the model form below."
)
REGIME_TEXTS = {"withdrawal": TRADER_TEXT, "urgent": URGENT_TEXT, "private": PRIVATE_TEXT}


def regime_text(regime: str) -> str:
    """What the customer is told about their rights; empty in Switzerland."""
    text = REGIME_TEXTS.get(regime)
    return str(text) if text else ""


def contract_values(booking: Booking, contract: ConsumerContract) -> dict[str, object]:
    return {
        "contract": contract,
        "title": booking.request.title,
        "locality": booking.request.locality,
        "starts_at": booking.starts_at,
        "currency": booking.currency,
        "price_minor": booking.price_minor,
    }


def contract_notice(contract: ConsumerContract, title: str) -> str:
    """The notice and model form for the service `title`, in the active language; empty
    without the right."""
    if contract.regime != "withdrawal":
        return ""
    return render_to_string(NOTICE_TEMPLATE, {"contract": contract, "title": title}).strip()


def confirm_contract(booking: Booking, contract: ConsumerContract, *, step: str) -> None:
    """`consent`: the declarations given on the booking page; `withdrawn`: the receipt."""
    customer = booking.customer
    if customer is None:
        return
    notify_address(
        email=customer.email,
        language=customer.preferred_language or "de",
        kind=AddressKind.CONSUMER_CONTRACT,
        context=contract_values(booking, contract) | {"step": step},
        link=Link(Page.BOOKING, (booking.pk,)),
    )
