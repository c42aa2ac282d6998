"""The site's URLs, with the dispatch router mounted in front at /api/v1/ for the API tests
(harmless once quartier.api mounts it too: the routes are the same)."""

from django.urls import path
from ninja import NinjaAPI

from quartier.dispatch.api import router
from quartier.problems import install_problem_handlers
from quartier.urls import urlpatterns as site_urlpatterns

api = NinjaAPI(title="dispatch (tests)", urls_namespace="api-v1-dispatch-tests")
install_problem_handlers(api)
api.add_router("", router)

urlpatterns = [path("api/v1/", api.urls), *site_urlpatterns]
