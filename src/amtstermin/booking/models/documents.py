"""An office's catalogue of documents, and which of its entries each service asks for.

A document is described once per office (``DocumentType``); services refer to it with their own
counting and note (``Document``), so a visit for several services lists it once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.office import Office, Service
from amtstermin.booking.models.texts import OfficeTextsModel


class DocumentType(OfficeTextsModel):
    """An entry of the office's catalogue: a document citizens may be asked to bring."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="document_types", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=200)
    note = models.CharField(
        _("general note"),
        max_length=300,
        blank=True,
        help_text=_("Shown with the document for every service that asks for it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("catalogue document")
        verbose_name_plural = _("document catalogue")
        ordering = ["office", "sort_order", "name_de", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"], name="document_type_name_unique_per_office"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Document(OfficeTextsModel):
    """A catalogue entry a service asks for: once per visit or once per person, with a note."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="documents", verbose_name=_("service")
    )
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("document"),
    )
    per_person = models.BooleanField(_("once per person"), default=False)
    note = models.CharField(
        _("note for this service"),
        max_length=300,
        blank=True,
        help_text=_("For this service only, e.g. “im Original” or “je Seite”."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("document to bring")
        verbose_name_plural = _("documents to bring")
        ordering = ["service", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "document_type"], name="document_once_per_service"
            )
        ]

    def __str__(self) -> str:
        return self.document_type.name

    def clean(self) -> None:
        # Either may be unset yet (a new service's inline): then there is nothing to compare.
        service = getattr(self, "service", None)
        entry = getattr(self, "document_type", None)
        if service is not None and entry is not None and entry.office_id != service.office_id:
            raise ValidationError(
                {"document_type": _("Choose a document from the catalogue of the same office.")}
            )

    @property
    def name(self) -> str:
        """The catalogue entry's name, in the active language."""
        return self.document_type.name

    @property
    def notes(self) -> tuple[str, ...]:
        """The catalogue's general note, then this service's own, in the active language."""
        found = (self.document_type.note, self.note)
        return tuple(dict.fromkeys(note for note in found if note))

    @property
    def display_note(self) -> str:
        return join_notes(self.notes)


def join_notes(notes: tuple[str, ...]) -> str:
    """The notes of one document as one text: a note that ends a sentence is followed by a
    space, any other by "; " (never ".;" as a plain join gave)."""
    text = ""
    for note in notes:
        if text:
            text += " " if text.endswith((".", "!", "?", "。", "؟")) else "; "
        text += note
    return text


def documents_prefetch(path: str = "documents") -> Prefetch:
    """Prefetch a service's documents (``path`` leads to them) with their catalogue entries."""
    return Prefetch(
        path,
        queryset=Document.objects.select_related("document_type").order_by("sort_order", "id"),
    )
