"""Kiosks and call displays paired with an office by a secret link."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.office import Office


class DeviceKind(models.TextChoices):
    KIOSK = "kiosk", _("kiosk")
    DISPLAY = "display", _("call display")


class Device(models.Model):
    """A kiosk or call display of one office. Its link carries a secret token; the database
    keeps only the token's hash. Revoked devices answer 403."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="devices", verbose_name=_("office")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeviceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("hash of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("paired"))
    created_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paired by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("paired device")
        verbose_name_plural = _("paired devices")
        ordering = ["office", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
