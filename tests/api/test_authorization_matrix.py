"""The authorization matrix: every operation of the OpenAPI document, called by nine actors.

Each operation has a row saying, per actor, "A" (allowed: a 2xx answer, or a 409 when a
business rule refuses after an earlier actor changed the object) or the refusal it gets:
401 without (valid) credentials for the operation, 403 for a party to the object who may
not do this, 404 for everyone who is no party (an object must not even be confirmed to
exist). Refused calls must leave every watched table as it was, and no answer to a stranger
may show the owner's or the partner's private details. A new operation fails
`test_every_operation_has_a_row` until its row is added.

Columns, in the order each operation calls the actors (refusals first, so an allowed change
cannot turn a later refusal into a pass): see `ACTORS` in tests/api/authz_world.py.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from quartier.bookings.change_models import VisitChange
from quartier.bookings.counter_models import Counter
from quartier.bookings.models import AvailabilityException, WeeklySlot
from quartier.bookings.plan_models import (
    BookingReminder,
    CareLine,
    NoShowReport,
    RescheduleProposal,
    VisitPlan,
)
from quartier.dispatch.models import Dispatch, Invitation
from quartier.favourites.models import Favourite
from quartier.jobs.models import RequestPhoto
from quartier.messaging.models import AbuseReport, Message, TeamMessage
from quartier.partners.models import Case, CaseNote, WebhookDelivery, WebhookEndpoint
from quartier.privacy.models import AccountDeletion
from quartier.series.models import Occurrence, Series
from quartier.vetting.models import VettingCheck, VettingDocument
from tests.api.authz_calls import Operation, body_for, operations, prepare, url_for
from tests.api.authz_households import HOUSEHOLD_ROWS
from tests.api.authz_world import ACTORS, PRIVATE, World, answer_text, build_world
from tests.api_checks import TABLES

pytestmark = pytest.mark.django_db

ALLOW = "A"


def row(answers: str) -> dict[str, str]:
    """'401 A 404 ...' in the order of ACTORS -> {actor: answer}."""
    cells = answers.split()
    assert len(cells) == len(ACTORS), f"{answers!r} needs {len(ACTORS)} answers"
    assert all(c in (ALLOW, "401", "403", "404") for c in cells), answers
    return dict(zip(ACTORS, cells, strict=True))


PUBLIC = row("A   A   A   A   A   A   A   A   A")
SIGNED_IN = row("401 A   A   A   A   A   401 401 A")
PARTNERS = row("401 401 401 401 401 401 A   A   401")
OWN_PARTNER = row("401 401 401 401 401 401 A   404 401")

# fmt: off
MATRIX: dict[str, dict[str, str]] = {
    #                                                   anon own oc  hlp oh  pro pa  opa op
    "quartier_accounts_api_register":               PUBLIC,
    "quartier_accounts_api_log_in":                 PUBLIC,  # with the owner's credentials
    "quartier_accounts_api_log_out":                SIGNED_IN,
    "quartier_accounts_api_me":                     SIGNED_IN,
    "quartier_accounts_api_suspension_appeal":      SIGNED_IN,  # 409 unless suspended
    "quartier_accounts_api_list_tokens":            SIGNED_IN,  # each their own
    "quartier_accounts_api_revoke_token":       row("401 A   404 404 404 404 401 401 404"),
    # Users without a helper profile get 404 "no helper profile yet" about themselves.
    "quartier_accounts_api_get_helper_profile": row("401 404 404 A   A   A   401 401 404"),
    "quartier_accounts_api_put_helper_profile": row("401 403 403 A   A   A   401 401 403"),
    "quartier_accounts_api_put_skills":         row("401 403 403 A   A   A   401 401 403"),
    "quartier_accounts_api_put_skill_prices":   row("401 403 403 A   A   A   401 401 403"),
    "quartier_accounts_api_put_pro_profile":    row("401 403 403 403 403 A   401 401 403"),
    "quartier_accounts_api_helper_public":          PUBLIC,
    # Account settings: each about themselves. Resending a verification link is 409 for the
    # world's (verified) members; adding the role one has already is 409 too. Operators take
    # on no member roles (403).
    "quartier_accounts_api_update_me":              SIGNED_IN,
    "quartier_accounts_api_change_password":        SIGNED_IN,
    "quartier_accounts_api_change_email":           SIGNED_IN,
    "quartier_accounts_api_resend_verification":    SIGNED_IN,
    "quartier_accounts_api_add_role":           row("401 A   A   A   A   A   401 401 403"),
    "quartier_accounts_api_put_photo":              SIGNED_IN,
    "quartier_accounts_api_delete_photo":           SIGNED_IN,
    "quartier_catalog_api_skills":                  PUBLIC,
    "quartier_geo_api_postcodes":                   PUBLIC,
    "quartier_matching_api_ranking":                PUBLIC,
    "quartier_directory_api_search":                PUBLIC,
    "quartier_reviews_api_helper_reviews":          PUBLIC,
    # Requests: the customer's; a helper who offered sees it (scoped), strangers get 404.
    "quartier_jobs_api_create":                 row("401 A   A   A   A   A   401 401 403"),
    "quartier_jobs_api_list_mine":                  SIGNED_IN,
    "quartier_jobs_api_detail":                 row("401 A   404 A   404 404 401 401 A"),
    "quartier_jobs_api_cancel":                 row("401 A   404 403 404 404 401 401 A"),
    # Changing a request and its photos is the customer's alone; its parties (the invited
    # helper who offered, operators) read the photos; everyone else gets 404.
    "quartier_jobs_api_change":                 row("401 A   404 403 404 404 401 401 403"),
    "quartier_jobs_api_add_photos":             row("401 A   404 403 404 404 401 401 403"),
    "quartier_jobs_api_list_photos":            row("401 A   404 A   404 404 401 401 A"),
    "quartier_jobs_api_photo_file":             row("401 A   404 A   404 404 401 401 A"),
    "quartier_jobs_api_remove_photo":           row("401 A   404 403 404 404 401 401 403"),
    "quartier_matching_api_matches":            row("401 A   404 403 404 404 401 401 A"),
    "quartier_matching_api_why_not_matched":    row("401 A   404 A   404 404 401 401 A"),
    "quartier_matching_api_inbox":                  SIGNED_IN,
    "quartier_dispatch_api_dispatch":           row("401 A   404 403 404 404 401 401 A"),
    # Offers: on a request the helper can serve; its customer may not offer (403).
    "quartier_bookings_api_make_offer":         row("401 403 404 A   404 404 401 401 403"),
    "quartier_bookings_api_list_offers":        row("401 A   404 A   404 404 401 401 A"),
    "quartier_bookings_api_accept_offer":       row("401 A   404 403 404 404 401 401 403"),
    "quartier_api_checkout_checkout_summary":   row("401 A   404 403 404 404 401 401 403"),
    # Provider not set up in the matrix world: the owner gets 409 provider_off.
    "quartier_api_checkout_card_setup":         row("401 A   404 403 404 404 401 401 403"),
    "quartier_bookings_api_withdraw_offer":     row("401 403 404 A   404 404 401 401 403"),
    "quartier_bookings_api_change_offer":       row("401 403 404 A   404 404 401 401 403"),
    # Counter-offers: the request's customer counters (its helper and operators: 403); the
    # countered helper alone accepts or withdraws; the parties and operators list them.
    "quartier_bookings_counter_api_counter_offer":      row("401 A   404 403 404 404 401 401 403"),
    "quartier_bookings_counter_api_list_counters":      row("401 A   404 A   404 404 401 401 A"),
    "quartier_bookings_counter_api_accept_counter":     row("401 403 404 A   404 404 401 401 403"),
    "quartier_bookings_counter_api_withdraw_counter":   row("401 403 404 A   404 404 401 401 403"),
    # Bookings: only the booked helper (or an operator) moves the work along; the customer
    # is a party, so 403. Start and complete after a first allowed call are 409.
    "quartier_bookings_api_list_bookings":          SIGNED_IN,
    "quartier_bookings_api_get_booking":        row("401 A   404 A   404 404 401 401 A"),
    "quartier_bookings_api_start":              row("401 403 404 A   404 404 401 401 A"),
    "quartier_bookings_api_complete":           row("401 403 404 A   404 404 401 401 A"),
    "quartier_bookings_api_check_in":           row("401 403 404 A   404 404 401 401 A"),
    "quartier_bookings_api_check_out":          row("401 403 404 A   404 404 401 401 A"),
    # Sign-off is the customer's (an operator may, for them); the helper is refused.
    "quartier_bookings_api_sign_off":           row("401 A   404 403 404 404 401 401 A"),
    "quartier_bookings_api_cancel":             row("401 A   404 A   404 404 401 401 A"),
    # Changes during the visit: the booked helper proposes, the customer alone answers (an
    # operator cannot consent for them); both parties and operators read them.
    "quartier_bookings_api_list_changes":       row("401 A   404 A   404 404 401 401 A"),
    "quartier_bookings_api_propose_change":     row("401 403 404 A   404 404 401 401 403"),
    "quartier_bookings_api_approve_change":     row("401 A   404 403 404 404 401 401 403"),
    "quartier_bookings_api_reject_change":      row("401 A   404 403 404 404 401 401 403"),
    # Before the visit: both parties read the plan; the booked helper alone contacts,
    # confirms and leaves (an operator cannot give the helper's word); a new time needs both
    # parties; only the customer asks for another helper (consent); parties report no-shows.
    "quartier_bookings_api_plan":               row("401 A   404 A   404 404 401 401 A"),
    "quartier_bookings_api_contacted":          row("401 403 404 A   404 404 401 401 403"),
    "quartier_bookings_api_confirm":            row("401 403 404 A   404 404 401 401 403"),
    "quartier_bookings_api_on_my_way":          row("401 403 404 A   404 404 401 401 403"),
    "quartier_bookings_api_reschedule":         row("401 A   404 A   404 404 401 401 403"),
    "quartier_bookings_api_another_helper":     row("401 A   404 403 404 404 401 401 403"),
    "quartier_bookings_api_no_show":            row("401 A   404 A   404 404 401 401 403"),
    # A German consumer's declarations after checkout and their withdrawal: the customer's
    # alone (an operator cannot declare or withdraw for them); 409 without a right.
    "quartier_bookings_withdrawal_api_start_consent": row("401 A   404 403 404 404 401 401 403"),
    "quartier_bookings_withdrawal_api_withdraw":  row("401 A   404 403 404 404 401 401 403"),
    # The tip and how to pay: the customer's alone.
    "quartier_bookings_api_change_payment":     row("401 A   404 403 404 404 401 401 403"),
    # Recurring series: its customer and helper; anyone else (operators too) 404. The
    # operator sees the booking to repeat but is no party to it (403).
    "quartier_series_api_create_series":        row("401 A   404 A   404 404 401 401 403"),
    "quartier_series_api_list_series":              SIGNED_IN,  # each their own
    "quartier_series_api_get_series":           row("401 A   404 A   404 404 401 401 404"),
    # The owner proposed it: the helper agrees (403 `own_proposal` for the proposer).
    "quartier_series_api_accept_series":        row("401 403 404 A   404 404 401 401 404"),
    "quartier_series_api_decline_series":       row("401 A   404 A   404 404 401 401 404"),
    "quartier_series_api_end_series":           row("401 A   404 A   404 404 401 401 404"),
    "quartier_series_api_skip_occurrence":      row("401 A   404 A   404 404 401 401 404"),
    "quartier_series_api_move_occurrence":      row("401 A   404 A   404 404 401 401 404"),
    "quartier_reviews_api_create_review":       row("401 A   404 A   404 404 401 401 403"),
    # A published review is public: only the person reviewed replies (once); anyone signed
    # in but its author may report it.
    "quartier_reviews_api_reply":               row("401 403 403 A   403 403 401 401 403"),
    "quartier_reviews_api_report":              row("401 403 A   A   A   A   401 401 A"),
    # Availability: helpers' own (customers and operators are no helpers: 403).
    "quartier_bookings_availability_api_get_availability":
                                                row("401 403 403 A   A   A   401 401 403"),
    "quartier_bookings_availability_api_set_weekly_slots":
                                                row("401 403 403 A   A   A   401 401 403"),
    "quartier_bookings_availability_api_add_exception":
                                                row("401 403 403 A   A   A   401 401 403"),
    "quartier_bookings_availability_api_remove_exception":
                                                row("401 404 404 A   404 404 401 401 404"),
    # Choosing a helper: the request's customer alone invites, books now and sees whom
    # they invited (operators read); a helper who may see the request is refused (403).
    "quartier_api_direct_invite_helper":        row("401 A   404 403 404 404 401 401 403"),
    "quartier_api_direct_invited_helpers":      row("401 A   404 403 404 404 401 401 A"),
    "quartier_api_direct_book_helper_now":      row("401 A   404 403 404 404 401 401 403"),
    # Book again: the customer of the completed booking; its helper is a party (403).
    "quartier_api_direct_book_helper_again":    row("401 A   404 403 404 404 401 401 403"),
    # Favourites are one's own; operators keep none (403), nor does one favour oneself.
    "quartier_favourites_api_favourites":           SIGNED_IN,
    "quartier_favourites_api_favourite_put":    row("401 A   A   403 A   A   401 401 403"),
    "quartier_favourites_api_favourite_delete": row("401 A   A   A   A   A   401 401 403"),
    # Invitations are the invited helper's alone.
    "quartier_dispatch_api_invitations":            SIGNED_IN,
    "quartier_api_direct_answer_with_offer":    row("401 404 404 A   404 404 401 401 404"),
    "quartier_dispatch_api_decline":            row("401 404 404 A   404 404 401 401 404"),
    "quartier_dispatch_api_accept":             row("401 404 404 A   404 404 401 401 404"),
    # Messages: the helper cannot report their own message (403); operators may read.
    "quartier_messaging_api_thread":            row("401 A   404 A   404 404 401 401 A"),
    "quartier_messaging_api_send":              row("401 A   404 A   404 404 401 401 403"),
    "quartier_messaging_api_report":            row("401 A   404 403 404 404 401 401 A"),
    "quartier_messaging_api_team_thread":       row("401 A   404 A   404 404 401 401 A"),
    "quartier_messaging_api_team_send":         row("401 A   404 A   404 404 401 401 403"),
    # The partner API takes partner keys only; another partner's objects are 404.
    # Privacy: about oneself. Deleting is 409 for the owner and the helper (live bookings)
    # and the operator (closed by another operator).
    "quartier_privacy_api_export":                  SIGNED_IN,
    "quartier_invoicing_api_booking_invoices":     row("401 A   404 A   404 404 401 401 A"),
    "quartier_invoicing_api_invoice_pdf_download": row("401 A   404 A   404 404 401 401 A"),
    "quartier_invoicing_api_invoice_payment_reported":  row("401 A   404 403 404 404 401 401 403"),
    "quartier_invoicing_api_invoice_payment_confirmed": row("401 403 404 A   404 404 401 401 403"),
    "quartier_invoicing_api_invoice_pursuit":           row("401 403 404 A   404 404 401 401 403"),
    "quartier_privacy_api_request_deletion":        SIGNED_IN,
    "quartier_privacy_api_cancel_deletion":         SIGNED_IN,
    # Money: statements and payout profiles are one's own; customers and operators have no
    # payout profile (403); partners list their own monthly statements.
    "quartier_payments_api_get_statement":          SIGNED_IN,
    "quartier_payments_payout_api_get_payout_profile":
                                                row("401 403 403 A   A   A   401 401 403"),
    "quartier_payments_payout_api_put_payout_profile":
                                                row("401 403 403 A   A   A   401 401 403"),
    "quartier_payments_payout_api_list_statements": PARTNERS,
    "quartier_payments_api_get_statement_pdf":      SIGNED_IN,
    "quartier_payments_payout_api_statement_file":  PARTNERS,
    # Calendar: one's own private feed address, for every member.
    "quartier_calendars_api_calendar_feed":         SIGNED_IN,
    "quartier_calendars_api_calendar_feed_revoke":  SIGNED_IN,
    # Compliance: one's own tax reporting data; customers, operators have none (403).
    "quartier_compliance_api_get_tax_reporting":
                                                row("401 403 403 A   A   A   401 401 403"),
    "quartier_compliance_api_put_tax_reporting":
                                                row("401 403 403 A   A   A   401 401 403"),
    # Vetting: helpers' own checks (customers and operators hand in none: 403); a check is
    # answered by its helper alone (everyone else: 404, operators decide in the back office).
    "quartier_vetting_api_list_checks":         row("401 403 403 A   A   A   401 401 403"),
    "quartier_vetting_api_submit_check":        row("401 403 403 A   A   A   401 401 403"),
    "quartier_vetting_api_answer_check":        row("401 404 404 A   404 404 401 401 404"),
    "quartier_partners_api_create_case":            PARTNERS,
    "quartier_partners_api_list_cases":             PARTNERS,
    "quartier_partners_api_get_case":               OWN_PARTNER,
    "quartier_partners_api_cancel_case":            OWN_PARTNER,
    "quartier_partners_api_add_note":               OWN_PARTNER,
    "quartier_partners_api_list_programs":          PARTNERS,
    "quartier_partners_integration_api_list_endpoints": PARTNERS,
    "quartier_partners_integration_api_create_endpoint": PARTNERS,
    "quartier_partners_integration_api_delete_endpoint": OWN_PARTNER,
    "quartier_partners_integration_api_deliveries": OWN_PARTNER,
    "quartier_partners_integration_api_redeliver":  OWN_PARTNER,
    "quartier_partners_integration_api_report":     PARTNERS,
    "quartier_partners_integration_api_dispatch_summary": PARTNERS,  # each their own
}
# fmt: on
MATRIX |= {operation: row(answers) for operation, answers in HOUSEHOLD_ROWS.items()}

#: Operations where a 422 counts as allowed, with why. None today: every body is valid.
UNPROCESSABLE_IS_ALLOWED: dict[str, str] = {}

#: Who is no party to the world's objects: their answers must not show private details.
STRANGERS = ("anonymous", "other_customer", "other_helper", "pro", "other_partner")
#: Log-in answers with the account whose credentials were sent (the owner's).
LEAK_CHECK_EXEMPT = {"quartier_accounts_api_log_in"}

OPERATIONS = operations()
ADD_A_ROW = (
    "Add a row for each new operation to MATRIX in tests/api/test_authorization_matrix.py "
    "(what each of the nine actors gets), and remove rows of operations that are gone"
)


def test_every_operation_has_a_row() -> None:
    missing = sorted(set(OPERATIONS) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(OPERATIONS))
    assert not missing, f"{ADD_A_ROW}. No row: {', '.join(missing)}"
    assert not stale, f"{ADD_A_ROW}. Rows without an operation: {', '.join(stale)}"


def test_the_matrix_sees_every_operation() -> None:
    """A guard on the guard: the document has every router's operations, partner ones too."""
    assert len(OPERATIONS) >= 56
    assert {"quartier_accounts_api_revoke_token", "quartier_partners_api_get_case"} <= set(
        OPERATIONS
    )


def _allowed(operation_id: str, status: int) -> bool:
    if status == 422:
        return operation_id in UNPROCESSABLE_IS_ALLOWED
    return 200 <= status < 300 or status == 409


def _verdict(operation: Operation, actor: str, expected: str, response: Any) -> str | None:
    """What is wrong with the answer, or None."""
    status = response.status_code
    said = f"{actor}: {status} {response.content[:200]!r}"
    if expected == ALLOW:
        if not _allowed(operation.operation_id, status):
            return f"{said} (expected allowed)"
    elif status != int(expected):
        return f"{said} (expected {expected})"
    elif response["Content-Type"] != "application/problem+json":
        return f"{said} (a refusal must be problem+json)"
    if actor in STRANGERS and operation.operation_id not in LEAK_CHECK_EXEMPT:
        text = answer_text(response)
        if leaked := [p for p in PRIVATE if p in text]:
            return f"{said} (shows a stranger {leaked})"
    return None


#: What a refused call must leave as it was: the marketplace's tables and the world's others.
WATCHED = [
    *TABLES,
    AvailabilityException,
    WeeklySlot,
    Dispatch,
    Invitation,
    Favourite,
    Message,
    TeamMessage,
    AbuseReport,
    Case,
    CaseNote,
    WebhookEndpoint,
    WebhookDelivery,
    AccountDeletion,
    VisitChange,
    Counter,
    VisitPlan,
    BookingReminder,
    CareLine,
    RescheduleProposal,
    NoShowReport,
    VettingCheck,
    VettingDocument,
    Series,
    Occurrence,
    RequestPhoto,
]


def _rows() -> dict[str, Any]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def _order(expected: dict[str, str]) -> list[str]:
    """Refusals first, then the allowed actors (whose changes come last)."""
    return sorted(ACTORS, key=lambda actor: expected[actor] == ALLOW)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once, inside a transaction the module's tests nest in: each test's savepoint
    rolls its changes back, so every operation meets the world as built (about 0.6 s saved
    per operation)."""
    # The endpoint's host; the request's photo is stored in a folder of its own.
    loopback = override_settings(
        QUARTIER_WEBHOOK_ALLOW_LOOPBACK=True, MEDIA_ROOT=tempfile.mkdtemp(prefix="authz-media")
    )
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with loopback:
                built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    with loopback:
        yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_each_actor_gets_the_answer_of_the_matrix(operation_id: str, world: World) -> None:
    assert operation_id in MATRIX, f"{ADD_A_ROW}. No row: {operation_id}"
    operation, expected = OPERATIONS[operation_id], MATRIX[operation_id]
    prepare(world, operation)
    actors = _order(expected)
    first_allowed = next((a for a in actors if expected[a] == ALLOW), None)
    before, wrong = _rows(), []
    for actor in actors:
        if actor == first_allowed and _rows() != before:
            wrong.append("the refused calls changed the data")
        response = world.caller(actor).call(
            operation.method, url_for(world, operation), body_for(world, operation)
        )
        if (problem := _verdict(operation, actor, expected[actor], response)) is not None:
            wrong.append(problem)
    if first_allowed is None and _rows() != before:
        wrong.append("the refused calls changed the data")
    assert not wrong, f"{operation}:\n" + "\n".join(wrong)
