"""Office heads see e-mails that did not arrive, with the reason, and send them again."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from pytest_django import Settings

from amtstermin.booking import roles
from amtstermin.notifications.models import Message, MessageStatus
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
