"""What happened: the audit log, the statistics and the e-mails that did not arrive (office
heads)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.access import PLANNING, staff_required
from amtstermin.backoffice.audit_display import present
from amtstermin.backoffice.audit_export import csv_response
from amtstermin.backoffice.audit_filter import AuditFilterForm
from amtstermin.backoffice.forms import entered, first_errors
from amtstermin.booking.models import Office
from amtstermin.notifications import outbox
from amtstermin.notifications import selectors as mail_selectors

from .common import page_context

AUDIT_PAGE_SIZE = 100


def _audit_filter(request: HttpRequest, office: Office) -> AuditFilterForm:
    return AuditFilterForm(request.GET, staff_names=staff_selectors.audit_staff_names(office))


@staff_required(PLANNING)
@require_GET
def audit(request: HttpRequest, office: Office) -> HttpResponse:
    form = _audit_filter(request, office)
    entries = staff_selectors.audit_entries(office, **form.filters())
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/audit.html",
        page_context(
            request,
            office,
            form=form,
            values=entered(form, AuditFilterForm.INPUTS),
            errors=first_errors(form),
            page=page,
            lines=present(page.object_list, office),
        ),
    )


@staff_required(PLANNING)
@require_GET
def audit_csv(request: HttpRequest, office: Office) -> StreamingHttpResponse:
    """The filtered entries as CSV: semicolons and a byte order mark, or ``separator=comma``."""
    form = _audit_filter(request, office)
    filters = form.filters()
    day = filters["day"].isoformat() if filters["day"] else "all"
    return csv_response(
        staff_selectors.audit_entries(office, **filters),
        office,
        "comma" if request.GET.get("separator") == "comma" else "semicolon",
        filename=f"audit-{office.pk}-{day}.csv",
    )


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
