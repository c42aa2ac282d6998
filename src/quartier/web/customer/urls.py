"""The customer's requests and the offers on them."""

from django.urls import URLPattern, path

from . import (
    card_views,
    checkout_views,
    choose_views,
    counter_views,
    household_views,
    request_change_views,
    request_views,
)

urlpatterns: list[URLPattern] = [
    path("requests", request_views.request_list, name="request_list"),
    path("requests/new", request_views.request_new, name="request_new"),
    path("requests/<int:request_id>", request_views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/cancel", request_views.request_cancel, name="request_cancel"),
    # Choosing a helper yourself.
    path("requests/<int:request_id>/invite", choose_views.request_invite, name="request_invite"),
    path(
        "requests/<int:request_id>/book-now",
        choose_views.request_book_now,
        name="request_book_now",
    ),
    path("helpers/<int:helper_id>/ask", choose_views.helper_ask, name="helper_ask"),
    path("bookings/<int:booking_id>/again", choose_views.booking_again, name="booking_again"),
    path("favourites", choose_views.favourites, name="favourites"),
    path("favourites/<int:helper_id>", choose_views.favourite_toggle, name="favourite_toggle"),
    path("requests/<int:request_id>/edit", request_change_views.request_edit, name="request_edit"),
    path(
        "requests/<int:request_id>/photos",
        request_change_views.request_photos_add_view,
        name="request_photos_add",
    ),
    path(
        "requests/<int:request_id>/photos/<int:photo_id>/remove",
        request_change_views.request_photo_remove_view,
        name="request_photo_remove",
    ),
    # The checkout (GET) and the booking it ends in (POST).
    path("offers/<int:offer_id>/accept", checkout_views.offer_checkout, name="offer_accept"),
    # One counter-offer (price, time or both) to an open offer.
    path("offers/<int:offer_id>/counter", counter_views.offer_counter, name="offer_counter"),
    # Paying by card: save it on the payment provider's page.
    path("bookings/<int:booking_id>/card", card_views.booking_card, name="booking_card"),
    # A household: delegates who act for a member.
    path("me/household", household_views.household, name="household"),
    path(
        "me/household/<int:delegation_id>/answer",
        household_views.delegation_answer,
        name="delegation_answer",
    ),
    path(
        "me/household/<int:delegation_id>/end",
        household_views.delegation_end,
        name="delegation_end",
    ),
]
