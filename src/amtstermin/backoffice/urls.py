from django.contrib.auth import views as auth_views
from django.urls import path

from amtstermin.backoffice import security, views
from amtstermin.backoffice.forms import StaffLoginForm

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
    path("", views.home, name="home"),
    path("<int:office_id>/day/", views.day_plan, name="today"),
    path("<int:office_id>/day/<str:day>/", views.day_plan, name="day"),
    path(
        "<int:office_id>/appointment/<int:appointment_id>/move/",
        views.appointment_move,
        name="move",
    ),
    path(
        "<int:office_id>/appointment/<int:appointment_id>/confirmation/",
        views.confirmation,
        name="confirmation",
    ),
    path(
        "<int:office_id>/appointment/<int:appointment_id>/<str:action>/",
        views.appointment_action,
        name="action",
    ),
    path("<int:office_id>/book/", views.book, name="book"),
    path("<int:office_id>/absences/", views.absences, name="absences"),
    path("<int:office_id>/absences/<str:kind>/<int:pk>/", views.absence, name="absence"),
    path("<int:office_id>/audit/", views.audit, name="audit"),
    path("<int:office_id>/mail/", views.mail, name="mail"),
    path("<int:office_id>/mail/<int:message_id>/resend/", views.mail_resend, name="mail_resend"),
    path("<int:office_id>/statistics/", views.statistics, name="statistics"),
    path("<int:office_id>/queue/", views.queue, name="queue"),
]
