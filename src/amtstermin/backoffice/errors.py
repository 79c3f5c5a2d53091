"""Every error message of the staff pages and the kiosk, written once.

Refusals of the booking rules come from ``booking`` with their own messages.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

error_messages = {
    "free_time": _("Please choose a free time."),
    "counter_services": _(
        "This counter does not offer all the chosen services. Choose another one or any counter."
    ),
    "scope": _("Please choose a counter or the whole office."),
    "start": _("Please enter a date and a time, like 2027-03-01 and 08:00."),
    "end": _("Please enter a date and a time, like 2027-03-01 and 12:00."),
    "audit_day": _("Please enter a date like 2027-03-01."),
    "audit_choice": _("Please choose an entry of the list."),
    "no_selection": _("Please select at least one appointment."),
    "resolution": _("Please choose whether to move or to cancel."),
    "choose_counter": _("Please choose your counter first."),
    "walk_in_limit": _("Please enter a number from 0 to 999."),
    "kiosk_busy": _("Too many numbers from this device. Please wait a minute."),
    "code_form": _("Enter the six-digit code from your authenticator app."),
    "code_wrong": _("This code is not correct or has expired. Please enter the current code."),
    "no_office": _("Give the account at least one of your offices."),
}
