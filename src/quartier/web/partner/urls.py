"""The partner area, for members of the partner and operators: dashboard, cases, reports,
settings (API keys, webhook endpoints and deliveries, helper qualifications)."""

from django.urls import URLPattern, path

from . import dashboard_views, settings_views, statement_views

urlpatterns: list[URLPattern] = [
    path("partner/", dashboard_views.partner_index, name="partner_index"),
    path("partner/<slug:slug>/", dashboard_views.dashboard, name="partner_dashboard"),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/",
        dashboard_views.case_detail,
        name="partner_case",
    ),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/note",
        dashboard_views.case_note,
        name="partner_case_note",
    ),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/cancel",
        dashboard_views.case_cancel_view,
        name="partner_case_cancel",
    ),
    path(
        "partner/<slug:slug>/cases/<int:case_id>/photos/<int:photo_id>",
        dashboard_views.case_photo_view,
        name="partner_case_photo",
    ),
    path("partner/<slug:slug>/reports/", dashboard_views.reports, name="partner_reports"),
    path(
        "partner/<slug:slug>/reports.csv", dashboard_views.reports_csv, name="partner_reports_csv"
    ),
    path(
        "partner/<slug:slug>/statements/",
        statement_views.statements,
        name="partner_statements",
    ),
    path(
        "partner/<slug:slug>/statements/account",
        statement_views.account_save,
        name="partner_statement_account",
    ),
    path(
        "partner/<slug:slug>/statements/files",
        statement_views.file_create,
        name="partner_statement_file_create",
    ),
    path(
        "partner/<slug:slug>/statements/files/<int:file_id>.xml",
        statement_views.file_download,
        name="partner_statement_file",
    ),
    path(
        "partner/<slug:slug>/statements/files/<int:file_id>/paid",
        statement_views.file_paid,
        name="partner_statement_file_paid",
    ),
    path(
        "partner/<slug:slug>/settings/",
        settings_views.settings_page,
        name="partner_settings",
    ),
    path(
        "partner/<slug:slug>/settings/keys",
        settings_views.key_create,
        name="partner_key_create",
    ),
    path(
        "partner/<slug:slug>/settings/keys/<int:key_id>/rotate",
        settings_views.key_rotate,
        name="partner_key_rotate",
    ),
    path(
        "partner/<slug:slug>/settings/keys/<int:key_id>/revoke",
        settings_views.key_revoke,
        name="partner_key_revoke",
    ),
    path(
        "partner/<slug:slug>/settings/endpoints",
        settings_views.endpoint_create,
        name="partner_endpoint_create",
    ),
    path(
        "partner/<slug:slug>/settings/endpoints/<int:endpoint_id>/<str:action>",
        settings_views.endpoint_action,
        name="partner_endpoint_action",
    ),
    path(
        "partner/<slug:slug>/settings/deliveries/<int:delivery_id>/redeliver",
        settings_views.delivery_redeliver,
        name="partner_delivery_redeliver",
    ),
    path(
        "partner/<slug:slug>/settings/qualifications/<int:qualification_id>/<str:decision>",
        settings_views.qualification_decide,
        name="partner_qualification_decide",
    ),
]
