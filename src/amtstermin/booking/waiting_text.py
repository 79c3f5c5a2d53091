"""The one sentence that tells a citizen how long the wait will be (kiosk, ticket page, API
clients get the minutes)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amtstermin.scheduling.queue import WaitRange


def wait_sentence(wait: WaitRange | None, *, appointment: bool = False) -> str:
    if appointment:
        return _("You will be called around the time of your appointment.")
    if wait is None:
        return _("No counter for this is open at the moment.")
    if wait.low == 0:
        return _("Estimated wait: less than %(high)d minutes.") % {"high": wait.high}
    return _("Estimated wait: about %(low)d–%(high)d minutes.") % {
        "low": wait.low,
        "high": wait.high,
    }


def queue_line(public: dict[str, object]) -> str:
    """The start page's line about walk-ins, from ``queue_selectors.public_queue``; empty while
    the office is closed."""
    if not public.get("open"):
        return ""
    minutes = public.get("estimated_wait_minutes")
    waiting = public.get("waiting")
    if not isinstance(minutes, int) or not isinstance(waiting, int):
        return _("Without an appointment: no counter for walk-ins is free today.")
    if minutes <= 0:
        return _("Without an appointment: %(waiting)d waiting, hardly any wait now.") % {
            "waiting": waiting
        }
    return _(
        "Without an appointment: %(waiting)d waiting, about %(minutes)d minutes' wait now."
    ) % {
        "waiting": waiting,
        "minutes": minutes,
    }
