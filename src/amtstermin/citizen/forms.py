"""Forms of the booking pages. They check input only; every rule lives in ``booking``.

Django marks a field with an error ``aria-invalid`` and points ``aria-describedby`` at
``<id>_helptext`` and ``<id>_error``; the templates render those ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models import Service


class PersonsSelect(forms.Select):
    """A number select whose options carry the minutes they take (for the live total)."""

    def __init__(self, minutes: dict[int, int], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.minutes = minutes

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["data-minutes"] = str(self.minutes.get(int(option["value"]), 0))
        return option


def persons_field_name(service: Service) -> str:
    return f"persons_{service.pk}"


class ServicesForm(forms.Form):
    """How many persons for each service that can be booked online; 0 means not wanted."""

    def __init__(
        self, *args: Any, services: Iterable[Service], initial_persons: dict[int, int], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.services = [service for service in services if service.online_bookable]
        for service in self.services:
            minutes = {n: service.minutes_for(n) for n in range(1, service.max_persons + 1)}
            self.fields[persons_field_name(service)] = forms.TypedChoiceField(
                label=_("Number of persons"),
                choices=[(n, str(n)) for n in range(service.max_persons + 1)],
                coerce=int,
                initial=initial_persons.get(service.pk, 0),
                widget=PersonsSelect(minutes, attrs={"data-persons": ""}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(persons_field_name(s)) for s in self.services):
            raise forms.ValidationError(_("Please choose at least one service."), code="none")
        return cleaned

    def pairs(self) -> list[tuple[int, int]]:
        return [
            (service.pk, self.cleaned_data[persons_field_name(service)])
            for service in self.services
            if self.cleaned_data.get(persons_field_name(service))
        ]


class DetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Please enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter an e-mail address like name@example.org."),
        },
        help_text=_("We send the confirmation and the link to change or cancel here."),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        ),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=50,
        required=False,
        help_text=_("Only used if we have to reach you about this appointment."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    for_other = forms.BooleanField(label=_("I am booking for someone else"), required=False)
    booked_for = forms.CharField(
        label=_("Name of the person the appointment is for"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my details are stored for this "
            "appointment."
        ),
        error_messages={"required": _("Please agree to the privacy notice to book.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("for_other") and not (cleaned.get("booked_for") or "").strip():
            self.add_error(
                "booked_for", _("Please enter the name of the person the appointment is for.")
            )
        if not cleaned.get("for_other"):
            cleaned["booked_for"] = ""
        return cleaned
