"""The helper's pages: profile, skills, hours and absences, inbox, invitations and offers,
jobs, earnings, and partner programs (training, qualification, escalation)."""

from django.urls import URLPattern, path

from . import (
    absence_views,
    counter_views,
    invitation_views,
    journey_views,
    offer_views,
    payout_views,
    price_views,
    program_views,
    provider_views,
    statement_views,
    tax_views,
    vetting_views,
)

urlpatterns: list[URLPattern] = [
    path("helper/onboarding", journey_views.onboarding, name="helper_onboarding"),
    path("helper/payout/provider", provider_views.provider_connect, name="helper_provider_connect"),
    path("helper/area-preview", journey_views.area_preview, name="helper_area_preview"),
    path("helper/skills", journey_views.skills, name="helper_skills"),
    path("helper/skills/<slug:skill>/prices", price_views.skill_prices, name="helper_skill_prices"),
    path("helper/availability", journey_views.availability, name="helper_availability"),
    path("helper/absences", absence_views.absences, name="helper_absences"),
    path(
        "helper/absences/<int:absence_id>/remove",
        absence_views.absence_remove,
        name="helper_absence_remove",
    ),
    path("helper/inbox", journey_views.inbox, name="helper_inbox"),
    path(
        "helper/invitations/<int:invitation_id>/accept",
        invitation_views.accept,
        name="invitation_accept",
    ),
    path(
        "helper/invitations/<int:invitation_id>/offer",
        invitation_views.offer,
        name="invitation_offer",
    ),
    path(
        "helper/invitations/<int:invitation_id>/decline",
        invitation_views.decline,
        name="invitation_decline",
    ),
    path("helper/requests/<int:request_id>", offer_views.request_offer, name="helper_request"),
    path(
        "helper/offers/<int:offer_id>/withdraw",
        offer_views.offer_withdraw_view,
        name="helper_offer_withdraw",
    ),
    path(
        "helper/counters/<int:counter_id>/accept",
        counter_views.counter_accept_view,
        name="helper_counter_accept",
    ),
    path(
        "helper/counters/<int:counter_id>/withdraw",
        counter_views.counter_withdraw_view,
        name="helper_counter_withdraw",
    ),
    path("helper/requests/<int:request_id>/why-not", journey_views.why_not, name="helper_why_not"),
    path("helper/bookings", journey_views.bookings, name="helper_bookings"),
    path("helper/earnings", statement_views.earnings, name="helper_earnings"),
    path("helper/payout", payout_views.payout_profile, name="helper_payout"),
    path("helper/tax-reporting", tax_views.tax_data, name="helper_tax"),
    path("helper/checks", vetting_views.vetting, name="helper_vetting"),
    path(
        "helper/checks/<int:check_id>/answer",
        vetting_views.vetting_answer,
        name="helper_vetting_answer",
    ),
    path(
        "helper/tax-reporting/alerts/<int:alert_id>",
        tax_views.alert_answer,
        name="helper_tax_alert",
    ),
    # partner programs (helper side)
    path("helper/programs", program_views.program_list, name="helper_programs"),
    path("helper/programs/<int:program_id>", program_views.program_detail, name="helper_program"),
    path(
        "helper/programs/<int:program_id>/apply",
        program_views.program_apply,
        name="helper_program_apply",
    ),
    path("helper/lessons/<int:lesson_id>", program_views.lesson, name="helper_lesson"),
    path(
        "helper/cases/<int:case_id>/escalate",
        program_views.case_escalate,
        name="helper_case_escalate",
    ),
]
