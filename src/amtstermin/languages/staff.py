"""The back office speaks German and English: staff pages never follow a citizen's choice of one
of the other languages (a shared kiosk or a clerk's browser may carry it)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

STAFF_LANGUAGES = ("de", "en")
STAFF_PREFIXES = ("/backoffice/", "/admin/")


class StaffLanguageMiddleware:
    """After ``LocaleMiddleware``: on a staff page, any language but German or English becomes
    German (``settings.LANGUAGE_CODE``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(STAFF_PREFIXES):
            active = (translation.get_language() or "").split("-")[0]
            if active not in STAFF_LANGUAGES:
                translation.activate(settings.LANGUAGE_CODE)
                request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
