"""Waitlist wishes ("Terminwunsch"): what a citizen would take when nothing fits now, and the
offer the system holds for them. Facts about one wish live here; every write goes through
``booking.waitlist``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.contact import email_identity
from amtstermin.booking.models.appointment import Appointment
from amtstermin.booking.models.office import Office, Service

NOON_MINUTES = 12 * 60  # mornings start before noon, afternoons at or after it
PENDING_WISH_DAYS = 2  # a wish whose e-mail is not confirmed by then expires


class WaitlistStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the e-mail confirmation")
    ACTIVE = "active", _("waiting")
    OFFERED = "offered", _("time offered")
    BOOKED = "booked", _("booked")
    EXPIRED = "expired", _("expired")
    CANCELLED = "cancelled", _("withdrawn")


# A wish counts against its person (the per-person limit) in these states.
OPEN_WISH_STATUSES = (WaitlistStatus.PENDING, WaitlistStatus.ACTIVE, WaitlistStatus.OFFERED)


class PartOfDay(models.TextChoices):
    ANY = "", _("any time of day")
    MORNING = "morning", _("mornings (before noon)")
    AFTERNOON = "afternoon", _("afternoons (from noon)")


class WaitlistQuerySet(models.QuerySet["WaitlistEntry"]):
    def open_offers_lapsed(self, now: datetime) -> WaitlistQuerySet:
        return self.filter(status=WaitlistStatus.OFFERED, offer_expires_at__lte=now)

    def in_line(self) -> WaitlistQuerySet:
        """Waiting wishes, first come first served (by the moment the e-mail confirmed)."""
        return self.filter(status=WaitlistStatus.ACTIVE).order_by("confirmed_at", "pk")


class WaitlistEntry(models.Model):
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("office")
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    # ISO weekdays as digits, e.g. "135" for Monday, Wednesday, Friday; empty: every day.
    weekdays = models.CharField(_("weekdays"), max_length=7, blank=True)
    part_of_day = models.CharField(
        _("part of the day"), max_length=10, choices=PartOfDay.choices, blank=True
    )
    citizen_name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    email_identity = models.CharField(max_length=254, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=8, default="de")
    status = models.CharField(
        _("status"), max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.PENDING
    )
    token_nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    offer = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered appointment"),
    )
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = WaitlistQuerySet.as_manager()

    class Meta:
        verbose_name = _("waitlist wish")
        verbose_name_plural = _("waitlist wishes")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["office", "status", "confirmed_at"], name="waitlist_line"),
            models.Index(fields=["office", "email_identity"], name="waitlist_email_identity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="waitlist_days_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office}: {self.first_day}–{self.last_day} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_identity = email_identity(self.email)
        super().save(*args, **kwargs)

    @property
    def weekday_numbers(self) -> frozenset[int]:
        """ISO weekdays (1 = Monday) the citizen can come on; all when none were chosen."""
        return frozenset(int(digit) for digit in self.weekdays) or frozenset(range(1, 8))

    def fits(self, local: datetime) -> bool:
        """Whether a start (office-local) lies on a wanted day and part of the day."""
        if not self.first_day <= local.date() <= self.last_day:
            return False
        if local.isoweekday() not in self.weekday_numbers:
            return False
        minutes = local.hour * 60 + local.minute
        if self.part_of_day == PartOfDay.MORNING:
            return minutes < NOON_MINUTES
        if self.part_of_day == PartOfDay.AFTERNOON:
            return minutes >= NOON_MINUTES
        return True

    def offer_open(self, now: datetime) -> bool:
        return (
            self.status == WaitlistStatus.OFFERED
            and self.offer_expires_at is not None
            and self.offer_expires_at > now
        )


class WaitlistLine(models.Model):
    """One service of a wish, for a number of persons."""

    entry = models.ForeignKey(
        WaitlistEntry, on_delete=models.CASCADE, related_name="lines", verbose_name=_("wish")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    persons = models.PositiveSmallIntegerField(_("persons"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("service of the wish")
        verbose_name_plural = _("services of the wish")
        constraints = [
            models.UniqueConstraint(fields=["entry", "service"], name="waitlist_service_once"),
        ]

    def __str__(self) -> str:
        return f"{self.service} × {self.persons}"
