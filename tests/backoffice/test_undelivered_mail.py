"""Office heads see e-mails that did not arrive, with the reason, and send them again: those
about appointments and those about waitlist wishes."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from amtstermin.booking import roles, waitlist
from amtstermin.booking.demand import resolve_demand
from amtstermin.notifications.models import Message, MessageKind, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.backoffice.conftest import Cast, at, book, client_for, make_staff


def test_a_failed_mail_is_listed_with_its_reason_and_can_be_sent_again(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    message = Message.objects.get(appointment=appointment)
    message.status, message.attempts = MessageStatus.FAILED, 6
    message.last_error = "SMTPRecipientsRefused: mailbox unavailable"
    message.save()
    head = client_for(cast.head_a)
    page = head.get(f"/backoffice/{cast.office_a.pk}/mail/").content.decode()
    assert appointment.code in page and "mailbox unavailable" in page
    response = head.post(f"/backoffice/{cast.office_a.pk}/mail/{message.pk}/resend/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.QUEUED, 0, "")
    assert "The e-mail is queued again." in head.get(response["Location"]).content.decode()


def test_sending_again_a_mail_that_waits_for_its_retry_says_so(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    message = Message.objects.get(appointment=appointment)
    message.status, message.attempts = MessageStatus.QUEUED, 1
    message.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    message.save()
    head = client_for(cast.head_a)
    response = head.post(
        f"/backoffice/{cast.office_a.pk}/mail/{message.pk}/resend/",
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "already waiting for its next attempt" in page
    assert "queued again" not in page
    message.refresh_from_db()
    assert message.attempts == 1


def test_another_offices_mail_and_clerks_stay_out(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    message = Message.objects.get(appointment=appointment)
    message.status = MessageStatus.FAILED
    message.save()
    head_b = make_staff("head-b", roles.OFFICE_HEAD, cast.office_b)
    other = client_for(head_b)
    assert (
        appointment.code not in other.get(f"/backoffice/{cast.office_b.pk}/mail/").content.decode()
    )
    assert (
        other.post(f"/backoffice/{cast.office_b.pk}/mail/{message.pk}/resend/").status_code == 404
    )
    assert other.get(f"/backoffice/{cast.office_a.pk}/mail/").status_code == 404
    assert client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/mail/").status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_a_mail_interrupted_by_a_dead_worker_is_listed_and_can_be_sent_again(
    cast: Cast, settings: Settings
) -> None:
    settings.TASK_TIMEOUT_SECONDS = 600
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    message = Message.objects.get(appointment=appointment)
    message.status, message.attempts = MessageStatus.SENDING, 1
    message.attempt_started_at = timezone.now() - timedelta(seconds=601)
    message.save()
    head = client_for(cast.head_a)
    page = head.get(f"/backoffice/{cast.office_a.pk}/mail/").content.decode()
    assert appointment.code in page and "interrupted" in page
    assert f"/mail/{message.pk}/resend/" in page  # the "send again" button
    head.post(f"/backoffice/{cast.office_a.pk}/mail/{message.pk}/resend/")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)


# --- The waitlist's e-mails, which are about a wish, not an appointment ----------------------


def wish_of(cast: Cast, email: str = "erika@example.org", *, activate: bool = False) -> Message:
    """A wish in office A for Monday 14 December (any time); its latest e-mail."""
    demand = resolve_demand(office=cast.office_a, pairs=[(cast.services_a["id_card"].pk, 1)])
    entry, _token = waitlist.waitlist_sign_up(
        wish=waitlist.Wish(
            demand=demand,
            first_day=date(2026, 12, 14),
            last_day=date(2026, 12, 14),
            name="Erika Mustermann",
            email=email,
        )
    )
    if activate:
        waitlist.waitlist_activate(entry=entry)  # offered a free time at once
    return Message.objects.filter(wish=entry).order_by("pk").last()  # type: ignore[return-value]


def failed(message: Message, reason: str = "SMTPRecipientsRefused: mailbox unavailable") -> None:
    message.status, message.attempts, message.last_error = MessageStatus.FAILED, 6, reason
    message.save()


def test_a_failed_waitlist_opt_in_is_listed_and_can_be_sent_again(cast: Cast) -> None:
    message = wish_of(cast)
    assert message.kind == MessageKind.WAITLIST_OPT_IN
    failed(message)
    DBTaskResult.objects.all().delete()
    head = client_for(cast.head_a)

    page = head.get(f"/backoffice/{cast.office_a.pk}/mail/").content.decode()
    assert "Waitlist: please confirm" in page and "mailbox unavailable" in page
    assert f"/mail/{message.pk}/resend/" in page  # the "send again" button
    response = head.post(f"/backoffice/{cast.office_a.pk}/mail/{message.pk}/resend/")

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.QUEUED, 0, "")
    [task] = DBTaskResult.objects.filter(task_path=send_message.module_path)
    assert task.args_kwargs["args"] == [message.pk]


def test_a_failed_waitlist_offer_is_listed_with_the_offered_booking_code(cast: Cast) -> None:
    message = wish_of(cast, activate=True)
    assert message.kind == MessageKind.WAITLIST_OFFER
    assert message.wish is not None and message.wish.offer is not None
    failed(message)

    page = client_for(cast.head_a).get(f"/backoffice/{cast.office_a.pk}/mail/").content.decode()

    assert "Waitlist: a time for you" in page
    assert message.wish.offer.code in page
    assert "Every e-mail has been delivered." not in page


def test_another_offices_head_neither_sees_nor_sends_a_waitlist_e_mail(cast: Cast) -> None:
    message = wish_of(cast)
    failed(message)
    other = client_for(make_staff("head-b", roles.OFFICE_HEAD, cast.office_b))

    page = other.get(f"/backoffice/{cast.office_b.pk}/mail/").content.decode()
    response = other.post(f"/backoffice/{cast.office_b.pk}/mail/{message.pk}/resend/")

    assert "Waitlist: please confirm" not in page
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_the_admin_s_outbox_shows_an_office_its_waitlist_e_mails_only(cast: Cast) -> None:
    message = wish_of(cast)
    failed(message)
    own = client_for(cast.head_a).get("/admin/notifications/message/").content.decode()
    head_b = make_staff("head-b", roles.OFFICE_HEAD, cast.office_b)
    other = client_for(head_b).get("/admin/notifications/message/").content.decode()

    assert f"/admin/notifications/message/{message.pk}/change/" in own
    assert f"/admin/notifications/message/{message.pk}/change/" not in other
