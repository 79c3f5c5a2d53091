"""The e-mails: plain text and HTML, in the citizen's language, no remote images."""

from __future__ import annotations

from email.mime.image import MIMEImage
from urllib.parse import urlencode

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amtstermin.booking.models import Appointment
from amtstermin.booking.parsing import supported_language
from amtstermin.booking.tokens import manage_token
from amtstermin.booking.visit import VisitSummary, visit_summary
from amtstermin.notifications import waitlist_emails
from amtstermin.notifications.ics import calendar_file
from amtstermin.notifications.links import absolute
from amtstermin.notifications.models import Message, MessageKind, MessageSetting
from amtstermin.notifications.qr import qr_png

SUBJECTS = {
    MessageKind.CONFIRM_REQUEST: lambda: _("Please confirm your appointment"),
    MessageKind.CONFIRMED: lambda: _("Your appointment is booked"),
    MessageKind.REMINDER: lambda: _("Reminder: your appointment"),
    MessageKind.CANCELLED: lambda: _("Your appointment is cancelled"),
    MessageKind.MOVED: lambda: _("Your appointment has a new time"),
    MessageKind.LAPSED: lambda: _("Your appointment was not confirmed in time"),
    **waitlist_emails.SUBJECTS,
}


OFFICE_SUBJECTS = {
    MessageKind.CANCELLED: lambda: _("The office has cancelled your appointment"),
    MessageKind.MOVED: lambda: _("The office has moved your appointment"),
}


def _subject(kind: MessageKind, *, by_office: bool) -> str:
    if by_office and kind in OFFICE_SUBJECTS:
        return str(OFFICE_SUBJECTS[kind]())
    return str(SUBJECTS[kind]())


def rebook_url(appointment: Appointment, visit: VisitSummary) -> str:
    """The office's booking page with the appointment's services and persons (its ``visit``
    summary's lines) chosen already."""
    services = ",".join(f"{line.service_id}:{line.persons}" for line in visit.lines)
    path = reverse("citizen:office", args=[appointment.office_id])
    return absolute(f"{path}?{urlencode({'services': services})}")


def build(message: Message) -> EmailMultiAlternatives:
    if message.wish is not None:
        return waitlist_emails.build(message.wish, MessageKind(message.kind), message.message_id)
    appointment = message.appointment
    assert appointment is not None  # a message is about an appointment or a wish
    office = appointment.office
    kind = MessageKind(message.kind)
    token = manage_token(appointment.token_nonce)
    with (
        translation.override(supported_language(appointment.language)),
        timezone.override(office.zone),
    ):
        visit = visit_summary(appointment)
        setting = MessageSetting.objects.filter(office=office, kind=kind).first()
        context = {
            "kind": kind.value,
            "office": office,
            "appointment": appointment,
            "visit": visit,
            "manage_url": absolute(reverse("citizen:manage", args=[token])),
            "confirm_url": absolute(reverse("citizen:confirm", args=[token])),
            "cancel_until": appointment.cancel_deadline(),
            "move_until": appointment.move_deadline(),
            "can_move": appointment.may_move_online(timezone.now()),
            "paragraph": setting.paragraph if setting else "",
            "by_office": appointment.changed_by_office,
            "office_reason": appointment.office_reason,
            "rebook_url": rebook_url(appointment, visit),
        }
        subject = f"{_subject(kind, by_office=appointment.changed_by_office)} – {office.name}"
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[appointment.email],
        reply_to=[office.email] if office.email else None,
        headers={"Auto-Submitted": "auto-generated", "Message-ID": message.message_id},
    )
    email.attach_alternative(html, "text/html")
    if kind in (MessageKind.CONFIRMED, MessageKind.MOVED, MessageKind.CANCELLED):
        method = "CANCEL" if kind == MessageKind.CANCELLED else "PUBLISH"
        email.attach(
            "termin.ics",
            calendar_file(appointment, cancelled=kind == MessageKind.CANCELLED, visit=visit),
            f"text/calendar; method={method}; charset=utf-8",
        )
    if kind in (MessageKind.CONFIRMED, MessageKind.MOVED, MessageKind.REMINDER):
        email.mixed_subtype = "related"  # type: ignore[attr-defined]  # Django has it, stubs not
        image = MIMEImage(qr_png(appointment.code), "png")
        image.add_header("Content-ID", "<booking-code>")
        image.add_header("Content-Disposition", "inline", filename="code.png")
        email.attach(image)
    return email
