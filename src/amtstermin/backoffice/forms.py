"""Forms of the staff pages. They check input only; every rule lives in ``booking``.

Dates and times are read by ``booking.parsing``; a day and a wall time become an instant in the
office's zone here, at the edge. The templates write their inputs by hand and show
``first_errors`` and ``entered``, so field names are the inputs' names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet

from amtstermin import scheduling
from amtstermin.backoffice.errors import error_messages
from amtstermin.backoffice.parsing import is_number
from amtstermin.booking import contact, free_times
from amtstermin.booking.demand import Demand, DemandError, resolve_demand
from amtstermin.booking.errors import error_messages as booking_errors
from amtstermin.booking.localtime import WallTimeError, instant_from_wall
from amtstermin.booking.models import Channel, Counter, Office, Service
from amtstermin.booking.parsing import (
    OFFICE_YEARS,
    ParseError,
    date_or_none,
    language_codes,
    parse_date,
    parse_wall_time,
)
from amtstermin.booking.planning import Resolution
from amtstermin.booking.services import CitizenDetails

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


def first_errors(form: forms.Form) -> dict[str, str]:
    """Each field's first error, by field name, as the templates list them."""
    return {field: str(problems[0]) for field, problems in form.errors.items()}


def entered(form: forms.Form, names: Iterable[str]) -> dict[str, str]:
    """What was typed into these inputs, to show it again."""
    return {name: str(form.data.get(name, "")).strip() for name in names}


# --- Fields ---------------------------------------------------------------------------------


class DayField(forms.Field):
    """``YYYY-MM-DD``, in a year an office can mean."""

    def to_python(self, value: Any) -> date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_date(text, years=OFFICE_YEARS)
        except ParseError as exc:
            raise forms.ValidationError(self.error_messages.get("invalid", exc.message)) from None


class WallTimeField(forms.Field):
    """``HH:MM`` on the office's clock."""

    def to_python(self, value: Any) -> time | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_wall_time(text)
        except ParseError as exc:
            raise forms.ValidationError(self.error_messages.get("invalid", exc.message)) from None


class DayTimeInputs(forms.MultiWidget):
    """A day input and a time input, named ``<field>_day`` and ``<field>_time`` unless named."""

    def __init__(self, *, day_name: str = "", time_name: str = "") -> None:
        super().__init__(widgets={"day": forms.DateInput(), "time": forms.TimeInput()})
        self.day_name = day_name
        self.time_name = time_name

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[Any]:
        return [
            data.get(self.day_name or f"{name}_day"),
            data.get(self.time_name or f"{name}_time"),
        ]

    def decompress(self, value: Any) -> list[Any]:
        return [None, None]


class LocalDateTimeField(forms.MultiValueField):
    """A day and a wall time, as the instant the office's clock shows then. Times that the
    clock skips or shows twice on the days it changes are refused (``instant_from_wall``)."""

    def __init__(
        self, *, message: _StrOrPromise, widget: forms.Widget | None = None, **kw: Any
    ) -> None:
        invalid = {"invalid": message}
        super().__init__(
            fields=(DayField(error_messages=invalid), WallTimeField(error_messages=invalid)),
            error_messages={"required": message, "incomplete": message, "invalid": message},
            widget=widget or DayTimeInputs(),
            **kw,
        )
        self.zone: tzinfo | None = None  # the office's; the form sets it

    def compress(self, data_list: Sequence[Any]) -> datetime | None:
        if not data_list:
            return None
        day, wall = data_list
        assert self.zone is not None
        try:
            return instant_from_wall(datetime.combine(day, wall), self.zone)
        except WallTimeError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _counter_or_none(counters: QuerySet[Counter], value: str) -> Counter | None:
    return counters.filter(pk=value).first() if is_number(value) else None


# --- Login ----------------------------------------------------------------------------------


class StaffLoginForm(AuthenticationForm):
    """Django's login form; django-axes counts its failures and locks out after the limit."""


class OneTimeCodeForm(forms.Form):
    """The six digits an authenticator app shows; spaces (as apps group them) are ignored."""

    code = forms.CharField(
        max_length=20, strip=True, error_messages={"required": error_messages["code_form"]}
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(error_messages["code_form"])
        return code


# --- Booking for callers and at the counter -------------------------------------------------


class CitizenForm(forms.Form):
    """The caller's details for a phone or counter booking, by the rules of ``contact`` that
    the booking pages and the API use too; the e-mail address is optional here."""

    name = forms.CharField(strip=False, required=False)
    email = forms.CharField(strip=False, required=False)
    phone = forms.CharField(strip=False, required=False)
    booked_for = forms.CharField(strip=False, required=False)

    def clean_name(self) -> str:
        return contact.clean_name(self.cleaned_data["name"])

    def clean_email(self) -> str:
        return contact.clean_email(self.cleaned_data["email"], required=False)

    def clean_phone(self) -> str:
        return contact.clean_phone(self.cleaned_data["phone"])

    def clean_booked_for(self) -> str:
        return contact.clean_name(self.cleaned_data["booked_for"], required=False)


def persons_input(service_id: int) -> str:
    return f"persons_{service_id}"


class PersonsInputs(forms.Widget):
    """One ``persons_<service id>`` input per service."""

    def __init__(self, service_ids: Sequence[int]) -> None:
        super().__init__()
        self.service_ids = service_ids

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        return {pk: data.get(persons_input(pk), "0") for pk in self.service_ids}


class PersonsField(forms.Field):
    """How many persons for each service; anything but a number below 100 counts as none."""

    def to_python(self, value: Any) -> dict[int, int]:
        return {
            pk: int(text) if is_number(text) and len(text) < 3 else 0
            for pk, text in (value or {}).items()
        }


class SlotInputs(DayTimeInputs):
    """The chosen free time: one ``slot`` radio (``YYYY-MM-DDTHH:MM``, office-local), or a
    ``day`` and a ``time`` input."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[Any]:
        slot = str(data.get("slot") or "")
        if "T" in slot:
            return slot.split("T", 1)
        return super().value_from_datadict(data, files, name)


class PhoneBookingForm(CitizenForm):
    """Services, counter (or any), week and day shown, and (when ``booking``) the chosen time,
    channel and the caller's details, with a phone number or an e-mail address.

    Without ``booking`` (showing free times) only the services, counter, week and day are read.
    The demand is checked as for staff (``resolve_demand``); a chosen counter must offer every
    chosen service (``free_times.counters_offering``).
    """

    CITIZEN = ("name", "email", "phone", "booked_for")
    services = PersonsField(required=False)
    counter = forms.CharField(required=False)
    week = forms.CharField(required=False)
    day = forms.CharField(required=False)
    time = LocalDateTimeField(
        message=error_messages["free_time"], widget=SlotInputs(day_name="day", time_name="time")
    )
    channel = forms.CharField(required=False)
    # The caller's language: their e-mails, .ics and manage page speak it.
    language = forms.CharField(required=False)

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        office: Office,
        services: Sequence[Service],
        today: date,
        booking: bool,
    ) -> None:
        super().__init__(data)
        self.office = office
        self.service_list = services
        self.today = today
        self.demand: Demand | None = None
        self.chosen_counter: Counter | None = None
        self.booking = booking
        self.fields["services"].widget = PersonsInputs([service.pk for service in services])
        self.fields["time"].zone = office.zone  # type: ignore[attr-defined]
        if not booking:
            for name in (*self.CITIZEN, "time", "channel", "language"):
                del self.fields[name]

    def clean_day(self) -> date | None:
        return date_or_none(self.cleaned_data["day"])

    def clean_week(self) -> date | None:
        return date_or_none(self.cleaned_data["week"])

    def clean_channel(self) -> Channel:
        return Channel.COUNTER if self.cleaned_data["channel"] == Channel.COUNTER else Channel.PHONE

    def clean_language(self) -> str:
        """Any language the site speaks; German when none is chosen."""
        chosen = self.cleaned_data["language"]
        if chosen and chosen not in language_codes():
            raise forms.ValidationError(booking_errors["unknown_language"])
        return chosen or language_codes()[0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        pairs = self.pairs()
        asked = any(name in self.data for name in ("day", "week", "counter"))
        if pairs or asked:  # no services chosen is an error once free times are asked for
            try:
                self.demand = resolve_demand(office=self.office, pairs=pairs, staff=True)
            except DemandError as exc:
                self.add_error("services", str(exc))
        chosen = str(self.data.get("counter", "")).strip()
        if chosen:
            offering = free_times.counters_offering(self.office, {pk for pk, _n in pairs})
            self.chosen_counter = _counter_or_none(offering, chosen)
            if self.chosen_counter is None:
                self.add_error("counter", error_messages["counter_services"])
        if self.booking and not self.has_error("email") and not self.has_error("phone"):
            try:
                contact.require_phone_or_email(
                    email=cleaned.get("email", ""), phone=cleaned.get("phone", "")
                )
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return cleaned

    def persons(self) -> dict[int, int]:
        return self.cleaned_data.get("services") or {}

    def pairs(self) -> list[tuple[int, int]]:
        return [(pk, persons) for pk, persons in self.persons().items() if persons]

    def rows(self) -> list[dict[str, Any]]:
        persons = self.persons()
        return [
            {"service": service, "persons": persons.get(service.pk, 0)}
            for service in self.service_list
        ]

    def chosen_day(self) -> date | None:
        """The day whose every free time is shown, if one was asked for."""
        return self.cleaned_data.get("day")

    def chosen_week(self) -> date:
        """The Monday of the week shown: the asked week's, the asked day's, or this week's;
        never one before this week."""
        asked = max(self.cleaned_data.get("week") or self.chosen_day() or self.today, self.today)
        return scheduling.monday_of(asked)

    def citizen(self) -> CitizenDetails:
        return CitizenDetails(
            **{name: self.cleaned_data[name] for name in self.CITIZEN},
            language=self.cleaned_data["language"],
        )


# --- Moving an appointment ------------------------------------------------------------------


class MoveForm(forms.Form):
    """A new day and time, and the counter if staff choose one (else any free counter)."""

    day = forms.CharField(required=False)
    time = LocalDateTimeField(
        message=error_messages["free_time"], widget=DayTimeInputs(day_name="day", time_name="time")
    )
    counter = forms.CharField(required=False)

    def __init__(
        self, data: Mapping[str, Any], *, office: Office, counters: QuerySet[Counter]
    ) -> None:
        super().__init__(data)
        self.counters = counters
        self.fields["time"].zone = office.zone  # type: ignore[attr-defined]

    def clean_day(self) -> date | None:
        return date_or_none(self.cleaned_data["day"])

    def clean_counter(self) -> Counter | None:
        return _counter_or_none(self.counters, self.cleaned_data["counter"])


# --- Absences and closures ------------------------------------------------------------------


class AbsenceForm(forms.Form):
    """Block a counter (``scope`` is its id) or the whole office ("office") for a time."""

    INPUTS = ("scope", "start_day", "start_time", "end_day", "end_time", "reason")
    scope = forms.CharField(required=False)
    start = LocalDateTimeField(message=error_messages["start"])
    end = LocalDateTimeField(message=error_messages["end"])
    reason = forms.CharField(required=False)

    def __init__(
        self, data: Mapping[str, Any] | None, *, office: Office, counters: QuerySet[Counter]
    ) -> None:
        super().__init__(data)
        self.office = office
        self.counters = counters
        for name in ("start", "end"):
            self.fields[name].zone = office.zone  # type: ignore[attr-defined]

    def clean_scope(self) -> Office | Counter:
        scope = self.cleaned_data["scope"]
        if scope == "office":
            return self.office
        counter = _counter_or_none(self.counters, scope)
        if counter is None:
            raise forms.ValidationError(error_messages["scope"])
        return counter


class BlockedAppointmentsForm(forms.Form):
    """The appointments of an absence or closure to move or to cancel (with a reason)."""

    appointment = forms.Field(
        widget=forms.MultipleHiddenInput,
        error_messages={"required": error_messages["no_selection"]},
    )
    action = forms.TypedChoiceField(
        choices=[(choice.value, choice.value) for choice in Resolution],
        coerce=Resolution,
        error_messages={
            "required": error_messages["resolution"],
            "invalid_choice": error_messages["resolution"],
        },
    )
    reason = forms.CharField(required=False)

    def clean_appointment(self) -> set[int]:
        chosen = {int(value) for value in self.cleaned_data["appointment"] if is_number(value)}
        if not chosen:
            raise forms.ValidationError(error_messages["no_selection"])
        return chosen


def proposed_start_input(appointment_id: int) -> str:
    return f"start_{appointment_id}"


class ConfirmedMovesForm(forms.Form):
    """The rows of a move proposal the clerk kept ticked, each with the start proposed for it
    (``start_<id>``, an ISO instant with its offset, as the proposal page wrote it)."""

    appointment = forms.Field(
        widget=forms.MultipleHiddenInput,
        error_messages={"required": error_messages["no_selection"]},
    )

    def clean_appointment(self) -> set[int]:
        chosen = {int(value) for value in self.cleaned_data["appointment"] if is_number(value)}
        if not chosen:
            raise forms.ValidationError(error_messages["no_selection"])
        return chosen

    def moves(self) -> dict[int, datetime]:
        """Appointment id to its confirmed start; a row without a readable start is left out."""
        found = {}
        for appointment_id in self.cleaned_data["appointment"]:
            text = str(self.data.get(proposed_start_input(appointment_id), ""))
            try:
                start = datetime.fromisoformat(text)
            except ValueError:
                continue
            if start.tzinfo is not None:
                found[appointment_id] = start
        return found


class CalledForm(forms.Form):
    """The citizen on the call list the clerk has phoned."""

    appointment = forms.IntegerField(min_value=1)


# --- Queue ----------------------------------------------------------------------------------


class WalkInLimitForm(forms.Form):
    """How many walk-in numbers the kiosk gives out a day; empty: no limit."""

    limit = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=999,
        error_messages={
            "invalid": error_messages["walk_in_limit"],
            "min_value": error_messages["walk_in_limit"],
            "max_value": error_messages["walk_in_limit"],
        },
    )
