"""Configuration pages for the office head and IT: offices, counters, services, hours.

Appointments are shown read-only here: they change only through the booking services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models import (
    Absence,
    Appointment,
    AppointmentLine,
    Closure,
    Counter,
    Document,
    Office,
    OpeningHours,
    Service,
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
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "services":
            kwargs["queryset"] = Service.objects.filter(office__in=staff_offices(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OfficeScopedAdmin(OfficeChoices, admin.ModelAdmin):
    """Staff see and choose only their own offices' records; superusers see every office."""

    office_lookup = "office"  # the path from the model to its office

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        offices = staff_offices(request.user)
        return super().get_queryset(request).filter(**{f"{self.office_lookup}__in": offices})


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    office_lookup = "pk"
    list_display = ["name", "city", "federal_state", "bookable_from", "horizon_days", "active"]
    inlines = [ClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "active"]}),
        (
            _("Address and contact"),
            {"fields": ["street", "postal_code", "city", "phone", "email", "website"]},
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
            {"fields": ["imprint_url", "barrier_contact_email", "accessibility_statement"]},
        ),
        (_("Staff security"), {"fields": ["require_second_factor"]}),
    ]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0


@admin.register(Service)
class ServiceAdmin(OfficeScopedAdmin):
    list_display = [
        "name",
        "office",
        "first_person_minutes",
        "per_person_minutes",
        "max_persons",
        "online_bookable",
        "fee_amount",
        "active",
    ]
    list_filter = ["office", "online_bookable", "active"]
    search_fields = ["name", "name_en", "leika_key"]
    inlines = [DocumentInline]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


@admin.register(Counter)
class CounterAdmin(OfficeScopedAdmin):
    list_display = ["name", "office", "active", "online_bookable"]
    list_filter = ["office", "active"]
    filter_horizontal = ["services"]
    inlines = [OpeningHoursInline, AbsenceInline]


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
