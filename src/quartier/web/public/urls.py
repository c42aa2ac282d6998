"""Pages anyone may open: home, sign-up, log-in and passwords, the directory, a partner's
branded page and widget, the case-contact confirmation."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from . import (
    account_link_views,
    account_views,
    branded_views,
    calendar_views,
    case_contact_views,
    directory_views,
    home_views,
    legal_views,
    source_views,
)

urlpatterns: list[URLPattern] = [
    path("", home_views.home, name="home"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("postcodes/suggest", home_views.postcode_suggest, name="postcode_suggest"),
    # legal texts, linked from every page's footer
    path("legal/accept", legal_views.legal_accept_pending, name="legal_accept"),
    path("legal/<slug:slug>", legal_views.legal_page, name="legal"),
    # the code this site runs (GNU AGPL § 13)
    path("source.tar.gz", source_views.source, name="source"),
    # a member's private calendar feed (the address is the credential)
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
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
    # links e-mailed about an account, and members' profile photos
    path("email/verify/<str:token>", account_link_views.email_verify_link, name="email_verify"),
    path(
        "email/change/<str:token>",
        account_link_views.email_change_link,
        name="email_change_confirm",
    ),
    path("people/<int:user_id>/photo", account_link_views.member_photo, name="member_photo"),
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
    # the public directory
    path("helpers", directory_views.search, name="helper_search"),
    path("helpers/<int:helper_id>", directory_views.profile, name="helper_profile"),
    # a partner's branded entry page and widget
    path("p/<slug:slug>/", branded_views.branded, name="branded"),
    path("p/<slug:slug>/embed/", branded_views.branded_embed, name="branded_embed"),
    path("p/<slug:slug>/widget.js", branded_views.widget_js, name="branded_widget"),
    path("p/<slug:slug>/logo", branded_views.branded_logo, name="branded_logo"),
]
