"""Admin additions: office memberships, the read-only audit log, and appointment lists that
show staff only their own offices."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from amtstermin.backoffice import audit_display, staff_scope
from amtstermin.backoffice.errors import error_messages
from amtstermin.booking import selectors
from amtstermin.booking.admin import AppointmentAdmin, OfficeChoices, OfficeScopedAdmin
from amtstermin.booking.models import Appointment, AuditEntry, StaffMembership, Ticket


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(Appointment)


@admin.register(Appointment)
class OfficeScopedAppointmentAdmin(AppointmentAdmin):
    """The booking app's read-only list, limited to the staff user's offices."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appointment]:
        return (
            super().get_queryset(request).filter(office__in=selectors.staff_offices(request.user))
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["local_time", "office", "actor_name", "action", "appointment", "ticket"]
    list_filter = ["office", "action"]
    search_fields = ["appointment__code", "actor_name"]
    date_hierarchy = "created_at"
    list_select_related = ["office", "appointment", "ticket"]
    # What changed is shown as people read it (audit_display), never as raw JSON.
    fields = (
        "office",
        "actor",
        "actor_name",
        "local_time",
        "action",
        "appointment",
        "ticket",
        "changes",
        "note",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return (
            super().get_queryset(request).filter(office__in=selectors.staff_offices(request.user))
        )

    @admin.display(description=_("time (office)"), ordering="created_at")
    def local_time(self, entry: AuditEntry) -> str:
        return audit_display.local_time(entry)

    @admin.display(description=_("changes"))
    def changes(self, entry: AuditEntry) -> str:
        (line,) = audit_display.present([entry])
        if not line.changes:
            return audit_display.EMPTY
        return format_html_join(mark_safe("<br>"), "{}", ((str(c),) for c in line.changes))


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "office", "day", "status", "counter", "called_at"]
    list_filter = ["office", "status"]
    date_hierarchy = "day"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ticket]:
        return (
            super().get_queryset(request).filter(office__in=selectors.staff_offices(request.user))
        )


@admin.register(StaffMembership)
class StaffMembershipAdmin(OfficeScopedAdmin):
    """Memberships of the user's offices; changed only for accounts the user may manage."""

    list_display = ["user", "office"]
    list_filter = ["office"]
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = staff_scope.manageable_users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A membership never moves to another account: that would leave the first one without
        # an office, out of reach of everyone but a superuser.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "user"] if obj is not None else readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or self._may_change(request, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nor may anyone but a superuser take an account's last office: the account would keep
        # a password the remover knows while it waits for another office.
        return super().has_delete_permission(request, obj) and (
            obj is None
            or (
                self._may_change(request, obj)
                and (
                    request.user.is_superuser
                    or StaffMembership.objects.filter(user=obj.user_id).count() > 1
                )
            )
        )

    @staticmethod
    def _may_change(request: HttpRequest, membership: StaffMembership) -> bool:
        return not _own_account(request, membership.user) and staff_scope.may_manage(
            request.user, membership.user
        )


class MembershipFormSet(BaseInlineFormSet):
    default_error_messages = {"too_few_forms": error_messages["no_office"]}


class StaffMembershipInline(OfficeChoices, admin.TabularInline):
    model = StaffMembership
    formset = MembershipFormSet
    extra = 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Without an office the account would leave the scope of anyone but a superuser.
        if not request.user.is_superuser:
            kwargs.update(min_num=1, validate_min=True)
        return super().get_formset(request, obj, **kwargs)

    # Nobody but a superuser changes the offices of their own account.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own_account(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own_account(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own_account(request, obj) and super().has_delete_permission(request, obj)


def _own_account(request: HttpRequest, user: Any) -> bool:
    return user is not None and user.pk == request.user.pk and not request.user.is_superuser


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Every page about a user (list, change, password, history, delete) finds only the
    accounts the staff user may manage (``staff_scope``), and offers only the groups it may
    assign and its own offices."""

    inlines = [*UserAdmin.inlines, StaffMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        manageable = staff_scope.manageable_users(request.user)
        return super().get_queryset(request).filter(pk__in=manageable.values("pk"))

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":
            kwargs["queryset"] = staff_scope.assignable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser may hand out superuser status or single permissions.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        if _own_account(request, obj):
            readonly += ["groups"]  # nobody raises their own rights
        return readonly
