from django.contrib import admin
from django.urls import include, path

from quartier import health, metrics
from quartier.api import api
from quartier.cards.views import provider_webhook

admin.site.site_header = "Quartier back office"
admin.site.site_title = "Quartier back office"
admin.site.index_title = "Operations"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    # Before the pages: an API call is then not tried against every page's pattern first.
    path("api/v1/", api.urls),
    path("", include("quartier.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("webhooks/stripe/", provider_webhook, name="provider_webhook"),
]
