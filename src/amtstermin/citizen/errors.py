"""Every error message of the booking pages, written once.

Refusals of the booking rules (a time taken, a deadline passed) come from ``booking`` with
their own messages.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

error_messages = {
    "no_service": _("Please choose at least one service."),
    "no_time": _("Please choose a time."),
    "no_hold": _("Please choose services and a time first."),
    "too_many_holds": _("Too many times were reserved from this device. Please call us: %(phone)s"),
    "ran_out": _(
        "Sorry, your reservation has run out and the time could not be kept for you. "
        "Please choose another time; your details are kept."
    ),
    "taken_meanwhile": _(
        "Sorry, your reservation ran out and the time has been taken meanwhile. "
        "Please choose another time; your details are kept."
    ),
    "not_changeable": _("This appointment can no longer be changed online."),
    "too_many_wishes": _("Too many wishes were sent from this device. Please try again later."),
    "security_check": _(
        "The automatic security check of this page did not succeed or has run out. "
        "Please try again; it runs by itself in the background."
    ),
    "name": _("Please enter your name."),
    "email": _("Please enter your e-mail address."),
    "booked_for": _("Please enter the name of the person the appointment is for."),
    "consent": _("Please agree to the privacy notice to book."),
}
