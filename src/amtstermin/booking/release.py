"""When days become bookable online: the window slides at midnight, or, if the office sets a
release time, each working day at that time the day ``horizon_days`` ahead is released (as
large cities publish, so that nobody has to refresh the page all night). "Bookable from"
starts the horizon: with 14 December and 14 days, citizens see 14 to 27 December.

The waitlist sees each day ``WAITLIST_LEAD`` earlier (``selectors.booking_window(waitlist=True)``):
its sweep, which runs more often than that (``waitlist_tasks.SWEEP_MINUTES``), offers the new
day's times to the waiting wishes before citizens can book the day; citizens follow the release
to the second."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from amtstermin.booking.models import Office

_LOOK_BACK = 15  # working days are never that far apart, even over Christmas and Easter
WAITLIST_LEAD = timedelta(minutes=15)  # the waitlist sees a released day this much earlier


@dataclass(frozen=True)
class Release:
    moment: datetime  # when the next days are released (office-local)
    up_to: date  # the last bookable day from then on


def _is_working_day(office: Office, day: date) -> bool:
    return day.weekday() < 5 and day not in office.public_holidays(range(day.year, day.year + 1))


def _released_on(office: Office, day: date) -> datetime:
    assert office.release_time is not None
    return datetime.combine(day, office.release_time, tzinfo=office.zone)


def _last_release_day(office: Office, now: datetime) -> date:
    """The latest working day whose release has happened by ``now``."""
    today = now.astimezone(office.zone).date()
    for back in range(_LOOK_BACK):
        day = today - timedelta(days=back)
        if _is_working_day(office, day) and _released_on(office, day) <= now:
            return day
    return today - timedelta(days=_LOOK_BACK)


def last_bookable_day(office: Office, now: datetime) -> date:
    """The last day citizens may book online at ``now``."""
    if office.release_time is None:
        reference = now.astimezone(office.zone).date()
    else:
        reference = _last_release_day(office, now)
    if office.bookable_from is not None:
        reference = max(reference, office.bookable_from - timedelta(days=1))
    return reference + timedelta(days=office.horizon_days)


def next_release(office: Office, now: datetime) -> Release | None:
    """The next moment that makes further days bookable (None: the window slides at
    midnight)."""
    if office.release_time is None:
        return None
    day = now.astimezone(office.zone).date()
    for _ in range(_LOOK_BACK + 1):
        if _is_working_day(office, day) and _released_on(office, day) > now:
            moment = _released_on(office, day)
            return Release(moment=moment, up_to=last_bookable_day(office, moment))
        day += timedelta(days=1)
    return None
