"""Routing: public pages, staff pages, API, health check."""

from django.contrib import admin
from django.urls import include, path

from amtstermin.api.routes import api
from amtstermin.health import healthz

admin.site.site_header = "Amtstermin"
admin.site.site_title = "Amtstermin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("amtstermin.reports.urls")),  # statistics (staff) and waiting times
    path("backoffice/", include("amtstermin.backoffice.urls")),
    path("", include("amtstermin.backoffice.public_urls")),
    path("", include("amtstermin.citizen.urls")),
]
