"""The audit log as people read it: office-local time, the action in words, and what changed as
"field: before → after" in the reader's language.

An entry keeps the state before and after as JSON (``booking.audit``): model field names,
primary keys, choice values and UTC instants in ISO 8601. Here the field names become the
model's ``verbose_name``, choice values their labels, counters and services their names,
instants the office's wall time, booleans yes/no, empty values a dash and lists a comma list.
A key no model knows is shown as it is. The back-office page, its CSV export and the admin
all show the log through :func:`present`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DecimalField, Field, Model
from django.utils import dateformat, formats
from django.utils.translation import gettext as _

from amtstermin.booking.models import (
    Absence,
    Appointment,
    AuditAction,
    AuditEntry,
    Channel,
    Closure,
    Counter,
    Document,
    Office,
    OpeningHours,
    Service,
    Ticket,
)
from amtstermin.notifications.models import MessageSetting

EMPTY = "—"
ARROW = "→"
TIME_FORMAT = "d.m.Y H:i:s"  # the entry's own time
VALUE_DATETIME = "d.m.Y H:i"
VALUE_DATE = "d.m.Y"

# Which model's fields name an entry's keys: the appointment's or the ticket's, else the
# model the action is about; then, for actions added later, the office's configuration.
_SUBJECT: dict[str, type[Model]] = {
    AuditAction.ABSENCE: Absence,
    AuditAction.CLOSURE: Closure,
    AuditAction.WALK_IN_LIMIT: Office,
}
_CONFIGURATION: tuple[type[Model], ...] = (
    Office,
    Counter,
    Service,
    OpeningHours,
    Document,
    Absence,
    Closure,
)
# Relations shown by name; any other related record stays a number (an appointment or a user
# is never spelled out here).
_NAMED: tuple[type[Model], ...] = (Counter, Service, Office, Document)

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")

Names = dict[tuple[type[Model], Any], str]


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.field}: {self.before} {ARROW} {self.after}"


@dataclass(frozen=True)
class AuditLine:
    """One entry as it is shown: every part already text in the active language."""

    entry: AuditEntry
    time: str
    staff: str
    action: str
    subject: str
    changes: tuple[Change, ...]
    note: str

    @property
    def changes_text(self) -> str:
        return "; ".join(str(change) for change in self.changes) or EMPTY


def present(entries: Iterable[AuditEntry], office: Office | None = None) -> list[AuditLine]:
    """The entries as lines for people; ``office`` saves loading each entry's office."""
    entries = list(entries)
    names = _names(entries)
    return [_line(entry, office or entry.office, names) for entry in entries]


def local_time(entry: AuditEntry, office: Office | None = None) -> str:
    zone = (office or entry.office).zone
    return dateformat.format(entry.created_at.astimezone(zone), TIME_FORMAT)


def _line(entry: AuditEntry, office: Office, names: Names) -> AuditLine:
    zone = office.zone
    models = _models_for(entry)
    return AuditLine(
        entry=entry,
        time=local_time(entry, office),
        staff=entry.actor_name or (_("kiosk") if entry.note == "kiosk" else _("automatic")),
        action=_action_label(entry.action),
        subject=_subject(entry, names),
        changes=tuple(_changes(entry, models, zone, names)),
        note=_note(entry),
    )


def _action_label(value: str) -> str:
    try:
        return str(AuditAction(value).label)
    except ValueError:
        return value


def _subject(entry: AuditEntry, names: Names) -> str:
    if entry.appointment is not None:
        return entry.appointment.code
    if entry.ticket is not None:
        return entry.ticket.label
    record = _text_record(entry)
    if record is not None:
        model, pk = record
        label = str(model._meta.verbose_name)
        return f"{label[:1].upper()}{label[1:]}: {names.get(record, f'#{pk}')}"
    return ""


def _text_record(entry: AuditEntry) -> tuple[type[Model], Any] | None:
    """The record whose texts an ``OFFICE_TEXTS`` entry is about (``office_texts``)."""
    state = entry.after if isinstance(entry.after, dict) else {}
    if entry.action != AuditAction.OFFICE_TEXTS or "record" not in state:
        return None
    try:
        model = apps.get_model(str(state["record"]))
    except (LookupError, ValueError):
        return None
    return model, state.get("id")


def _note(entry: AuditEntry) -> str:
    """The note in words: a booking's channel, the kiosk, or the reason typed in."""
    if entry.note == "kiosk":
        return _("at the kiosk")
    if entry.action == AuditAction.BOOK and entry.note in Channel.values:
        return f"{field_label([Appointment], 'channel')}: {Channel(entry.note).label}"
    return entry.note


def _models_for(entry: AuditEntry) -> tuple[type[Model], ...]:
    if entry.appointment_id is not None:
        first: type[Model] | None = Appointment
    elif entry.ticket_id is not None:
        first = Ticket
    elif (record := _text_record(entry)) is not None:
        first = record[0]
    else:
        first = _SUBJECT.get(entry.action)
    return ((first,) if first is not None else ()) + _CONFIGURATION


def _field(models: Sequence[type[Model]], key: str) -> Field[Any, Any] | None:
    for model in models:
        try:
            found = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if isinstance(found, Field):  # not a reverse relation
            return found
    return None


def field_label(models: Sequence[type[Model]], key: str) -> str:
    found = _field(models, key)
    if found is None:
        return str(key)
    label = str(found.verbose_name)
    return label[:1].upper() + label[1:]


def _changes(
    entry: AuditEntry, models: Sequence[type[Model]], zone: tzinfo, names: Names
) -> list[Change]:
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    changes = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        found = _field(models, key)
        changes.append(
            Change(
                field=field_label(models, key),
                before=format_value(old, found, zone, names, models),
                after=format_value(new, found, zone, names, models),
            )
        )
    return changes


def format_value(
    value: Any,
    field: Field[Any, Any] | None,
    zone: tzinfo,
    names: Names | None = None,
    models: Sequence[type[Model]] = _CONFIGURATION,
) -> str:
    """One value from an entry's JSON as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(format_value(item, field, zone, names, models) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{field_label(models, str(key))}: "
            f"{format_value(item, _field(models, str(key)), zone, names, models)}"
            for key, item in value.items()
        )
    if field is not None:
        named = _named(value, field, names or {})
        if named is not None:
            return named
        if field.choices:
            choices = {str(key): label for key, label in field.flatchoices}
            if str(value) in choices:
                return str(choices[str(value)])
        if isinstance(field, DecimalField):
            return _decimal(value)
    if isinstance(value, str):
        return _text(value, zone)
    if isinstance(value, float):
        return formats.number_format(value, use_l10n=True)
    return str(value)


def _named(value: Any, field: Field[Any, Any], names: Names) -> str | None:
    related = field.related_model if field.is_relation else None
    if not isinstance(related, type) or related not in _NAMED:
        return None
    return names.get((related, value))


def _decimal(value: Any) -> str:
    try:
        return formats.number_format(Decimal(str(value)), 2, use_l10n=True)
    except InvalidOperation:
        return str(value)


def _text(value: str, zone: tzinfo) -> str:
    """Instants, dates and times written as ISO 8601 become the office's wall time."""
    try:
        if _ISO_DATETIME.match(value):
            instant = datetime.fromisoformat(value)
            if instant.tzinfo is not None:
                instant = instant.astimezone(zone)
            return dateformat.format(instant, VALUE_DATETIME)
        if _ISO_DATE.match(value):
            return dateformat.format(date.fromisoformat(value), VALUE_DATE)
        if _ISO_TIME.match(value):
            return time.fromisoformat(value).strftime("%H:%M")
    except ValueError:
        pass
    return value


def _names(entries: Sequence[AuditEntry]) -> Names:
    """The names of the counters, services and the like the entries refer to, one query each."""
    wanted: dict[type[Model], set[Any]] = defaultdict(set)
    for entry in entries:
        if (record := _text_record(entry)) is not None:
            wanted[record[0]].add(record[1])
        models = _models_for(entry)
        for state in (entry.before, entry.after):
            if not isinstance(state, dict):
                continue
            for key, value in state.items():
                found = _field(models, key)
                related = found.related_model if found is not None and found.is_relation else None
                if not isinstance(related, type) or related not in _NAMED:
                    continue
                for pk in value if isinstance(value, list) else [value]:
                    if isinstance(pk, int) and not isinstance(pk, bool):
                        wanted[related].add(pk)
    names: Names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = _name(obj)
    return names


def _name(obj: Model) -> str:
    """A record as the log names it: its name in the reader's language (German where not
    translated); a service's document by its service and catalogue entry; an e-mail setting by
    its kind of message."""
    if isinstance(obj, Document):
        return f"{obj.service.name}: {obj.name}"
    if isinstance(obj, MessageSetting):
        return str(obj.get_kind_display())
    return str(getattr(obj, "name", obj))
