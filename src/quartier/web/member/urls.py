"""Pages every signed-in member sees, whatever their role: the start page, a booking (both
parties: steps, review, problem report), messages and notifications."""

from django.urls import URLPattern, path

from . import (
    booking_views,
    calendar_views,
    change_views,
    dashboard_views,
    dispute_views,
    invoice_views,
    message_views,
    notification_views,
    plan_views,
    privacy_views,
    request_photo_views,
    review_views,
    series_views,
    settings_views,
    team_views,
    withdrawal_views,
)

urlpatterns: list[URLPattern] = [
    path(
        "requests/<int:request_id>/team-messages",
        team_views.team_message_post,
        name="team_message_post",
    ),
    path("me", dashboard_views.dashboard, name="dashboard"),
    path(
        "requests/<int:request_id>/photos/<int:photo_id>",
        request_photo_views.request_photo,
        name="request_photo",
    ),
    path(
        "me/suspension/appeal",
        dashboard_views.suspension_appeal_post,
        name="suspension_appeal",
    ),
    # one's account: details, photo, e-mail, password, roles
    path("me/settings", settings_views.account_settings, name="account_settings"),
    path(
        "me/settings/verification",
        settings_views.verification_resend_post,
        name="email_verification_resend",
    ),
    # one's own data: export, account deletion
    path("me/calendar", calendar_views.calendar, name="my_calendar"),
    path("me/calendar/revoke", calendar_views.calendar_revoke, name="my_calendar_revoke"),
    path("me/data", privacy_views.my_data, name="my_data"),
    path("me/data/export", privacy_views.my_data_export, name="my_data_export"),
    path("me/data/keep", privacy_views.my_data_keep, name="my_data_keep"),
    # bookings (both parties)
    path("bookings/<int:booking_id>", booking_views.booking_detail, name="booking_detail"),
    # recurring series (both sides)
    path("bookings/<int:booking_id>/repeat", series_views.series_new, name="series_new"),
    path("series", series_views.series_list, name="series_list"),
    path("series/<int:series_id>", series_views.series_detail, name="series_detail"),
    path("series/<int:series_id>/accept", series_views.accept, name="series_accept"),
    path("series/<int:series_id>/decline", series_views.decline, name="series_decline"),
    path("series/<int:series_id>/end", series_views.end, name="series_end"),
    path(
        "series/<int:series_id>/dates/<int:occurrence_id>/skip",
        series_views.skip,
        name="series_skip",
    ),
    path(
        "series/<int:series_id>/dates/<int:occurrence_id>/move",
        series_views.move,
        name="series_move",
    ),
    path("bookings/<int:booking_id>/start", booking_views.booking_start, name="booking_start"),
    path(
        "bookings/<int:booking_id>/complete",
        booking_views.booking_complete,
        name="booking_complete",
    ),
    path(
        "bookings/<int:booking_id>/sign-off",
        booking_views.booking_sign_off,
        name="booking_sign_off",
    ),
    path("bookings/<int:booking_id>/cancel", booking_views.booking_cancel, name="booking_cancel"),
    # before the visit and when plans change
    path("bookings/<int:booking_id>/contacted", plan_views.contacted, name="booking_contacted"),
    path("bookings/<int:booking_id>/confirm", plan_views.confirm, name="booking_confirm"),
    path("bookings/<int:booking_id>/on-my-way", plan_views.on_my_way, name="booking_on_my_way"),
    path(
        "bookings/<int:booking_id>/another-helper",
        plan_views.another_helper,
        name="booking_another_helper",
    ),
    path("bookings/<int:booking_id>/reschedule", plan_views.reschedule, name="booking_reschedule"),
    path("bookings/<int:booking_id>/no-show", plan_views.no_show, name="booking_no_show"),
    path(
        "bookings/<int:booking_id>/sign-off-code",
        plan_views.sign_off_code,
        name="booking_sign_off_code",
    ),
    path(
        "bookings/<int:booking_id>/sign-off-on-site",
        plan_views.sign_off_on_site_post,
        name="booking_sign_off_on_site",
    ),
    # A German consumer's rights: the declarations after checkout, and the withdrawal.
    path(
        "bookings/<int:booking_id>/start-consent",
        withdrawal_views.booking_start_consent,
        name="booking_start_consent",
    ),
    path(
        "bookings/<int:booking_id>/withdrawal",
        withdrawal_views.booking_withdrawal,
        name="booking_withdrawal",
    ),
    path(
        "bookings/<int:booking_id>/payment", booking_views.booking_payment, name="booking_payment"
    ),
    path("bookings/<int:booking_id>/review", booking_views.review_new, name="review_new"),
    path("bookings/<int:booking_id>/changes", change_views.change_new, name="change_new"),
    path(
        "bookings/<int:booking_id>/changes/<int:change_id>",
        change_views.change_answer,
        name="change_answer",
    ),
    path(
        "invoices/<int:invoice_id>/paid",
        invoice_views.invoice_paid_report,
        name="invoice_paid_report",
    ),
    path(
        "invoices/<int:invoice_id>/paid-confirm",
        invoice_views.invoice_paid_confirm,
        name="invoice_paid_confirm",
    ),
    path(
        "invoices/<int:invoice_id>/pursuit",
        invoice_views.invoice_pursuit,
        name="invoice_pursuit",
    ),
    path(
        "bookings/<int:booking_id>/reviews/<int:review_id>/reply",
        review_views.review_reply_new,
        name="review_reply",
    ),
    path(
        "bookings/<int:booking_id>/reviews/<int:review_id>/report",
        review_views.review_report_new,
        name="review_report",
    ),
    path("bookings/<int:booking_id>/problem", dispute_views.dispute_new, name="dispute_new"),
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
]
