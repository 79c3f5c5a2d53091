"""The waitlist's sign-up form. It checks the input's form only; the rules (days in order, the
per-person limit) live in ``booking.waitlist``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtstermin.booking import contact
from amtstermin.booking.models import PartOfDay
from amtstermin.booking.parsing import ParseError, parse_date
from amtstermin.citizen.errors import error_messages

WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class DayField(forms.CharField):
    widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ParseError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None


class WishForm(forms.Form):
    first_day = DayField(label=_("From"), error_messages={"required": _("Please enter a day.")})
    last_day = DayField(
        label=_("To"),
        help_text=_("Your wish ends after this day."),
        error_messages={"required": _("Please enter a day.")},
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week that suit you (optional; none ticked: all)"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    part_of_day = forms.ChoiceField(
        label=_("Time of day"),
        choices=PartOfDay.choices,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Your name"),
        strip=False,
        error_messages={"required": error_messages["name"]},
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": contact.NAME_MAX}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        strip=False,
        error_messages={"required": error_messages["email"]},
        help_text=_("We send one e-mail to confirm your wish, and one when a time is free."),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my details are stored for this wish."
        ),
        error_messages={"required": error_messages["consent"]},
    )

    def clean_name(self) -> str:
        return contact.clean_name(self.cleaned_data["name"])

    def clean_email(self) -> str:
        return contact.clean_email(self.cleaned_data["email"])

    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(int(day) for day in self.cleaned_data.get("weekdays") or ())
