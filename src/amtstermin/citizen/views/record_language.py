"""Pages about one booking or one waitlist wish speak the language it was made in, whatever the
browser asks for, so the page, its e-mails and its .ics agree. The language switch on such a
page changes the record's language (and with it the later e-mails), not only the cookie."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from amtstermin.booking import selectors
from amtstermin.booking.errors import InvalidDetails
from amtstermin.booking.models import Appointment, WaitlistEntry
from amtstermin.booking.parsing import supported_language
from amtstermin.booking.record_language import record_language_set
from amtstermin.booking.waitlist_selectors import wish_by_token

from .base import not_found

Record = Appointment | WaitlistEntry
View = Callable[..., HttpResponse]


def _in_language(lookup: Callable[[str], Record | None], switch_url: str) -> Callable[[View], View]:
    """Look the record up by the token in the URL, then run the view in its language; the
    view gets the record after the request. Unknown tokens are "not found"."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            record = lookup(token)
            if record is None:
                return not_found(request)
            language = supported_language(record.language)
            with translation.override(language):
                request.LANGUAGE_CODE = language
                request.language_switch_url = reverse(switch_url, args=[token])  # type: ignore[attr-defined]
                response = view(request, record, token, *args, **kwargs)
            response.headers["Content-Language"] = language
            return response

        return wrapper

    return decorator


in_booking_language = _in_language(selectors.appointment_by_token, "citizen:manage_language")
in_wish_language = _in_language(wish_by_token, "citizen:wish_language")


def _switch(request: HttpRequest, record: Record, token: str, page: str) -> HttpResponse:
    language = request.POST.get("language", "")
    try:
        record_language_set(record=record, language=language)
    except InvalidDetails as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse(page, args=[token]))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse(page, args=[token])
    response = HttpResponseRedirect(target)
    # The rest of the site follows the choice too, as Django's own switch would.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@never_cache
@require_POST
@in_booking_language
def manage_language(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    return _switch(request, appointment, token, "citizen:manage")


@never_cache
@require_POST
@in_wish_language
def wish_language(request: HttpRequest, entry: WaitlistEntry, token: str) -> HttpResponse:
    return _switch(request, entry, token, "citizen:wish")
