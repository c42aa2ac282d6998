"""The professional's company page (company details and staff)."""

from django.urls import URLPattern, path

from . import company_views

urlpatterns: list[URLPattern] = [
    path("pro/company", company_views.company, name="pro_company"),
]
