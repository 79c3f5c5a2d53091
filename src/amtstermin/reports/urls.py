from django.urls import path

from amtstermin.reports import views

app_name = "reports"

urlpatterns = [
    path("backoffice/<int:office_id>/statistics/", views.statistics, name="overview"),
    path(
        "backoffice/<int:office_id>/statistics/durations/<int:service_id>/apply/",
        views.apply_duration,
        name="apply_duration",
    ),
    path("backoffice/<int:office_id>/statistics/<slug:page>/", views.statistics, name="page"),
    path(
        "backoffice/<int:office_id>/statistics/<slug:page>/csv/<slug:section>/",
        views.statistics_csv,
        name="csv",
    ),
    path("o/<int:office_id>/waiting-times/", views.transparency, name="transparency"),
]
