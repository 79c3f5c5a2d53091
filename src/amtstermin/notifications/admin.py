"""E-mail settings per office, and the outbox: failed messages with the reason, and resend."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from amtstermin.booking.admin_texts import TranslatedTextsAdmin
from amtstermin.booking.selectors import staff_offices
from amtstermin.notifications import outbox
from amtstermin.notifications.models import Message, MessageSetting
from amtstermin.notifications.selectors import of_office


@admin.register(MessageSetting)
class MessageSettingAdmin(TranslatedTextsAdmin):
    list_display = ["office", "kind", "enabled"]
    list_filter = ["office", "kind", "enabled"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MessageSetting]:
        return super().get_queryset(request).filter(office__in=staff_offices(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "office":
            kwargs["queryset"] = staff_offices(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "status",
        "attempts",
        "last_error",
        "appointment",
        "wish",
    ]
    list_filter = ["status", "kind", "appointment__office"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["resend"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        # About the staff's offices' appointments or waitlist wishes.
        return super().get_queryset(request).filter(of_office(staff_offices(request.user)))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = sum(outbox.resend(message) for message in queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
