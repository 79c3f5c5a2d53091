"""The audit log's filters: one office-local day, one staff member, one action (all by GET)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amtstermin.backoffice.errors import error_messages
from amtstermin.backoffice.forms import DayField
from amtstermin.backoffice.selectors import NO_STAFF
from amtstermin.booking.models import AuditAction

_CHOICE = {"invalid_choice": error_messages["audit_choice"]}


class AuditFilterForm(forms.Form):
    """Empty fields filter nothing; a field with a wrong value is reported and ignored."""

    INPUTS = ("day", "staff", "action")

    day = DayField(required=False, error_messages={"invalid": error_messages["audit_day"]})
    staff = forms.ChoiceField(required=False, error_messages=_CHOICE)
    action = forms.ChoiceField(
        required=False, choices=[("", ""), *AuditAction.choices], error_messages=_CHOICE
    )

    def __init__(self, data: Mapping[str, Any], *, staff_names: Sequence[str]) -> None:
        super().__init__(data)
        field = self.fields["staff"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", ""),
            (NO_STAFF, _("kiosk or automatic")),
            *[(name, name) for name in staff_names],
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters, as ``audit_entries`` takes them."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "day": cleaned.get("day"),
            "staff_name": cleaned.get("staff") or "",
            "action": cleaned.get("action") or "",
        }
