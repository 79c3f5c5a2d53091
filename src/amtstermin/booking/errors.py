"""Why a booking operation was refused: the exceptions, and every sentence they carry.

Each sentence is written once, in ``error_messages`` (the pattern of pretix's
``error_messages``), and raised as ``SlotTaken(error_messages["slot_taken"])``. Pages and the
API show ``message``; ``field`` names the input at fault, if one is.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    """A booking operation was refused; ``message`` is for people, ``field`` names the input."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        # Translated now, in the language of the request that caused it.
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


class SlotTaken(BookingError):
    """The time was free when shown but is taken now."""


class StartNotOffered(BookingError):
    """The start is off the grid, in the past, inside the lead time, outside the window or
    outside the opening hours: no counter could ever take it as asked."""


class DeadlinePassed(BookingError):
    """Too late to cancel or move online."""


class WrongState(BookingError):
    """The appointment is not in a state that allows this."""


class InvalidDetails(BookingError):
    """A personal detail is missing or malformed."""


class Busy(BookingError):
    """The database lock was not granted in time; trying again shortly will work."""


class PersonLimitReached(BookingError):
    """The e-mail address or phone number holds as many appointments as one person may."""


class ExtensionRefused(BookingError):
    """The hold has been extended as often as it may be; it still runs its time."""


class LimitReached(BookingError):
    """The office's daily walk-in limit is used up."""


error_messages = {
    # The start of a booking or a move
    "start_without_zone": _("The start needs a time zone."),
    "off_grid": _("Appointments start every %(minutes)d minutes."),
    "in_the_past": _("This time is in the past."),
    "inside_lead_time": _("Online appointments must be booked at least %(hours)s hours ahead."),
    "outside_window": _("Appointments can be booked from %(first)s to %(last)s."),
    "not_offered": _("The office does not offer these services at this time."),
    "slot_taken": _("Sorry, this time has just been taken. Please choose another one."),
    "busy": _("Many people are booking right now. Please try again in a moment."),
    "foreign_counter": _("This counter belongs to another office."),
    # The citizen's details
    "unknown_language": _("Unknown language."),
    "person_limit": _(
        "With this e-mail address or phone number there are already %(limit)d appointments at "
        "this office, as many as one person may hold at a time. Please cancel one of them "
        "first, or call the office."
    ),
    "wish_limit": _(
        "With this e-mail address there are already %(limit)d wishes on this office's "
        "waitlist, as many as one person may leave. Please withdraw one of them first."
    ),
    # The waitlist
    "wish_days": _("The last day must not be before the first day."),
    "wish_past": _("The last day has passed already."),
    "wish_too_long": _("Please choose at most %(days)d days."),
    "offer_gone": _("This offer is no longer open."),
    # An appointment's life
    "hold_lapsed": _("This time is no longer reserved for you."),
    "hold_extended_enough": _(
        "This time has been kept longer for you twice already; it cannot be extended again. "
        "Please complete your booking now."
    ),
    "not_confirmable": _("This appointment cannot be confirmed any more."),
    "not_cancellable": _("This appointment can no longer be cancelled."),
    "cancel_deadline_passed": _("The appointment has begun; it can no longer be cancelled online."),
    "not_movable": _("This appointment can no longer be moved."),
    "move_deadline_passed": _("Online changes have closed. Please call the office."),
    # At the desk
    "no_check_in": _("This appointment is %(status)s; it cannot be checked in."),
    "service_started": _("The service for this appointment has already started."),
    "check_in_too_early": _(
        "Too early to check in: check-in for this appointment opens on %(day)s at %(time)s."
    ),
    "not_checked_in_now": _("This appointment is %(status)s; there is no check-in to undo."),
    "check_in_with_ticket": _(
        "Number %(number)s has already been called; the check-in cannot be undone."
    ),
    "no_waiting_number": _("This citizen has no number waiting in the queue."),
    "not_checked_in": _("This appointment is %(status)s; check the citizen in first."),
    "not_completable": _(
        "This appointment is %(status)s; only a checked-in appointment can be completed."
    ),
    "no_show_too_early": _("A no-show can only be recorded once the appointment has begun."),
    "no_show_refused": _("This appointment is %(status)s; it cannot be marked as a no-show."),
    # Walk-in tickets and the kiosk
    "no_services": _("Please choose at least one service."),
    "foreign_services": _("Please choose services of this office."),
    "walk_in_limit_reached": _("No more walk-in numbers today. Please book an appointment."),
    "unknown_code": _(
        "We found no appointment today with this booking code. Please ask at the counter."
    ),
    "kiosk_refused": _("This appointment is %(status)s. Please ask at the counter."),
    "not_called": _("Number %(number)s is not being called."),
    "not_set_aside": _("Number %(number)s is not set aside."),
    "not_at_counter": _("Number %(number)s is not at a counter."),
    "kiosk_closed": _(
        "No counter for this is open now, so we give out no numbers. Please come back during "
        "our opening hours or book an appointment."
    ),
    "ticket_gone": _("This number is no longer waiting."),
    "device_kind": _("Please choose a kiosk or a call display."),
    "device_name": _("Please give the device a name of up to 100 characters."),
    "device_revoked": _("This device is already revoked."),
    # Planning
    "range_without_zone": _("The times need a time zone."),
    "end_before_start": _("The end must be after the start."),
    "limit_out_of_range": _("Please enter a number from 0 to 999."),
    "no_free_time": _("No free time in the next four weeks."),
    "proposal_taken": _(
        "The proposed time has been taken meanwhile; the appointment keeps its time."
        " Please make a new proposal."
    ),
    "not_to_call": _("This citizen is not on the call list."),
}
