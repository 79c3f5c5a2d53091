from django.contrib.auth import views as auth_views
from django.urls import path

from amtstermin.backoffice import security
from amtstermin.backoffice.forms import StaffLoginForm
from amtstermin.backoffice.views import (
    configuration,
    day,
    devices,
    phone,
    planning,
    queue,
    reports,
    texts,
)

app_name = "backoffice"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="backoffice/login.html",
            authentication_form=StaffLoginForm,
            redirect_authenticated_user=True,
            next_page="backoffice:home",
        ),
        name="login",
    ),
    path("login/verify/", security.verify, name="verify"),
    path("security/", security.security, name="security"),
    path("logout/", auth_views.LogoutView.as_view(next_page="backoffice:login"), name="logout"),
    path("", day.home, name="home"),
    path("<int:office_id>/day/", day.day_plan, name="today"),
    path("<int:office_id>/day/<str:day>/", day.day_plan, name="day"),
    path(
        "<int:office_id>/appointment/<int:appointment_id>/move/",
        day.appointment_move,
        name="move",
    ),
    path(
        "<int:office_id>/appointment/<int:appointment_id>/confirmation/",
        day.confirmation,
        name="confirmation",
    ),
    path(
        "<int:office_id>/appointment/<int:appointment_id>/ticket/",
        day.ticket_slip,
        name="ticket_slip",
    ),
    path(
        "<int:office_id>/appointment/<int:appointment_id>/<str:action>/",
        day.appointment_action,
        name="action",
    ),
    path("<int:office_id>/book/", phone.book, name="book"),
    path("<int:office_id>/absences/", planning.absences, name="absences"),
    path("<int:office_id>/absences/<str:kind>/<int:pk>/", planning.absence, name="absence"),
    path(
        "<int:office_id>/absences/<str:kind>/<int:pk>/move/",
        planning.absence_move,
        name="absence_move",
    ),
    path(
        "<int:office_id>/absences/<str:kind>/<int:pk>/calls/",
        planning.absence_calls,
        name="absence_calls",
    ),
    path("<int:office_id>/audit/", reports.audit, name="audit"),
    path("<int:office_id>/audit/csv/", reports.audit_csv, name="audit_csv"),
    path("<int:office_id>/mail/", reports.mail, name="mail"),
    path("<int:office_id>/mail/<int:message_id>/resend/", reports.mail_resend, name="mail_resend"),
    path("<int:office_id>/queue/", queue.queue, name="queue"),
    path(
        "<int:office_id>/configuration/", configuration.counters_and_services, name="configuration"
    ),
    path("<int:office_id>/devices/", devices.device_list, name="devices"),
    path("<int:office_id>/translations/", texts.untranslated, name="untranslated"),
]
