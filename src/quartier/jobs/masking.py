"""Contact details stay inside Quartier until a booking: masked before it in messages, offers
and the request description a helper sees.

Before a booking, customer and helper may talk about the job but not trade e-mail addresses
or phone numbers (that would take the job, and its protections, off the platform). A phone
number is a run of at least 8 digits with the usual separators, so prices, postcodes and
times and dates ("CHF 120", "8004", "14:30", "27.11.2026") pass untouched.
"""

from __future__ import annotations

import re

HIDDEN = "[…]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().\-/]{6,}\d(?![\w])")


DATE = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{2,4}")


def _is_phone(candidate: str) -> bool:
    return sum(ch.isdigit() for ch in candidate) >= 8 and not DATE.fullmatch(candidate)


def mask_contact_details(text: str) -> tuple[str, bool]:
    """The text with e-mail addresses and phone numbers replaced, and whether any were."""
    masked = EMAIL.sub(HIDDEN, text)
    masked = PHONE.sub(lambda m: HIDDEN if _is_phone(m.group()) else m.group(), masked)
    return masked, masked != text
