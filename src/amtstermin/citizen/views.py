"""Public pages: pick services, day and time, details, confirmation, manage link."""

from django.http import HttpRequest, HttpResponse


def manage(request: HttpRequest, token: str) -> HttpResponse:
    raise NotImplementedError  # being written: the manage page (issue 3)
