"""Calendar files (.ics) for an appointment: the same UID for its whole life.

A moved appointment keeps its UID and raises SEQUENCE, so calendar programs update the entry;
a cancelled one is sent with METHOD:CANCEL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event, vCalAddress, vText

from amtstermin.booking.models import Appointment
from amtstermin.booking.parsing import supported_language
from amtstermin.booking.tokens import manage_token
from amtstermin.booking.visit import VisitSummary, visit_summary
from amtstermin.languages import formatting


def appointment_uid(appointment: Appointment) -> str:
    return f"{appointment.code}@amtstermin"


def _deadlines(appointment: Appointment) -> list[str]:
    """The same two sentences as the e-mail, in the active language."""

    def local(moment: datetime) -> str:
        return formatting.date_time(moment, appointment.office.zone)

    move_until = {"until": local(appointment.move_deadline())}
    if appointment.may_move_online(timezone.now()):
        move = translation.gettext(
            "You can choose another time online until %(until)s; after that, please call us."
        )
    else:
        # No deadline that has passed already: the calendar entry is read later still.
        move = translation.gettext("If you need another time, please contact the office.")
    return [
        translation.gettext("You can cancel online until your appointment starts (%(until)s).")
        % {"until": local(appointment.cancel_deadline())},
        move % move_until,
    ]


def calendar_file(
    appointment: Appointment, *, cancelled: bool = False, visit: VisitSummary | None = None
) -> bytes:
    """The appointment's calendar entry, in its language; ``visit``: its summary in that
    language, if the caller has it already (the e-mail)."""
    office = appointment.office
    token = manage_token(appointment.token_nonce)
    with translation.override(supported_language(appointment.language)):
        visit = visit or visit_summary(appointment)
        services = ", ".join(line.name for line in visit.lines)
        lines = [
            translation.gettext("Booking code: %(code)s")
            % {"code": formatting.isolate(appointment.code)},
            translation.gettext("Please bring:"),
            *[
                f"- {item.count} × {item.name}" + (f" ({item.note})" if item.note else "")
                for item in visit.checklist
            ],
            "",
            translation.gettext("Change or cancel: %(url)s")
            % {
                "url": formatting.isolate(
                    settings.AMTSTERMIN_BASE_URL + reverse("citizen:manage", args=[token])
                )
            },
            *_deadlines(appointment),
        ]
        summary = f"{office.name}: {services}"

    calendar = Calendar()
    calendar.add("prodid", "-//Amtstermin//Amtstermin//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.revision)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", appointment.start.astimezone(office.zone))
    event.add("dtend", appointment.end.astimezone(office.zone))
    event.add("summary", summary)
    event.add("location", vText(f"{office.name}, {office.address}"))
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if office.email:
        organizer = vCalAddress(f"mailto:{office.email}")
        organizer.params["cn"] = vText(office.name)
        event.add("organizer", organizer)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
