from django.urls import include, path

from amtstermin.citizen import confirmation, views

app_name = "citizen"

urlpatterns = [
    path("", views.start, name="start"),
    path("o/<int:office_id>/", views.office_page, name="office"),
    path("o/<int:office_id>/time/", views.time_page, name="time"),
    path("o/<int:office_id>/hold/", views.hold, name="hold"),
    path("o/<int:office_id>/privacy/", views.privacy, name="privacy"),
    path("o/<int:office_id>/accessibility/", views.accessibility, name="accessibility"),
    path("booking/details/", views.details, name="details"),
    path("booking/extend/", views.extend, name="extend"),
    path("booking/review/", views.review, name="review"),
    path("booking/done/", views.done, name="done"),
    # The manage link is a contract (e-mails, the API build it): keep its name and path.
    path("manage/<str:token>/", views.manage, name="manage"),
    path("confirm/<str:token>/", confirmation.confirm, name="confirm"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
    path("manage/<str:token>/move/", views.move, name="move"),
    path("manage/<str:token>/calendar.ics", views.calendar, name="calendar"),
    path("i18n/", include("django.conf.urls.i18n")),
]
