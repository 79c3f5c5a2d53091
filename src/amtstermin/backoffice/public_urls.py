from django.urls import path

from amtstermin.backoffice import public

app_name = "counterdisplay"

urlpatterns = [
    # The old open links by office id answer 403: only paired devices may use these pages.
    path("kiosk/<int:office_id>/", public.refused, name="kiosk_unpaired"),
    path("display/<int:office_id>/", public.refused, name="display_unpaired"),
    path("display/<int:office_id>/calls.json", public.refused, name="calls_unpaired"),
    path("kiosk/<str:token>/", public.kiosk, name="kiosk"),
    path("display/<str:token>/", public.display, name="display"),
    path("display/<str:token>/calls.json", public.display_calls, name="calls"),
]
