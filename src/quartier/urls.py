from django.contrib import admin
from django.urls import path

from quartier.api import api
from quartier.web import views

admin.site.site_header = "Quartier back office"
admin.site.site_title = "Quartier back office"
admin.site.index_title = "Operations"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
