"""What every staff page needs: the clock, the staff member and the page frame."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone

from amtstermin import scheduling
from amtstermin.backoffice.access import CLERK_WORK, CONFIGURING, PLANNING, STATISTICS, has_role
from amtstermin.booking import selectors
from amtstermin.booking.localtime import local_times
from amtstermin.booking.models import Office


def now() -> datetime:
    return timezone.now()


def today(office: Office) -> date:
    return now().astimezone(office.zone).date()


def staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def page_context(request: HttpRequest, office: Office | None, **extra: Any) -> dict[str, Any]:
    return {
        "office": office,
        "offices": selectors.staff_offices(request.user),
        "can_plan": has_role(request.user, PLANNING),
        "can_work": has_role(request.user, CLERK_WORK),
        "can_configure": has_role(request.user, CONFIGURING),
        "can_read_statistics": has_role(request.user, STATISTICS),
        **extra,
    }


def free_times(office: Office, days: list[scheduling.DayAvailability]) -> list[str]:
    """The free starts of the days as office-local ``HH:MM``."""
    return [text for found in days for text in local_times(found, office.zone)]
