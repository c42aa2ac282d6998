"""Demo partners: SwissTel (home internet & TV in Switzerland) and Möbelwerk (furniture
assembly in Germany), their members, qualified demo helpers and cases in every state.

Cases are created through `partners.cases.services.case_create` and played through dispatch,
bookings, reviews and escalation like real ones; then each case's history is moved back by the
same amount (spread over the last eight weeks) so the reports have weeks to show. Idempotent:
a second run finds SwissTel and does nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from quartier.accounts.legal import SIGN_UP, legal_accept
from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.catalog.models import Skill
from quartier.dispatch.models import Invitation
from quartier.dispatch.services import dispatch_first_wave, invitation_accept
from quartier.errors import QuartierError
from quartier.jobs.models import JobRequest, RequestEvent
from quartier.jobs.services import request_cancel
from quartier.matching.services import match_index_deferred
from quartier.partners.facade import (
    case_create,
    case_escalate_by_helper,
    qualification_pool_sync,
)
from quartier.partners.models import (
    Case,
    CaseNote,
    Lesson,
    Partner,
    PartnerMember,
    Program,
    ProgramRegion,
    ProgramService,
    Qualification,
    QuizQuestion,
)
from quartier.partners.states import QualificationState
from quartier.reviews.models import Review
from quartier.reviews.services import review_create

from .partner_programs import MOEBELWERK, SWISSTEL, PartnerSpec
from .visits import demo_check_in, demo_visit_finish

DEMO_PASSWORD = "quartier-demo"
HISTORY_DAYS = 56
#: The programs' qualification thresholds (per required skill). No completed job is asked
#: for: few demo helpers have rated jobs in *both* of SwissTel's skills, and with one
#: qualified helper most of its cases stayed unanswered (and the demo had almost no
#: partner-paid jobs for statements and payouts). A rated skill still needs 3.5.
MIN_SKILL_SCORE = Decimal("3.5")
MIN_COMPLETED_JOBS = 0


#: What happens to the demo cases, in turn (most are resolved by the crowd).
OUTCOMES = (
    "closed",
    "completed",
    "escalated",
    "open",
    "closed",
    "completed",
    "cancelled",
    "closed",
    "completed",
    "open",
    "closed",
    "escalated",
)
CASES_PER_PARTNER = {"swisstel": 24, "moebelwerk": 6}


def partners_seed(*, seed: int = 11) -> list[tuple[str, str, str]]:
    """Seed both partners; returns their members' log-ins (role, e-mail, password)."""
    if Partner.objects.filter(slug=SWISSTEL.slug).exists():
        return []
    rng = random.Random(seed)
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    credentials: list[tuple[str, str, str]] = []
    for spec in (SWISSTEL, MOEBELWERK):
        partner, program = _partner(spec)
        for local, full_name, role in spec.members:
            user = User.objects.create(
                email=f"{local}@{spec.domain}",
                full_name=full_name,
                password=password,
                is_customer=False,
                preferred_language="de" if spec.country == "DE" else "en",
                email_verified_at=timezone.now(),  # demo accounts count as verified
            )
            legal_accept(user=user, documents=SIGN_UP)
            PartnerMember.objects.create(partner=partner, user=user, role=role)
            credentials.append((f"partner {role} ({spec.name})", user.email, DEMO_PASSWORD))
        _qualify(program, spec)
        with match_index_deferred():  # ratings settle once at the end, as in seed.py
            _Cases(rng, partner, program, spec).play(CASES_PER_PARTNER[spec.slug])
    return credentials


def _partner(spec: PartnerSpec) -> tuple[Partner, Program]:
    partner = Partner.objects.create(
        name=spec.name,
        slug=spec.slug,
        contact_email=f"operations@{spec.domain}",
        brand_color=spec.color,
    )
    program = Program.objects.create(
        partner=partner,
        slug=spec.program_slug,
        name=spec.program_name,
        name_de=spec.program_name_de,
        description=f"{spec.name}'s customers get help at home from qualified neighbours.",
        sla_first_offer_minutes=240,
        sla_completion_hours=72,
        escalation_email=f"technicians@{spec.domain}",
        escalation_note=f"{spec.name} field technicians",
        technician_cost_minor=spec.technician_cost_minor,
        visit_fee_minor=spec.visit_fee_minor,
        currency=spec.currency,
        min_skill_score=MIN_SKILL_SCORE,
        min_completed_jobs=MIN_COMPLETED_JOBS,
    )
    skills = {s.slug: s for s in Skill.objects.filter(slug__in={x.skill for x in spec.services})}
    for service in spec.services:
        ProgramService.objects.create(
            program=program,
            code=service.code,
            name=service.name,
            name_de=service.name_de,
            skill=skills[service.skill],
            fixed_price_minor=service.price_minor,
            duration_minutes=service.minutes,
            payer=service.payer,
            partner_share_percent=service.share,
        )
    ProgramRegion.objects.create(program=program, country=spec.country)
    for position, (title, body, questions) in enumerate(spec.lessons, start=1):
        lesson = Lesson.objects.create(program=program, position=position, title=title, body=body)
        for number, (prompt, choices, correct) in enumerate(questions, start=1):
            QuizQuestion.objects.create(
                lesson=lesson,
                position=number,
                prompt=prompt,
                choices=list(choices),
                correct_choice=correct,
            )
    return partner, program


def _qualify(program: Program, spec: PartnerSpec) -> None:
    """Demo helpers with one of the program's skills in its country: the eligible ones are
    qualified (training passed) except every fifth, who waits in the partner's queue; the
    others have applied and still need rated jobs."""
    from quartier.partners.facade import qualification_eligibility

    skills = {s.skill for s in spec.services}
    helpers = User.objects.filter(
        helper_profile__country=spec.country,
        helper_skills__skill__slug__in=skills,
        helper_profile__contractor_terms_accepted_at__isnull=False,
    ).distinct()
    now = timezone.now()
    for index, helper in enumerate(helpers.order_by("pk")):
        eligible = qualification_eligibility(helper, program).eligible
        qualified = eligible and index % 5 != 4
        qualification = Qualification.objects.create(
            program=program,
            helper=helper,
            state=QualificationState.QUALIFIED if qualified else QualificationState.APPLIED,
            training_passed_at=now if eligible else None,
        )
        qualification_pool_sync(qualification)


class _Cases:
    def __init__(
        self, rng: random.Random, partner: Partner, program: Program, spec: PartnerSpec
    ) -> None:
        self.rng = rng
        self.partner = partner
        self.program = program
        self.spec = spec
        self.slots: dict[int, int] = {}  # helper id -> bookings so far (no double booking)

    def play(self, count: int) -> None:
        for number in range(count):
            outcome = OUTCOMES[number % len(OUTCOMES)]
            case = self._create(number, future=outcome == "open")
            try:
                played = self._play(case, outcome)
            except QuartierError:  # nobody near enough: the case stays open, as in real life
                continue
            # Only a case that ran its course moves back in time: one still waiting keeps
            # today's SLA, which its dispatch's deadline shares.
            if played:
                self._backdate(case, outcome, days=self.rng.uniform(1, HISTORY_DAYS))

    def _create(self, number: int, *, future: bool) -> Case:
        service = self.rng.choice(self.spec.services)
        postcode = self.rng.choice(self.spec.places)
        # Every window starts ahead (the hour after next); open cases wait for a slot in
        # the coming days. Played cases are moved back in time afterwards.
        start = (timezone.now() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        end = None
        if future:
            start = (timezone.now() + timedelta(days=self.rng.randint(1, 3))).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            end = start + timedelta(hours=10)
        last = self.rng.choice(["Keller", "Huber", "Schmid", "Wagner", "Becker", "Frei"])
        first = self.rng.choice(["Anna", "Marco", "Lea", "Jonas", "Sophie", "Tim"])
        return case_create(
            partner=self.partner,
            program=self.program.slug,
            service_code=service.code,
            reference=f"{self.spec.slug[:3].upper()}-{24000 + number}",
            contact_name=f"{first} {last}",
            contact_email=f"{first.lower()}.{last.lower()}{number}@customers.{self.spec.domain}",
            contact_phone="+41 79 555 01 23" if self.spec.country == "CH" else "+49 30 5550123",
            country=self.spec.country,
            postcode=postcode,
            street_address=f"{self.rng.choice(['Bahnhofstrasse', 'Lindenweg'])} {number + 3}",
            description=self.rng.choice(
                [
                    "Nothing works since the move.",
                    "Please set it up; I am not good with technology.",
                    "Delivered yesterday, still in the boxes.",
                ]
            ),
            products=[{"kind": service.skill, "model": f"{self.spec.name} {service.name}"}],
            window_start=start,
            window_end=end,
        )

    def _play(self, case: Case, outcome: str) -> bool:
        """Play the case to `outcome`; False when it stays open (asked to, or nobody near)."""
        customer = case.request.customer
        assert customer is not None  # demo contacts are new addresses: their own accounts
        if outcome == "open":
            return False
        if outcome == "cancelled":
            request_cancel(actor=customer, request_id=case.request_id, reason="Solved it myself.")
            return True
        dispatch_first_wave(request_id=case.request_id)
        invitation = (
            Invitation.objects.filter(dispatch__request_id=case.request_id)
            .select_related("helper")
            .order_by("pk")
            .first()
        )
        if invitation is None:
            return False  # nobody qualified nearby: stays open
        helper = invitation.helper
        slot = self.slots.get(helper.pk, 0)
        self.slots[helper.pk] = slot + 1
        start = (timezone.now() + timedelta(hours=2 + 4 * slot)).replace(
            minute=0, second=0, microsecond=0
        )
        booking = invitation_accept(actor=helper, invitation_id=invitation.pk, proposed_start=start)
        demo_check_in(booking)
        if outcome == "escalated":
            case_escalate_by_helper(
                actor=helper,
                case_id=case.pk,
                note="The fibre socket is broken; this needs a technician.",
            )
            return True
        demo_visit_finish(booking)
        rating = self.rng.choices([5, 4, 3], weights=[70, 22, 8])[0]
        review_create(actor=customer, booking_id=booking.pk, rating=rating)
        if outcome == "closed":
            review_create(actor=helper, booking_id=booking.pk, rating=5)
        CaseNote.objects.create(
            case=case, author=helper, author_kind="helper", text="Done; showed the customer how."
        )
        return True

    def _backdate(self, case: Case, outcome: str, *, days: float) -> None:
        """Move the whole case back in time, the first offer some minutes after creation."""
        shift = timedelta(days=days)
        wait = timedelta(minutes=self.rng.randint(8, 200))
        request = JobRequest.objects.filter(pk=case.request_id)
        request.update(
            created_at=F("created_at") - shift,
            window_start=F("window_start") - shift,
            window_end=F("window_end") - shift,
        )
        RequestEvent.objects.filter(request_id=case.request_id).update(
            created_at=F("created_at") - shift
        )
        bookings = Booking.objects.filter(request_id=case.request_id)
        bookings.update(
            created_at=F("created_at") - shift,
            starts_at=F("starts_at") - shift,
            ends_at=F("ends_at") - shift,
        )
        bookings.filter(started_at__isnull=False).update(started_at=F("starts_at"))
        bookings.filter(completed_at__isnull=False).update(completed_at=F("ends_at"))
        bookings.filter(checked_out_at__isnull=False).update(checked_out_at=F("ends_at"))
        reviewed_at = Booking.objects.filter(pk=OuterRef("booking_id")).values("ends_at")[:1]
        Review.objects.filter(booking__request_id=case.request_id).update(
            created_at=Subquery(reviewed_at)
        )
        CaseNote.objects.filter(case=case).update(created_at=F("created_at") - shift)
        created = _minus(case.created_at, shift)
        Case.objects.filter(pk=case.pk).update(
            created_at=created,
            first_offer_due_at=F("first_offer_due_at") - shift,
            completion_due_at=F("completion_due_at") - shift,
            first_offer_at=None if outcome == "cancelled" else created + wait,
            escalated_at=F("escalated_at") - shift,  # stays NULL when not escalated
        )


def _minus(moment: datetime, shift: timedelta) -> datetime:
    return moment - shift
