"""The invoicing mandate a helper signs before Quartier issues invoices in their name.

The text is versioned: a helper who signed an older version is asked to sign again (a gap
`mandate` until then). Change the text only together with `MANDATE_VERSION`.
"""

from __future__ import annotations

MANDATE_VERSION = "2026-12"

MANDATE_TEXT = {
    "de": (
        "Ich beauftrage Quartier, in meinem Namen und für meine Rechnung Rechnungen an meine "
        "Kundinnen und Kunden auszustellen (Rechnungsstellung durch Dritte, § 14 Abs. 2 Satz 4 "
        "UStG; in der Schweiz direkte Stellvertretung). Ich bleibe Leistungserbringer und "
        "verantwortlich für die Angaben zu meiner Person, meiner Adresse und meinem "
        "Mehrwertsteuer-Status; Änderungen trage ich sofort hier ein. Quartier zahlt mir "
        "Beträge, die Partner für meine Aufträge bezahlen, auf das angegebene Konto aus und "
        "verrechnet sie mit der Kommission, die ich Quartier schulde. Ich kann den Auftrag "
        "jederzeit für künftige Rechnungen widerrufen."
    ),
    "en": (
        "I instruct Quartier to issue invoices to my customers in my name and for my account "
        "(invoicing by a third party, § 14(2) sentence 4 German VAT Act; in Switzerland direct "
        "representation). I remain the provider of the service and am responsible for my "
        "name, address and VAT status as given here, and update them here at once when they "
        "change. Quartier pays amounts that partners pay for my jobs out to the account given "
        "and sets them off against the commission I owe Quartier. I may revoke this mandate "
        "for future invoices at any time."
    ),
}


def mandate_text(language: str) -> str:
    """The mandate in the helper's language (German for every German variant)."""
    return MANDATE_TEXT["de" if language.lower().startswith("de") else "en"]
