"""Staff-only capacity of a counter (ZMS: internal capacity).

Beside whole counters that are not offered online, an office keeps part of a counter's time for
phone and counter bookings: on a weekday either a time range or a share of the day. Citizens
online never get that time; staff book it as usual. The slot engine applies the rule
(``scheduling.capacity``); ``booking.capacity`` hands it the entries.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.office import Counter, Weekday


class StaffOnlyTime(models.Model):
    """On one weekday, a time range or a share of the day that only staff may book."""

    counter = models.ForeignKey(
        Counter,
        on_delete=models.CASCADE,
        related_name="staff_only_times",
        verbose_name=_("counter"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)
    share_percent = models.PositiveSmallIntegerField(
        _("share of the day (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Instead of a time range: the percentage of the counter's open time that day "
            "that is kept for phone and counter bookings."
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff-only time")
        verbose_name_plural = _("staff-only times")
        ordering = ["counter", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        start__isnull=False,
                        end__isnull=False,
                        share_percent__isnull=True,
                        end__gt=models.F("start"),
                    )
                    | models.Q(
                        start__isnull=True,
                        end__isnull=True,
                        share_percent__gte=1,
                        share_percent__lte=100,
                    )
                ),
                name="staff_only_range_or_share",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="staff_only_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        if self.share_percent is not None:
            return f"{self.get_weekday_display()} {self.share_percent} %"
        if self.start is None or self.end is None:
            return str(self.get_weekday_display())
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        has_range = self.start is not None or self.end is not None
        if has_range and self.share_percent is not None:
            raise ValidationError(_("Give either a time range or a share of the day, not both."))
        if not has_range and self.share_percent is None:
            raise ValidationError(_("Give a time range or a share of the day."))
        if has_range:
            if self.start is None:
                raise ValidationError({"start": _("Give the start of the time range.")})
            if self.end is None:
                raise ValidationError({"end": _("Give the end of the time range.")})
            if self.end <= self.start:
                raise ValidationError({"end": _("The end must be after the start.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Must not be before “valid from”.")})
