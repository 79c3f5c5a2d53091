from django.urls import path

from amtstermin.citizen import views

app_name = "citizen"

urlpatterns = [
    path("manage/<str:token>/", views.manage, name="manage"),
]
