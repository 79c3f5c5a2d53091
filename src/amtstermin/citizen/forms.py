"""Forms of the booking pages. They check input only; every rule lives in ``booking``.

Django marks a field with an error ``aria-invalid`` and points ``aria-describedby`` at
``<id>_helptext`` and ``<id>_error``; the templates render those ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtstermin.booking import contact
from amtstermin.booking.models import Service
from amtstermin.citizen.errors import error_messages


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
        self.services = [service for service in services if service.bookable_online]
        for service in self.services:
            minutes = {n: service.minutes_for(n) for n in range(1, service.max_persons + 1)}
            # The page's script turns the select into a number field, which may be left empty.
            self.fields[persons_field_name(service)] = forms.TypedChoiceField(
                label=_("Number of persons"),
                choices=[(n, str(n)) for n in range(service.max_persons + 1)],
                coerce=int,
                required=False,  # empty ("") means none, like 0
                initial=initial_persons.get(service.pk, 0),
                widget=PersonsSelect(minutes, attrs={"data-persons": ""}),
                error_messages={
                    "invalid_choice": _("Please enter a number of persons from 0 to %(max)s.")
                    % {"max": service.max_persons}
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(persons_field_name(s)) for s in self.services):
            raise forms.ValidationError(error_messages["no_service"], code="none")
        return cleaned

    def pairs(self) -> list[tuple[int, int]]:
        return [
            (service.pk, self.cleaned_data[persons_field_name(service)])
            for service in self.services
            if self.cleaned_data.get(persons_field_name(service))
        ]


class DetailsForm(forms.Form):
    """The citizen's details; what a valid name, address and number is, ``contact`` decides
    (the same functions check the API's and the staff's input)."""

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
        help_text=_("We send the confirmation and the link to change or cancel here."),
        widget=forms.EmailInput(
            attrs={
                "autocomplete": "email",
                "inputmode": "email",
                "spellcheck": "false",
                "maxlength": contact.EMAIL_MAX,
            }
        ),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        strip=False,
        required=False,
        help_text=_("Only used if we have to reach you about this appointment."),
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "tel",
                "inputmode": "tel",
                "maxlength": contact.PHONE_MAX,
            }
        ),
    )
    for_other = forms.BooleanField(label=_("I am booking for someone else"), required=False)
    booked_for = forms.CharField(
        label=_("Name of the person the appointment is for"),
        strip=False,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": contact.NAME_MAX}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my details are stored for this "
            "appointment."
        ),
        error_messages={"required": error_messages["consent"]},
    )

    def clean_name(self) -> str:
        return contact.clean_name(self.cleaned_data["name"])

    def clean_email(self) -> str:
        return contact.clean_email(self.cleaned_data["email"])

    def clean_phone(self) -> str:
        return contact.clean_phone(self.cleaned_data["phone"])

    def clean_booked_for(self) -> str:
        if not self.cleaned_data.get("for_other"):  # cleaned before: it comes first
            return ""
        return contact.clean_name(self.cleaned_data["booked_for"], required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("for_other") and cleaned.get("booked_for") == "":
            self.add_error("booked_for", error_messages["booked_for"])
        return cleaned
