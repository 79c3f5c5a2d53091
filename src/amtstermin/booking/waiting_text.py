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
