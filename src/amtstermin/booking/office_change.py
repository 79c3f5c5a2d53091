"""What an appointment records when it is moved or cancelled: whether the office did it (the
citizen's e-mail says so, with the office's reason), the start it had before a move, and whether
someone must phone the citizen, who has no e-mail address (the call list).

The booking services set these fields in the transaction of the move or cancellation, so the
e-mail queued there and the call list read the same facts.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from amtstermin.booking.models import Appointment

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_reason(reason: str) -> str:
    """One line of at most 300 characters, as the citizen reads it."""
    return _CONTROL.sub(" ", reason).strip()[:300]


def fields(
    appointment: Appointment,
    *,
    staff: bool,
    reason: str,
    now: datetime,
    moved_from: datetime | None = None,
) -> dict[str, Any]:
    """The fields a move (``moved_from``: the start before it) or a cancellation sets. A change by
    the citizen clears what an earlier change by the office left."""
    return {
        "changed_by_office": staff,
        "office_reason": clean_reason(reason) if staff else "",
        "moved_from": moved_from if staff else None,
        "office_call_needed_at": now if staff and not appointment.email else None,
        "called_back_at": None,
        "called_back_by": None,
    }


def apply(appointment: Appointment, changes: dict[str, Any]) -> list[str]:
    """Set the fields on the instance; their names, for ``save(update_fields=...)``."""
    for name, value in changes.items():
        setattr(appointment, name, value)
    return list(changes)
