"""What the end-to-end journeys share: the market each language plays in, the words a
person reads on the buttons and labels, and signing up through the browser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from quartier.accounts.models import User
from quartier.accounts.self_service import email_verification_token
from quartier.dispatch.posting import request_post
from quartier.jobs.models import JobRequest

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Market:
    country: str
    helper_postcode: str
    request_postcode: str
    typed: str  # what the person types before picking a suggestion
    locality: str
    ninety: str  # 90.00 as this language writes it in this market's currency
    street: str


#: English visitors play in Switzerland, German ones in Germany (the two markets).
MARKETS = {
    "en": Market("CH", "8003", "8004", "800", "Zürich", "CHF 90.00", "Badenerstrasse 12"),
    "de": Market("DE", "10115", "10117", "101", "Berlin", "90,00 €", "Friedrichstraße 43"),
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "sign up": "Sign up",
        "name": "Your name",
        "email": "E-mail",
        "password": "Password",
        "customer": "I need help (customer)",
        "helper": "I want to help (helper)",
        "create": "Create my account",
        "skill": "What do you need help with?",
        "title": "In a few words",
        "country": "Country",
        "postcode": "Postcode",
        "street": "Street and number",
        "budget": "Budget (optional)",
        "post": "Post my request",
        "km": "km away",
        "book": "Book",
        "checkout": "Check and book",
        "booked": "Booked! The helper now sees your address.",
        "review sent": "Thank you for your review!",
        "send review": "Send my review",
        "text": "A few words (optional)",
        "your postcode": "Your postcode",
        "radius": "How far you travel (km)",
        "rate": "Your hourly rate",
        "bio": "About you (optional)",
        "terms": "independent contractor",
        "continue": "Save and continue",
        "save hours": "Save my hours",
        "make offer": "Make an offer",
        "price": "Your price for the whole job",
        "send offer": "Send my offer",
        "offer sent": "Your offer is sent to the customer.",
        "why": "Am I matched? Why (not)?",
        "matched": "You are matched",
        "my jobs": "My jobs",
        "start": "Check in",
        "done": "Check out",
        "marked done": "Checked out.",
        "sign off": "Sign off",
        "signed off": "Signed off.",
        "earnings": "Earnings",
        "log out": "Log out",
    },
    "de": {
        "sign up": "Registrieren",
        "name": "Dein Name",
        "email": "E-Mail",
        "password": "Passwort",
        "customer": "Ich brauche Hilfe (Kunde)",
        "helper": "Ich möchte helfen (Helfer)",
        "create": "Konto erstellen",
        "skill": "Wobei brauchst du Hilfe?",
        "title": "In wenigen Worten",
        "country": "Land",
        "postcode": "Postleitzahl",
        "street": "Straße und Hausnummer",
        "budget": "Budget (freiwillig)",
        "post": "Anfrage stellen",
        "km": "km entfernt",
        "book": "buchen",
        "checkout": "Prüfen und buchen",
        "booked": "Gebucht! Die Helferin bzw. der Helfer sieht jetzt deine Adresse.",
        "review sent": "Danke für deine Bewertung!",
        "send review": "Bewertung senden",
        "text": "Ein paar Worte (freiwillig)",
        "your postcode": "Deine Postleitzahl",
        "radius": "Wie weit du fährst (km)",
        "rate": "Dein Stundensatz",
        "bio": "Über dich (freiwillig)",
        "terms": "selbständig",
        "continue": "Speichern und weiter",
        "save hours": "Zeiten speichern",
        "make offer": "Angebot machen",
        "price": "Dein Preis für den ganzen Auftrag",
        "send offer": "Angebot senden",
        "offer sent": "Dein Angebot ist beim Kunden.",
        "why": "Werde ich angezeigt? Warum (nicht)?",
        "matched": "Du wirst angezeigt",
        "my jobs": "Meine Aufträge",
        "start": "Einchecken",
        "done": "Auschecken",
        "marked done": "Ausgecheckt.",
        "sign off": "Bestätigen",
        "signed off": "Bestätigt.",
        "earnings": "Einnahmen",
        "log out": "Abmelden",
    },
}


def header(page: Any) -> Any:
    """The page's header, its links shown: on a phone they fold behind the menu button,
    which is opened first (as a visitor would)."""
    page.wait_for_load_state("domcontentloaded")  # quartier.js has folded the menu by now
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page.locator("header.site-header")


def nav_link(page: Any, name: str) -> Any:
    return header(page).get_by_role("navigation").get_by_role("link", name=name)


def choose_language(page: Any, language: str) -> None:
    """Open the home page and, for German, switch with the header's language buttons."""
    page.goto("/")
    if language == "de":
        header(page).get_by_role("button", name="Deutsch", exact=True).click()
    page.wait_for_selector(f'html[lang="{language}"]')


def sign_up(page: Any, language: str, *, name: str, email: str, helper: bool = False) -> None:
    words = WORDS[language]
    nav_link(page, words["sign up"]).click()
    page.get_by_label(words["name"]).fill(name)
    page.get_by_label(words["email"], exact=False).first.fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    if helper:
        page.get_by_role("checkbox", name=words["helper"]).check()
    page.get_by_role("button", name=words["create"]).click()


def confirm_email(page: Any, language: str, email: str) -> None:
    """Open the verification link e-mailed at sign-up and confirm, then go back."""
    back = page.url
    token = email_verification_token(User.objects.get(email=email))
    page.goto(f"/email/verify/{token}")
    page.get_by_role("button", name="Bestätigen" if language == "de" else "Confirm").click()
    page.wait_for_url("**/me/settings")
    page.goto(back)


def speaks(user: Any, language: str) -> None:
    """The member's own language, which the site switches to when they log in."""
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


def log_in(page: Any, email: str, button: str) -> None:
    """Log in through the form; `button` is its label in the page's language."""
    page.goto("/login")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=button).click()


def pick_postcode(page: Any, label: str, market: Market, postcode: str) -> None:
    """Type the start of the postcode, wait for htmx's suggestions, then take one."""
    field = page.get_by_label(label)
    field.fill("")
    field.press_sequentially(market.typed, delay=50)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#postcode-list option')]"
        f".some(o => o.value === '{postcode}')"
    )
    options = page.locator("#postcode-list option")
    assert re.search(market.locality, options.first.inner_text())
    field.fill(postcode)


def tomorrow(hour: int) -> datetime:
    moment = timezone.localtime() + timedelta(days=1)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def post_request(customer: User, market: Market, title: str) -> JobRequest:
    return request_post(
        actor=customer,
        skill="tv-set-top-box",
        title=title,
        description="Since the update the screen stays black.",
        country=market.country,
        postcode=market.request_postcode,
        street_address=market.street,
        window_start=tomorrow(9),
        window_end=tomorrow(17),
        budget_minor=12000,
    )
