"""Importing a bank file, and the operators' answers for the credits it could not book.

Each credit is matched by its structured reference (`payments.references`):

- a commission invoice's reference: the helper paid Quartier
  (`payments.helper_payments.helper_payment_record`: bank +, helper receivable -);
- a CHF partner statement's reference: the partner paid the settlement account
  (`payments.settlement.partner_payment_record`: settlement +, partner receivable -).

Anything else (no or unknown reference, more than is owed, the wrong currency) is queued
with the reason. The whole file is one transaction: its message id is unique, so a second
import of the same file — even one running at the same moment — books nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden, InvalidInput, NotFound, QuartierError
from quartier.invoicing.models import Invoice, InvoiceKind
from quartier.partners.models import Partner
from quartier.payments.commission_pause import commission_pause_refresh
from quartier.payments.helper_payments import helper_payment_record
from quartier.payments.references import commission_number_of, partner_month_of
from quartier.payments.settlement import partner_payment_record

from .camt import Credit, parse_camt
from .models import BankCredit, BankFile, CreditState, TargetKind


@dataclass(frozen=True, slots=True)
class ImportResult:
    file: BankFile
    duplicate: bool  # the file was imported before: nothing changed
    booked: int = 0
    queued: int = 0
    seen: int = 0  # credits an earlier file brought already
    skipped: int = 0  # debits, reversals, pending entries


@dataclass(frozen=True, slots=True)
class Target:
    kind: str
    id: int
    label: str


def bank_file_import(*, actor: User | None, content: bytes) -> ImportResult:
    message = parse_camt(content)
    with transaction.atomic():
        try:
            with transaction.atomic():
                file = BankFile.objects.create(
                    message_id=message.message_id[:80],
                    message_type=message.message_type,
                    account_iban=message.account_iban,
                    sha256=hashlib.sha256(content).hexdigest(),
                    imported_by=actor,
                )
        except IntegrityError:  # imported before (or by a concurrent import, now committed)
            return ImportResult(BankFile.objects.get(message_id=message.message_id[:80]), True)
        counts = {CreditState.BOOKED: 0, CreditState.QUEUED: 0, "seen": 0}
        for credit in message.credits:
            row = _store(file, credit)
            if row is None:
                counts["seen"] += 1
                continue
            counts[_settle(row)] += 1
        file.credits_new = counts[CreditState.BOOKED] + counts[CreditState.QUEUED]
        file.credits_seen = counts["seen"]
        file.save(update_fields=["credits_new", "credits_seen"])
    return ImportResult(
        file,
        False,
        booked=counts[CreditState.BOOKED],
        queued=counts[CreditState.QUEUED],
        seen=counts["seen"],
        skipped=message.skipped,
    )


def _store(file: BankFile, credit: Credit) -> BankCredit | None:
    """The credit's row, or None when an earlier file brought it (its bank reference)."""
    try:
        with transaction.atomic():
            return BankCredit.objects.create(
                key=credit.key,
                file=file,
                amount_minor=credit.amount_minor,
                currency=credit.currency,
                booked_on=credit.booked_on,
                reference=credit.reference,
                remittance=credit.remittance,
                debtor_name=credit.debtor_name,
                debtor_iban=credit.debtor_iban,
                state=CreditState.QUEUED,
            )
    except IntegrityError:
        return None


def target_of(reference: str, currency: str) -> Target:
    """What a structured reference pays; InvalidInput (the reason) when nothing fits."""
    if not reference:
        raise InvalidInput("No structured reference (QRR / SCOR): find the payer by hand.")
    number = commission_number_of(reference)
    if number is not None:
        invoice = Invoice.objects.filter(number=number, kind=InvoiceKind.COMMISSION_INVOICE).first()
        if invoice is None:
            raise InvalidInput(f"The reference names commission invoice {number}; there is none.")
        if invoice.currency != currency:
            raise InvalidInput(f"Invoice {number} is in {invoice.currency}, not {currency}.")
        return Target(TargetKind.COMMISSION_INVOICE, invoice.pk, number)
    statement = partner_month_of(reference)
    if statement is not None:
        partner = Partner.objects.filter(pk=statement[0]).first()
        if partner is None:
            raise InvalidInput(f"The reference names partner #{statement[0]}; there is none.")
        return Target(
            TargetKind.PARTNER_STATEMENT, partner.pk, f"{partner.name} {statement[1]:%Y-%m}"
        )
    raise InvalidInput(f"Reference {reference} is not one Quartier issued.")


def _book(row: BankCredit, target: Target, actor: User | None) -> str:
    """Book the credit for its target in the ledger; returns the ledger event's key."""
    reference = f"bank-credit-{row.pk}"
    if target.kind == TargetKind.PARTNER_STATEMENT:
        payment = partner_payment_record(
            actor=actor,
            partner_id=target.id,
            amount_minor=row.amount_minor,
            received_on=row.booked_on,
            reference=reference,
            currency=row.currency,
        )
        return f"partner-payment:{payment.pk}"
    helper_id = (
        Invoice.objects.get(pk=target.id).helper_id
        if target.kind == TargetKind.COMMISSION_INVOICE
        else target.id
    )
    booked = helper_payment_record(
        helper_id=int(helper_id),
        currency=row.currency,
        amount_minor=row.amount_minor,
        received_on=row.booked_on,
        reference=reference,
    )
    commission_pause_refresh(helper_id=int(helper_id))  # paid: new bookings again
    return str(booked.event_key)


def _settle(row: BankCredit, actor: User | None = None, target: Target | None = None) -> str:
    """Match (unless `target` is given) and book the credit; queue it with the reason when
    either fails. Returns the state it ends in."""
    try:
        target = target or target_of(row.reference, row.currency)
        row.target_kind, row.target_id, row.target_label = target.kind, target.id, target.label
        with transaction.atomic():
            row.ledger_event_key = _book(row, target, actor)
    except QuartierError as error:
        row.state, row.reason = CreditState.QUEUED, error.detail[:200]
    else:
        row.state, row.reason = (CreditState.ASSIGNED, "") if actor else (CreditState.BOOKED, "")
        row.resolved_by, row.resolved_at = actor, timezone.now()
    row.save()
    return str(row.state) if row.state != CreditState.ASSIGNED else CreditState.BOOKED


_HELPER_OR_PARTNER = re.compile(r"^(helper|partner)\s*[:#]?\s*(\d+)$", re.IGNORECASE)


def _operator_target(text: str, currency: str) -> Target:
    """What an operator says a credit pays: an invoice number (`Q-2026-000123`), a
    reference, `helper:12` (commission without an invoice) or `partner:7`."""
    text = text.strip()
    found = _HELPER_OR_PARTNER.match(text)
    if found:
        kind, pk = found[1].lower(), int(found[2])
        if kind == "partner":
            if not Partner.objects.filter(pk=pk).exists():
                raise InvalidInput(f"There is no partner #{pk}.")
            return Target(TargetKind.PARTNER_STATEMENT, pk, f"partner #{pk}")
        if not User.objects.filter(pk=pk, is_helper=True).exists():
            raise InvalidInput(f"There is no helper #{pk}.")
        return Target(TargetKind.HELPER, pk, f"helper #{pk}")
    invoice = Invoice.objects.filter(number=text.upper()).first()
    if invoice is not None and invoice.kind == InvoiceKind.COMMISSION_INVOICE:
        return target_of_invoice(invoice, currency)
    return target_of(text.replace(" ", "").upper(), currency)


def target_of_invoice(invoice: Invoice, currency: str) -> Target:
    if invoice.currency != currency:
        raise InvalidInput(f"Invoice {invoice.number} is in {invoice.currency}, not {currency}.")
    return Target(TargetKind.COMMISSION_INVOICE, invoice.pk, invoice.number)


def _queued(actor: User, credit_id: int) -> BankCredit:
    if not actor.is_staff:
        raise Forbidden("Only operators resolve bank credits.", code="not_an_operator")
    row = BankCredit.objects.select_for_update().filter(pk=credit_id).first()
    if row is None:
        raise NotFound("No such bank credit.")
    if row.state != CreditState.QUEUED:
        raise Conflict("This credit is resolved already.", code="credit_resolved")
    return row


def bank_credit_assign(*, actor: User, credit_id: int, target: str, note: str = "") -> BankCredit:
    """An operator says what a queued credit pays; it is booked, or stays queued (the
    reason says why: e.g. more than the helper owes). Raises the reason as InvalidInput."""
    with transaction.atomic():
        row = _queued(actor, credit_id)
        chosen = _operator_target(target, row.currency)
        row.note = note.strip()[:300]
        _settle(row, actor, chosen)
        record_operator_action(actor, "bank_credit.assign", row, f"{target}: {row.note}".strip())
    if row.state == CreditState.QUEUED:
        raise InvalidInput(row.reason, code="credit_not_booked", errors={"target": [row.reason]})
    return row


def bank_credit_dismiss(*, actor: User, credit_id: int, note: str) -> BankCredit:
    """Resolved outside Quartier's books (sent back, not ours): nothing is booked."""
    if not note.strip():
        raise InvalidInput("Say what happened to it.", errors={"note": ["Required."]})
    with transaction.atomic():
        row = _queued(actor, credit_id)
        row.state, row.note = CreditState.DISMISSED, note.strip()[:300]
        row.resolved_by, row.resolved_at = actor, timezone.now()
        row.save(update_fields=["state", "note", "resolved_by", "resolved_at"])
        record_operator_action(actor, "bank_credit.dismiss", row, row.note)
    return row


def bank_credit_rematch(*, actor: User, credit_id: int) -> BankCredit:
    """Try the automatic match again (e.g. the invoice it names was issued since)."""
    with transaction.atomic():
        row = _queued(actor, credit_id)
        _settle(row)
    return row
