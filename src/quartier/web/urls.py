"""The web app's pages. Mounted at the site root: `path("", include("quartier.web.urls"))`.

One URL list per audience, each in its sub-package; every route is named `web:<name>`.
Operators work in the Django admin (each context's `admin.py`); `admin_templates/` and
`templatetags/back_office.py` dress it, so there is no operator package here.
"""

from django.urls import URLResolver, include, path

app_name = "web"

urlpatterns: list[URLResolver] = [
    path("", include("quartier.web.public.urls")),
    path("", include("quartier.web.member.urls")),
    path("", include("quartier.web.customer.urls")),
    path("", include("quartier.web.helper.urls")),
    path("", include("quartier.web.pro.urls")),
    path("", include("quartier.web.partner.urls")),
]
