"""An office's categories of services ("Ausweise und Pässe", "Meldewesen"), in the office's
order. The start page groups the services by them; a service without a category is listed last.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.office import Office
from amtstermin.booking.models.texts import OfficeTextsModel


class ServiceCategory(OfficeTextsModel):
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        related_name="service_categories",
        verbose_name=_("office"),
    )
    name = models.CharField(_("name (German)"), max_length=100)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=100,
        help_text=_("Categories are listed from the lowest position to the highest."),
    )

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["office", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"], name="service_category_name_unique_per_office"
            )
        ]

    def __str__(self) -> str:
        return self.name
