"""Configuration pages for the office head and IT: offices, counters, services, hours.

Every page shows and offers only the user's own offices and what belongs to them. The office
head changes its offices' settings, counters, hours, closures, services and documents; adding
or deleting offices, the time zone, the second-factor rule and switching an office off stay
with IT (``booking.add_office``). A counter or service never moves to another office, and a
counter offers only its own office's services. The service and counter pages warn about what
the configuration lacks (``configuration_checks``).

Appointments are shown read-only here: they change only through the booking services.

A change that can free a time (a new counter, longer hours, an absence removed) is offered to
the waitlist before it commits: each POST runs in one transaction that collects what it may
have freed (``booking.events``) and offers it at its end, under the office's lock, which the
change took before its first write (``booking.signals``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from amtstermin.booking import events
from amtstermin.booking.admin_texts import TranslatedTextsAdmin, TranslatedTextsInline
from amtstermin.booking.configuration_checks import configuration_warnings
from amtstermin.booking.models import (
    Absence,
    Appointment,
    AppointmentLine,
    Closure,
    Counter,
    Document,
    DocumentType,
    Office,
    OpeningHours,
    Service,
    ServiceCategory,
    StaffOnlyTime,
    WaitlistEntry,
)
from amtstermin.booking.selectors import staff_offices


class OfficeChoices(BaseModelAdmin):
    """Forms, inlines included, offer staff only their own offices and what belongs to them."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        offices = staff_offices(request.user)
        if db_field.name == "office":
            kwargs["queryset"] = offices
        elif db_field.name == "counter":
            kwargs["queryset"] = Counter.objects.filter(office__in=offices)
        elif db_field.name == "category":
            kwargs["queryset"] = ServiceCategory.objects.filter(office__in=offices)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "services":
            kwargs["queryset"] = Service.objects.filter(office__in=staff_offices(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@contextmanager
def _waitlist_first(request: HttpRequest) -> Iterator[None]:
    """A POST runs in one transaction; what it freed is offered to the waitlist at its end."""
    if request.method != "POST":
        yield
        return
    with transaction.atomic(), events.collecting():
        yield


class OfficeScopedAdmin(OfficeChoices, admin.ModelAdmin):
    """Staff see and choose only their own offices' records; superusers see every office. What
    a change frees goes to the waitlist before the commit."""

    office_lookup = "office"  # the path from the model to its office

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        offices = staff_offices(request.user)
        return super().get_queryset(request).filter(**{f"{self.office_lookup}__in": offices})

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        with _waitlist_first(request):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        with _waitlist_first(request):
            return super().delete_view(request, object_id, extra_context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        with _waitlist_first(request):  # actions, such as deleting the selected closures
            return super().changelist_view(request, extra_context)


class StaysInItsOffice(OfficeScopedAdmin):
    """Once created, the record keeps its office: moving it would take its hours, services or
    appointments along into another office."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "office"] if obj is not None else readonly


class WarnsAboutConfiguration(admin.ModelAdmin):
    """Shows the warnings of ``configuration_checks`` above the list (all of the user's offices)
    and above a record's page (those about the record)."""

    warning_field = ""  # "service_id" or "counter_id"

    def _warn(self, request: HttpRequest, record_id: int | None = None) -> None:
        for office in staff_offices(request.user):
            for warning in configuration_warnings(office):
                concerns = getattr(warning, self.warning_field)
                if record_id is None or concerns == record_id:
                    self.message_user(request, warning.message, messages.WARNING)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "GET":
            self._warn(request)
        return super().changelist_view(request, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET" and object_id.isdigit():
            self._warn(request, int(object_id))
        return super().change_view(request, object_id, form_url, extra_context)


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin, TranslatedTextsAdmin):
    office_lookup = "pk"
    it_only_fields = ["active", "time_zone", "require_second_factor"]
    list_display = ["name", "city", "federal_state", "bookable_from", "horizon_days", "active"]
    inlines = [ClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "active"]}),
        (
            _("Address and contact"),
            {
                "fields": [
                    "street",
                    "postal_code",
                    "city",
                    "address_note",
                    "phone",
                    "email",
                    "website",
                ]
            },
        ),
        (_("Time and public holidays"), {"fields": ["time_zone", "federal_state", "slot_minutes"]}),
        (
            _("Booking window"),
            {
                "fields": [
                    "bookable_from",
                    "horizon_days",
                    "release_time",
                    "lead_time_minutes",
                    "check_in_minutes_before",
                    "cancel_deadline_hours",
                    "hold_minutes",
                    "require_email_confirmation",
                    "confirm_minutes",
                    "reminder_hours",
                    "appointments_per_person",
                    "waitlist_offer_hours",
                    "retention_days",
                ]
            },
        ),
        (
            _("Legal pages"),
            {
                "fields": [
                    "imprint_url",
                    "barrier_contact_email",
                    "accessibility_reviewed_on",
                    "accessibility_conformance",
                    "accessibility_statement",
                    "accessibility_method",
                    "accessibility_enforcement_name",
                    "accessibility_enforcement_url",
                    "sign_language_video_url",
                ]
            },
        ),
        (_("Staff security"), {"fields": ["require_second_factor"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.has_perm("booking.add_office"):
            return readonly
        return [*readonly, *self.it_only_fields]


class DocumentInline(TranslatedTextsInline):
    """The catalogue entries a service asks for: only entries of the service's own office."""

    model = Document
    extra = 0
    fields = ["document_type", "per_person", "note", "sort_order"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        self.service_office_id = obj.office_id if obj is not None else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "document_type":
            entries = DocumentType.objects.filter(office__in=staff_offices(request.user))
            office_id = getattr(self, "service_office_id", None)
            kwargs["queryset"] = entries.filter(office_id=office_id) if office_id else entries
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Found by their name in any language.
NAMES_IN_EVERY_LANGUAGE = [f"name_{code}" for code, _name in settings.LANGUAGES]


@admin.register(DocumentType)
class DocumentTypeAdmin(OfficeScopedAdmin, TranslatedTextsAdmin):
    """The office's document catalogue; services refer to its entries."""

    list_display = ["name", "office", "sort_order"]
    list_filter = ["office"]
    search_fields = NAMES_IN_EVERY_LANGUAGE


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(StaysInItsOffice, TranslatedTextsAdmin):
    """The groups of services on the start page, in the office's order, named in every
    language."""

    list_display = ["name", "office", "position"]
    list_editable = ["position"]
    list_filter = ["office"]
    search_fields = NAMES_IN_EVERY_LANGUAGE


class ServiceForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        office = cleaned.get("office") or (self.instance.office if self.instance.pk else None)
        category = cleaned.get("category")
        if office is not None and category is not None and category.office_id != office.pk:
            self.add_error("category", _("Choose a category of the service's office."))
        return cleaned


@admin.register(Service)
class ServiceAdmin(WarnsAboutConfiguration, StaysInItsOffice, TranslatedTextsAdmin):
    form = ServiceForm
    warning_field = "service_id"
    list_display = [
        "name",
        "office",
        "category",
        "first_person_minutes",
        "per_person_minutes",
        "max_persons",
        "online_bookable",
        "fee_amount",
        "active",
    ]
    list_filter = ["office", "category", "online_bookable", "active"]
    search_fields = [*NAMES_IN_EVERY_LANGUAGE, "leika_key"]
    inlines = [DocumentInline]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "category" in form.base_fields:
            # A service belongs to a category of its own office only.
            field = form.base_fields["category"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = ServiceCategory.objects.filter(office=obj.office_id)
        return form


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


class CounterForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        office = cleaned.get("office") or (self.instance.office if self.instance.pk else None)
        chosen = cleaned.get("services")
        if (
            office is not None
            and chosen is not None
            and any(service.office_id != office.pk for service in chosen)
        ):
            self.add_error("services", _("Choose only services of the counter's office."))
        return cleaned


class StaffOnlyTimeInline(admin.TabularInline):
    model = StaffOnlyTime
    extra = 0


@admin.register(Counter)
class CounterAdmin(WarnsAboutConfiguration, StaysInItsOffice):
    form = CounterForm
    warning_field = "counter_id"
    list_display = ["name", "office", "active", "online_bookable"]
    list_filter = ["office", "active"]
    filter_horizontal = ["services"]
    inlines = [OpeningHoursInline, AbsenceInline, StaffOnlyTimeInline]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "services" in form.base_fields:
            # A counter offers its own office's services only.
            field = form.base_fields["services"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = Service.objects.filter(office=obj.office_id)
        return form


@admin.register(StaffOnlyTime)
class StaffOnlyTimeAdmin(OfficeScopedAdmin):
    """Also on its own page: an office head may keep time back without changing the counter."""

    office_lookup = "counter__office"
    list_display = ["counter", "weekday", "start", "end", "share_percent", "valid_from"]
    list_filter = ["counter__office", "counter", "weekday"]


@admin.register(Closure)
class ClosureAdmin(OfficeScopedAdmin):
    list_display = ["office", "start", "end", "reason"]
    list_filter = ["office"]


@admin.register(Absence)
class AbsenceAdmin(OfficeScopedAdmin):
    office_lookup = "counter__office"
    list_display = ["counter", "start", "end", "reason"]
    list_filter = ["counter__office", "counter"]


class AppointmentLineInline(admin.TabularInline):
    model = AppointmentLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["code", "office", "counter", "start", "end", "status", "channel"]
    list_filter = ["office", "status", "channel"]
    search_fields = ["code"]
    date_hierarchy = "start"
    exclude = ["token_hash", "token_nonce"]
    inlines = [AppointmentLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(OfficeScopedAdmin):
    """Read only: wishes change through their citizen's page (``booking.waitlist``)."""

    list_display = ["office", "first_day", "last_day", "status", "confirmed_at", "offer_expires_at"]
    list_filter = ["office", "status"]
    exclude = ["token_hash", "token_nonce"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
