"""The customer's requests and the offers on them."""

from django.urls import URLPattern, path

from . import request_views

urlpatterns: list[URLPattern] = [
    path("requests", request_views.request_list, name="request_list"),
    path("requests/new", request_views.request_new, name="request_new"),
    path("requests/<int:request_id>", request_views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/cancel", request_views.request_cancel, name="request_cancel"),
    path("offers/<int:offer_id>/accept", request_views.offer_accept, name="offer_accept"),
]
