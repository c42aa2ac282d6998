"""The web app's pages. Mounted at the site root: `path("", include("quartier.web.urls"))`."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    absence_views,
    account_views,
    booking_views,
    branded_views,
    case_contact_views,
    customer_views,
    directory_views,
    dispute_views,
    helper_views,
    invitation_views,
    message_views,
    notification_views,
    partner_settings_views,
    partner_views,
    pro_views,
    program_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("me", views.dashboard, name="dashboard"),
    path("postcodes/suggest", views.postcode_suggest, name="postcode_suggest"),
    # accounts
    path("signup", account_views.signup, name="signup"),
    path("login", account_views.LogIn.as_view(), name="login"),
    path("logout", account_views.LogOut.as_view(), name="logout"),
    path(
        "me/tokens/<int:token_id>/remove",
        account_views.api_token_remove,
        name="api_token_revoke",
    ),
    path(
        "cases/confirm/<str:token>",
        case_contact_views.case_contact_confirm,
        name="case_contact_confirm",
    ),
    path("password/reset", account_views.PasswordReset.as_view(), name="password_reset"),
    path(
        "password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(template_name="web/password/reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password/set/<uidb64>/<token>",
        account_views.PasswordSet.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/set/done",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/password/reset_done.html"),
        name="password_reset_complete",
    ),
    # customer
    path("requests", customer_views.request_list, name="request_list"),
    path("requests/new", customer_views.request_new, name="request_new"),
    path("requests/<int:request_id>", customer_views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/cancel", customer_views.request_cancel, name="request_cancel"),
    path("offers/<int:offer_id>/accept", customer_views.offer_accept, name="offer_accept"),
    # bookings (both parties)
    path("bookings/<int:booking_id>", booking_views.booking_detail, name="booking_detail"),
    path("bookings/<int:booking_id>/start", booking_views.booking_start, name="booking_start"),
    path(
        "bookings/<int:booking_id>/complete",
        booking_views.booking_complete,
        name="booking_complete",
    ),
    path("bookings/<int:booking_id>/cancel", booking_views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/review", booking_views.review_new, name="review_new"),
    path("bookings/<int:booking_id>/problem", dispute_views.dispute_new, name="dispute_new"),
    # helper
    path("helper/onboarding", helper_views.onboarding, name="helper_onboarding"),
    path("helper/area-preview", helper_views.area_preview, name="helper_area_preview"),
    path("helper/skills", helper_views.skills, name="helper_skills"),
    path("helper/availability", helper_views.availability, name="helper_availability"),
    path("helper/absences", absence_views.absences, name="helper_absences"),
    path(
        "helper/absences/<int:absence_id>/remove",
        absence_views.absence_remove,
        name="helper_absence_remove",
    ),
    path("helper/inbox", helper_views.inbox, name="helper_inbox"),
    path(
        "helper/invitations/<int:invitation_id>/accept",
        invitation_views.accept,
        name="invitation_accept",
    ),
    path(
        "helper/invitations/<int:invitation_id>/decline",
        invitation_views.decline,
        name="invitation_decline",
    ),
    path("helper/requests/<int:request_id>", helper_views.request_offer, name="helper_request"),
    path("helper/requests/<int:request_id>/why-not", helper_views.why_not, name="helper_why_not"),
    path("helper/bookings", helper_views.bookings, name="helper_bookings"),
    path("helper/earnings", helper_views.earnings, name="helper_earnings"),
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
    # the public directory
    path("helpers", directory_views.search, name="helper_search"),
    path("helpers/<int:helper_id>", directory_views.profile, name="helper_profile"),
    # notifications
    path("notifications", notification_views.inbox, name="notifications"),
    path("notifications/read", notification_views.mark_read, name="notifications_read"),
    # messages (customer and helper)
    path("messages", message_views.inbox, name="messages"),
    path(
        "messages/<int:request_id>/<int:helper_id>",
        message_views.conversation,
        name="conversation",
    ),
    path(
        "messages/<int:request_id>/<int:helper_id>/list",
        message_views.conversation_messages,
        name="conversation_messages",
    ),
    path("messages/report/<int:message_id>", message_views.message_report, name="message_report"),
    # pro
    path("pro/company", pro_views.company, name="pro_company"),
    # partner area (members of the partner and operators)
    path("partner/", partner_views.partner_index, name="partner_index"),
    path("partner/<slug:slug>/", partner_views.dashboard, name="partner_dashboard"),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/",
        partner_views.case_detail,
        name="partner_case",
    ),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/note",
        partner_views.case_note,
        name="partner_case_note",
    ),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/cancel",
        partner_views.case_cancel_view,
        name="partner_case_cancel",
    ),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/photos/<int:photo_id>",
        partner_views.case_photo_view,
        name="partner_case_photo",
    ),
    path("partner/<slug:slug>/reports/", partner_views.reports, name="partner_reports"),
    path("partner/<slug:slug>/reports.csv", partner_views.reports_csv, name="partner_reports_csv"),
    path(
        "partner/<slug:slug>/settings/",
        partner_settings_views.settings_page,
        name="partner_settings",
    ),
    path(
        "partner/<slug:slug>/settings/keys",
        partner_settings_views.key_create,
        name="partner_key_create",
    ),
    path(
        "partner/<slug:slug>/settings/keys/<int:key_id>/rotate",
        partner_settings_views.key_rotate,
        name="partner_key_rotate",
    ),
    path(
        "partner/<slug:slug>/settings/keys/<int:key_id>/revoke",
        partner_settings_views.key_revoke,
        name="partner_key_revoke",
    ),
    path(
        "partner/<slug:slug>/settings/endpoints",
        partner_settings_views.endpoint_create,
        name="partner_endpoint_create",
    ),
    path(
        "partner/<slug:slug>/settings/endpoints/<int:endpoint_id>/<str:action>",
        partner_settings_views.endpoint_action,
        name="partner_endpoint_action",
    ),
    path(
        "partner/<slug:slug>/settings/deliveries/<int:delivery_id>/redeliver",
        partner_settings_views.delivery_redeliver,
        name="partner_delivery_redeliver",
    ),
    path(
        "partner/<slug:slug>/settings/qualifications/<int:qualification_id>/<str:decision>",
        partner_settings_views.qualification_decide,
        name="partner_qualification_decide",
    ),
    # a partner's branded entry page and widget (public)
    path("p/<slug:slug>/", branded_views.branded, name="branded"),
    path("p/<slug:slug>/embed/", branded_views.branded_embed, name="branded_embed"),
    path("p/<slug:slug>/widget.js", branded_views.widget_js, name="branded_widget"),
    path("p/<slug:slug>/logo", branded_views.branded_logo, name="branded_logo"),
]
