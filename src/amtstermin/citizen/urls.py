from django.urls import include, path

from amtstermin.citizen.views import (
    booking,
    confirmation,
    legal,
    manage,
    record_language,
    ticket,
    waitlist,
)

app_name = "citizen"

urlpatterns = [
    path("", booking.start, name="start"),
    path("o/<int:office_id>/", booking.office_page, name="office"),
    path("o/<int:office_id>/time/", booking.time_page, name="time"),
    path("o/<int:office_id>/hold/", booking.hold, name="hold"),
    path("o/<int:office_id>/privacy/", legal.privacy, name="privacy"),
    path("o/<int:office_id>/accessibility/", legal.accessibility, name="accessibility"),
    path("o/<int:office_id>/leichte-sprache/", legal.easy_language, name="easy_language"),
    path("booking/details/", booking.details, name="details"),
    path("booking/extend/", booking.extend, name="extend"),
    path("booking/review/", booking.review, name="review"),
    path("booking/done/", booking.done, name="done"),
    # The manage link is a contract (e-mails, the API build it): keep its name and path.
    path("manage/<str:token>/", manage.manage, name="manage"),
    path("confirm/<str:token>/", confirmation.confirm, name="confirm"),
    path("manage/<str:token>/cancel/", manage.cancel, name="cancel"),
    path("manage/<str:token>/move/", manage.move, name="move"),
    path("manage/<str:token>/calendar.ics", manage.calendar, name="calendar"),
    path("manage/<str:token>/language/", record_language.manage_language, name="manage_language"),
    path("t/<str:token>/", ticket.ticket_page, name="ticket"),
    path("t/<str:token>/status.json", ticket.ticket_status, name="ticket_status"),
    path("t/<str:token>/leave/", ticket.ticket_leave, name="ticket_leave"),
    path("o/<int:office_id>/waitlist/", waitlist.wish_new, name="wish_new"),
    path("o/<int:office_id>/waitlist/sent/", waitlist.wish_sent, name="wish_sent"),
    # The e-mails' one link: the page with the buttons.
    path("waitlist/<str:token>/", waitlist.wish, name="wish"),
    path("waitlist/<str:token>/confirm/", waitlist.wish_confirm, name="wish_confirm"),
    path("waitlist/<str:token>/accept/", waitlist.wish_accept, name="wish_accept"),
    path("waitlist/<str:token>/decline/", waitlist.wish_decline, name="wish_decline"),
    path("waitlist/<str:token>/withdraw/", waitlist.wish_withdraw, name="wish_withdraw"),
    path("waitlist/<str:token>/language/", record_language.wish_language, name="wish_language"),
    path("i18n/", include("django.conf.urls.i18n")),
]
