"""The waitlist's e-mails: the opt-in and the offer. Each holds exactly one link, to the wish's
page, where a button does what the e-mail asks (a link scanner that opens it changes nothing)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amtstermin.booking.models import WaitlistEntry
from amtstermin.booking.parsing import supported_language
from amtstermin.booking.tokens import wish_token
from amtstermin.notifications.links import absolute
from amtstermin.notifications.models import MessageKind

SUBJECTS = {
    MessageKind.WAITLIST_OPT_IN: lambda: _("Please confirm your waitlist wish"),
    MessageKind.WAITLIST_OFFER: lambda: _("A time for you from the waitlist"),
}


def build(entry: WaitlistEntry, kind: MessageKind, message_id: str) -> EmailMultiAlternatives:
    office = entry.office
    token = wish_token(entry.token_nonce)
    with translation.override(supported_language(entry.language)), timezone.override(office.zone):
        lines = [
            {"name": line.service.name, "persons": line.persons}
            for line in entry.lines.select_related("service")
        ]
        context = {
            "kind": kind.value,
            "office": office,
            "entry": entry,
            "offer": entry.offer if kind == MessageKind.WAITLIST_OFFER else None,
            "lines": lines,
            "wish_url": absolute(reverse("citizen:wish", args=[token])),
        }
        subject = SUBJECTS[kind]()
        text = render_to_string("notifications/waitlist_email.txt", context)
        html = render_to_string("notifications/waitlist_email.html", context)
    email = EmailMultiAlternatives(
        subject=f"{subject} – {office.name}",
        body=text,
        to=[entry.email],
        reply_to=[office.email] if office.email else None,
        headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id},
    )
    email.attach_alternative(html, "text/html")
    return email
