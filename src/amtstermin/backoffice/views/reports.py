"""What happened: the audit log, the statistics and the e-mails that did not arrive (office
heads)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.access import PLANNING, staff_required
from amtstermin.booking.models import Office
from amtstermin.notifications import outbox
from amtstermin.notifications import selectors as mail_selectors

from .common import page_context


@staff_required(PLANNING)
@require_GET
def audit(request: HttpRequest, office: Office) -> HttpResponse:
    entries = list(staff_selectors.audit_entries(office)[:200])
    return render(request, "backoffice/audit.html", page_context(request, office, entries=entries))


@staff_required(PLANNING)
@require_GET
def mail(request: HttpRequest, office: Office) -> HttpResponse:
    undelivered = list(mail_selectors.undelivered_messages(office)[:200])
    return render(
        request, "backoffice/mail.html", page_context(request, office, undelivered=undelivered)
    )


@staff_required(PLANNING)
@require_POST
def mail_resend(request: HttpRequest, office: Office, message_id: int) -> HttpResponse:
    message = mail_selectors.undelivered_messages(office).filter(pk=message_id).first()
    if message is None:
        raise Http404
    if outbox.resend(message):
        messages.success(request, _("The e-mail is queued again."))
    else:
        messages.info(request, _("This e-mail is already waiting for its next attempt."))
    return redirect("backoffice:mail", office_id=office.pk)
