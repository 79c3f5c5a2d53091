"""The second factor (TOTP): set-up, the code step after the password, an office that makes it
mandatory, and removal. Codes are computed from the device key at the frozen clock; each
successful code uses up its 30-second step, so the clock moves on before the next one."""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import DAY, Cast, client_for

PASSWORD = "correct horse battery staple"
SECURITY = "/backoffice/security/"
VERIFY = "/backoffice/login/verify/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def next_step(frozen: Any) -> None:
    """Move to the next 30-second step (a used code is never accepted twice)."""
    frozen.shift(31)


def confirmed_device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def password_login(user: User) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/backoffice/login/", {"username": user.get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    return client


def staff_pages(cast: Cast) -> list[str]:
    a = cast.office_a.pk
    return [
        "/backoffice/",
        f"/backoffice/{a}/day/",
        f"/backoffice/{a}/day/{DAY}/",
        f"/backoffice/{a}/book/",
        f"/backoffice/{a}/queue/",
        f"/backoffice/{a}/absences/",
        f"/backoffice/{a}/statistics/",
        reverse("admin:index"),
        reverse("admin:booking_appointment_changelist"),
        reverse("admin:booking_office_changelist"),
    ]


def assert_all_redirect_to(client: Client, pages: list[str], target: str) -> None:
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{target}?next={quote(url, safe='')}", url


def test_setup_confirms_the_device_only_with_a_valid_code(cast: Cast, frozen: Any) -> None:
    client = client_for(cast.head_a)
    page = client.get(SECURITY)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=cast.head_a)
    assert not device.confirmed
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body
    secret = b32encode(device.bin_key).decode()
    shown = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert shown in body
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body
    # Reloading keeps the same key, so a scanned QR code stays valid.
    client.get(SECURITY)
    assert TOTPDevice.objects.filter(user=cast.head_a).count() == 1

    for bad in ("", "12ab56", wrong_code_for(device)):
        response = client.post(SECURITY, {"code": bad})
        assert response.status_code == 200, bad
        assert 'role="alert"' in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
        assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    frozen.shift(5)  # the wrong code made the next try wait

    response = client.post(SECURITY, {"code": code_for(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # Having just proved the code, the session is verified: staff pages open.
    assert client.get(f"/backoffice/{cast.office_a.pk}/day/").status_code == 200


def test_login_with_a_device_needs_the_code_and_refuses_a_wrong_one(
    cast: Cast, frozen: Any
) -> None:
    device = confirmed_device_for(cast.head_a)
    client = password_login(cast.head_a)
    assert_all_redirect_to(client, staff_pages(cast), VERIFY)

    day_plan = f"/backoffice/{cast.office_a.pk}/day/"
    page = client.get(VERIFY, {"next": day_plan})
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    response = client.post(VERIFY, {"code": wrong_code_for(device), "next": day_plan})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "not correct" in response.content.decode()
    assert_all_redirect_to(client, staff_pages(cast), VERIFY)

    # Throttled: straight after a wrong code even the right one is refused ...
    response = client.post(VERIFY, {"code": code_for(device), "next": day_plan})
    assert response.status_code == 200 and "Too many wrong codes" in response.content.decode()
    assert_all_redirect_to(client, staff_pages(cast), VERIFY)
    # ... and accepted once the wait is over.
    frozen.shift(5)
    response = client.post(VERIFY, {"code": code_for(device), "next": day_plan})
    assert response.status_code == 302 and response["Location"] == day_plan
    for url in staff_pages(cast):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert not response.get("Location", "").startswith(VERIFY), url
    assert client.get(day_plan).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_used_code_does_not_verify_a_second_session(cast: Cast, frozen: Any) -> None:
    device = confirmed_device_for(cast.clerk_a)
    first = password_login(cast.clerk_a)
    code = code_for(device)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = password_login(cast.clerk_a)
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert second.get(f"/backoffice/{cast.office_a.pk}/day/").status_code == 302


def test_verify_page_needs_a_password_login_first(cast: Cast) -> None:
    response = Client().get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/")


def test_an_office_requiring_the_second_factor_blocks_staff_without_a_device(
    cast: Cast, frozen: Any
) -> None:
    cast.office_a.require_second_factor = True
    cast.office_a.save()
    client = client_for(cast.head_a)
    assert_all_redirect_to(client, staff_pages(cast), SECURITY)
    # IT administration of that office cannot reach the admin either.
    assert_all_redirect_to(client_for(cast.it_admin), [reverse("admin:index")], SECURITY)
    # The code page does not let them round the set-up.
    assert client.get(VERIFY).status_code == 302
    # Staff of another office are not affected.
    assert client_for(cast.clerk_b).get(f"/backoffice/{cast.office_b.pk}/day/").status_code == 200

    day_plan = f"/backoffice/{cast.office_a.pk}/day/"
    page = client.get(SECURITY, {"next": day_plan})
    assert "requires a second factor" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.head_a)
    response = client.post(SECURITY, {"code": code_for(device), "next": day_plan})
    assert response.status_code == 302 and response["Location"] == day_plan
    assert client.get(day_plan).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200

    # A later login asks for the code, not for a new set-up.
    next_step(frozen)
    later = password_login(cast.head_a)
    assert_all_redirect_to(later, staff_pages(cast), VERIFY)
    assert later.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert later.get(day_plan).status_code == 200


def test_without_requirement_and_device_login_works_as_before(cast: Cast) -> None:
    client = password_login(cast.head_a)
    assert client.get(f"/backoffice/{cast.office_a.pk}/day/").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
    assert not TOTPDevice.objects.exists()


def test_removing_the_device_needs_a_valid_code(cast: Cast, frozen: Any) -> None:
    device = confirmed_device_for(cast.clerk_a)
    client = password_login(cast.clerk_a)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    page = client.get(SECURITY)
    assert page.status_code == 200 and "Remove second factor" in page.content.decode()

    next_step(frozen)
    for bad in ("", wrong_code_for(device)):
        response = client.post(SECURITY, {"code": bad})
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
        assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    frozen.shift(5)
    response = client.post(SECURITY, {"code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.clerk_a).exists()
    # Without a device and without the office's requirement, the next login needs no code.
    assert (
        password_login(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/day/").status_code == 200
    )


def test_an_unverified_session_cannot_remove_the_device(cast: Cast) -> None:
    device = confirmed_device_for(cast.clerk_a)
    client = password_login(cast.clerk_a)
    response = client.post(SECURITY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_office_admin_offers_the_second_factor_setting(cast: Cast) -> None:
    admin = User.objects.create_superuser(username="root", password=None)
    response = client_for(admin).get(
        reverse("admin:booking_office_change", args=[cast.office_a.pk])
    )
    assert response.status_code == 200
    assert 'name="require_second_factor"' in response.content.decode()
