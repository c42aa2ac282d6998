"""What the invoices say, in German and English (the customer's or helper's language).

Legal wording comes from money-law §1, §3 and §8.2/8.4. Swiss documents without VAT
registration must not mention VAT at all (Art. 27 MWSTG): no text used for them may contain
"MWST", "VAT", "%" or the like — `tests/invoicing` checks the rendered PDF.
German texts avoid the form of address (neither "du" nor "Sie"): invoices are documents.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from quartier.money import format_money

LANGUAGES = ("de", "en")

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "invoice": "Rechnung",
        "credit_note": "Rechnungskorrektur",
        "commission_invoice": "Provisionsrechnung",
        "heading": "Rechnung im Namen und für Rechnung von {helper}",
        "credit_heading": "Rechnungskorrektur im Namen und für Rechnung von {helper}",
        "agent_ch": "Ausgestellt durch Quartier als direkte Stellvertreterin von {helper}; "
        "Leistungserbringer ist {helper}.",
        "agent_de": "Ausgestellt durch Quartier als Dritte im Namen und für Rechnung von "
        "{helper} (§ 14 Abs. 2 S. 4 UStG); Leistungserbringer ist {helper}.",
        "corrects": "Korrigiert Rechnung {number} vom {date}.",
        "supplier": "Leistungserbringer",
        "recipient": "Leistungsempfänger",
        "number": "Rechnungsnummer",
        "issued_on": "Rechnungsdatum",
        "supplied_on": "Leistungsdatum",
        "period": "Leistungszeitraum",
        "description": "Leistung",
        "quantity": "Menge",
        "unit": "Einzelpreis",
        "amount": "Betrag",
        "rate": "Satz",
        "tip": "Trinkgeld",
        "total": "Gesamtbetrag",
        "ch_registered": "Im MWST-Register eingetragen, MWST-Nr. {uid}",
        "ch_total": "Total inkl. MWST {rate} %",
        "ch_vat": "davon MWST {rate} %",
        "de_net": "Nettoentgelt {rate} %",
        "de_vat": "Umsatzsteuer {rate} %",
        "de_gross_with_rate": "Gesamtbetrag (brutto) inkl. {rate} % USt",
        "tax_number": "Steuernummer: {value}",
        "vat_id": "USt-IdNr.: {value}",
        "small_business": "Steuerfreie Leistung \u2013 Kleinunternehmer gemäß § 19 UStG",
        "private_provider": "Der Leistungserbringer handelt als Privatperson und nicht als "
        "Unternehmer; Umsatzsteuer wird nicht berechnet.",
        "retention": "Aufbewahrungspflicht: Diese Rechnung ist zwei Jahre aufzubewahren "
        "(§ 14b Abs. 1 S. 5 UStG).",
        "block_35a": "Angaben für die Steuerermäßigung nach § 35a EStG",
        "labour": "Arbeitskosten",
        "travel": "Fahrt- und Maschinenkosten",
        "consumables": "Verbrauchsmittel",
        "material": "Material (nicht begünstigt)",
        "partner_part": "Davon von {partner} bezahlt (nicht begünstigt)",
        "eligible": "Begünstigte Arbeitskosten",
        "cashless": "Bitte unbar bezahlen: Für die Steuerermäßigung nach § 35a EStG muss auf "
        "das Konto des Leistungserbringers gezahlt werden; Barzahlung ist ausgeschlossen.",
        "cash_no_35a": "Bar bezahlt: Barzahlungen geben keine Steuerermäßigung nach § 35a EStG.",
        "pay_transfer": "Zahlbar bis {due} ohne Abzug auf das Konto von {holder}, IBAN {iban}, "
        "Verwendungszweck {reference}: {amount}",
        "pay_cash": "Bar an den Leistungserbringer bezahlt: {amount}",
        "pay_partner": "{partner} bezahlt {amount} dieser Rechnung (Zahlung durch Dritte).",
        "pay_partner_all": "Diese Rechnung bezahlt {partner} (Zahlung durch Dritte); vom "
        "Leistungsempfänger ist nichts zu bezahlen.",
        "refund": "Erstattung durch den Leistungserbringer: {amount}",
        "refund_partner": "Davon zugunsten von {partner}: {amount}",
        "refund_line": "Minderung des Entgelts nach Entscheid über eine Beanstandung",
        "withdrawal_line": "Erstattung nach Widerruf; es verbleibt der Wertersatz für die bis "
        "zum Widerruf erbrachte Leistung (§ 357a Abs. 2 BGB)",
        "cancellation_fee": "Ausfallentschädigung für die späte Stornierung von {service}",
        "commission_line": "Vermittlungsprovision Buchung {booking}, {date}, Auftragswert {price}",
        "reverse_charge": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
        "recipient_tax": "Steuer-ID des Leistungsempfängers: {value}",
        "quartier_vat": "MWST-Nr. {value}",
        "uid": "UID {value}",
        "commission_due": "Wird mit Auszahlungen verrechnet oder ist bis {due} zahlbar an "
        "{issuer}, IBAN {iban}, Verwendungszweck {reference}.",
        "commission_heading": "Provisionen für im {period} abgerechnete Aufträge",
        "commission_fee_line": "Vermittlungsprovision Ausfallentschädigung Buchung {booking}, "
        "{date}, Betrag {price}",
        "commission_refund_line": "Minderung der Provision Buchung {booking}: Erstattung von "
        "{price} am {date}",
        "commission_credit_heading": "Korrektur der Provisionen für {period}",
        "commission_credit_due": "Die Gutschrift wird mit der nächsten Auszahlung oder "
        "Provision verrechnet.",
        "commission_net": "Total Provision netto",
        "vat_on_top_ch": "MWST {rate} %",
        "page": "Seite {page}",
    },
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "commission_invoice": "Commission invoice",
        "heading": "Invoice issued in the name and for the account of {helper}",
        "credit_heading": "Credit note issued in the name and for the account of {helper}",
        "agent_ch": "Issued by Quartier as direct representative of {helper}; the supplier "
        "is {helper}.",
        "agent_de": "Issued by Quartier as a third party in the name and for the account of "
        "{helper} (§ 14 (2) sentence 4 UStG); the supplier is {helper}.",
        "corrects": "Corrects invoice {number} of {date}.",
        "supplier": "Supplier",
        "recipient": "Recipient",
        "number": "Invoice number",
        "issued_on": "Invoice date",
        "supplied_on": "Date of service",
        "period": "Service period",
        "description": "Service",
        "quantity": "Qty",
        "unit": "Unit price",
        "amount": "Amount",
        "rate": "Rate",
        "tip": "Tip",
        "total": "Total",
        "ch_registered": "Registered for Swiss VAT, MWST no. {uid}",
        "ch_total": "Total incl. MWST {rate} %",
        "ch_vat": "of which MWST {rate} %",
        "de_net": "Net amount {rate} %",
        "de_vat": "VAT (USt) {rate} %",
        "de_gross_with_rate": "Total (gross) incl. {rate} % VAT (USt)",
        "tax_number": "Tax number (Steuernummer): {value}",
        "vat_id": "VAT ID (USt-IdNr.): {value}",
        "small_business": "Steuerfreie Leistung \u2013 Kleinunternehmer gemäß § 19 UStG "
        "(exempt small business, no VAT charged)",
        "private_provider": "The supplier acts as a private person, not as an entrepreneur; "
        "no VAT is charged.",
        "retention": "You are required to keep this invoice for two years "
        "(§ 14b (1) sentence 5 UStG).",
        "block_35a": "Details for the tax reduction under § 35a EStG",
        "labour": "Labour",
        "travel": "Travel and machine costs",
        "consumables": "Consumables",
        "material": "Material (not eligible)",
        "partner_part": "Paid by {partner} (not eligible)",
        "eligible": "Eligible labour costs",
        "cashless": "Please pay cashless: the tax reduction under § 35a EStG requires payment "
        "to the supplier's account; cash payments are excluded.",
        "cash_no_35a": "Paid in cash: cash payments give no tax reduction under § 35a EStG.",
        "pay_transfer": "Payable by {due} without deduction to the account of {holder}, "
        "IBAN {iban}, reference {reference}: {amount}",
        "pay_cash": "Paid in cash to the supplier: {amount}",
        "pay_partner": "{partner} pays {amount} of this invoice (third-party payment).",
        "pay_partner_all": "{partner} pays this invoice (third-party payment); the recipient "
        "has nothing to pay.",
        "refund": "Refund by the supplier: {amount}",
        "refund_partner": "Of which in favour of {partner}: {amount}",
        "refund_line": "Price reduction after a decided complaint",
        "withdrawal_line": "Refund after withdrawal; what remains is the value of the work "
        "done until the withdrawal (§ 357a (2) BGB)",
        "cancellation_fee": "Fee for the late cancellation of {service}",
        "commission_line": "Commission for booking {booking}, {date}, job value {price}",
        "reverse_charge": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
        "recipient_tax": "Recipient's tax ID: {value}",
        "quartier_vat": "VAT no. {value}",
        "uid": "UID {value}",
        "commission_due": "Set off against payouts, or payable by {due} to {issuer}, "
        "IBAN {iban}, reference {reference}.",
        "commission_heading": "Commission on jobs settled in {period}",
        "commission_fee_line": "Commission for the cancellation fee of booking {booking}, "
        "{date}, fee {price}",
        "commission_refund_line": "Commission reduced for booking {booking}: refund of {price} "
        "on {date}",
        "commission_credit_heading": "Correction of the commission for {period}",
        "commission_credit_due": "The credit is set off against your next payout or commission.",
        "commission_net": "Net commission",
        "vat_on_top_ch": "MWST {rate} %",
        "page": "Page {page}",
    },
}


def language_of(preferred: str | None) -> str:
    """de for German (any region) and unknown languages, en for English."""
    return "en" if (preferred or "").lower().startswith("en") else "de"


def money(minor: int, currency: str, language: str) -> str:
    locale = "en" if language == "en" else ("de-ch" if currency == "CHF" else "de-de")
    text = format_money(abs(minor), currency, locale=locale)
    return re.sub(r"(\d)", r"-\1", text, count=1) if minor < 0 else text


def day(value: date, language: str) -> str:
    return value.strftime("%d %b %Y" if language == "en" else "%d.%m.%Y")


def say(language: str, key: str, **values: Any) -> str:
    return TEXTS[language][key].format(**values)
