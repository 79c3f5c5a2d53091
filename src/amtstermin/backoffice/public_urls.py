from django.urls import path

from amtstermin.backoffice import public

app_name = "counterdisplay"

urlpatterns = [
    path("kiosk/<int:office_id>/", public.kiosk, name="kiosk"),
    path("display/<int:office_id>/", public.display, name="display"),
    path("display/<int:office_id>/calls.json", public.display_calls, name="calls"),
]
