"""Links in e-mails: absolute, on the address the town serves the site at."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    return f"{settings.AMTSTERMIN_BASE_URL}{path}"
