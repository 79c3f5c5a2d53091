"""The API speaks the language its caller asks for in ``Accept-Language``, and only that: no
language cookie or session of the booking pages decides it (a town's web site calls the API for
its own visitors). The best language the site speaks is used, German when none fits; Django's
``LocaleMiddleware`` then names it in ``Content-Language`` and adds ``Vary: Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def language_from_header(header: str) -> str:
    """The first language of ``Accept-Language`` (by its weights) that the site speaks, a
    regional variant as its language (``tr-TR``: ``tr``); else the default."""
    for code, _weight in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


class ApiLanguageMiddleware:
    """After ``LocaleMiddleware``: for the API, the header alone chooses the language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            language = language_from_header(request.headers.get("Accept-Language", ""))
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def document_content_language(schema: dict[str, Any]) -> dict[str, Any]:
    """Every documented answer names its language in ``Content-Language``."""
    codes = [code for code, _name in settings.LANGUAGES]
    header = {
        "description": "The language of the answer's texts: the first language of "
        "Accept-Language that the site speaks, else German (de). The office's own texts "
        "that are not translated into it yet come in German.",
        "schema": {"type": "string", "enum": codes},
    }
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                response.setdefault("headers", {})["Content-Language"] = header
    return schema
