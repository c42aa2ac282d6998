"""The site's URLs plus the web app and Django's language switcher, as src/quartier/urls.py
will mount them (`path("", include("quartier.web.urls"))`, `path("i18n/", ...)`)."""

from django.urls import include, path

from quartier.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("", include("quartier.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *site_urlpatterns,
]
