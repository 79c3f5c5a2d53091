"""Failed logins lock out the pair (user name, client address), and separately an address that
fails too often; nobody elsewhere can lock a clerk out. The clients sit behind one trusted
proxy, so the address is the one it appends to X-Forwarded-For."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from .conftest import Cast

PASSWORD = "correct horse battery staple"
ATTACKER, CLERK_DESK, OFFICE = "203.0.113.5", "198.51.100.7", "192.0.2.20"


@pytest.fixture(autouse=True)
def behind_a_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8


@pytest.fixture
def passwords(cast: Cast) -> None:
    for user in (cast.clerk_a, cast.head_a):
        user.set_password(PASSWORD)
        user.save()


def log_in(address: str, user: User | str, password: str = PASSWORD) -> Client:
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.18.0.1, {address}")
    username = user if isinstance(user, str) else user.get_username()
    client.post("/backoffice/login/", {"username": username, "password": password})
    return client


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(address: str, user: User | str, times: int) -> None:
    for _attempt in range(times):
        assert not logged_in(log_in(address, user, "wrong password!"))


def test_wrong_passwords_lock_the_account_only_from_that_address(
    cast: Cast, passwords: None
) -> None:
    fail(ATTACKER, cast.clerk_a, 5)
    assert not logged_in(log_in(ATTACKER, cast.clerk_a))
    assert logged_in(log_in(CLERK_DESK, cast.clerk_a))


def test_one_persons_typos_do_not_lock_out_colleagues_at_the_same_address(
    cast: Cast, passwords: None
) -> None:
    fail(OFFICE, cast.head_a, 5)
    assert not logged_in(log_in(OFFICE, cast.head_a))
    assert logged_in(log_in(OFFICE, cast.clerk_a))


def test_an_address_guessing_many_user_names_is_locked_at_its_own_limit(
    cast: Cast, passwords: None
) -> None:
    for name in ("anna", "berta", "carl", "dora", "emil", "franz", "gustav"):
        fail(ATTACKER, name, 1)
    # Seven failures: the address may still log in, and that does not clear its failures.
    assert logged_in(log_in(ATTACKER, cast.clerk_a))
    fail(ATTACKER, "heinrich", 1)
    assert not logged_in(log_in(ATTACKER, cast.head_a))
    assert logged_in(log_in(CLERK_DESK, cast.head_a))


def test_without_a_trusted_proxy_a_forwarded_address_counts_for_nothing(
    cast: Cast, passwords: None, settings: Any
) -> None:
    """Else anyone could lock a clerk's desk address by naming it in X-Forwarded-For."""
    settings.TRUSTED_PROXIES = 0
    fail(CLERK_DESK, cast.clerk_a, 5)  # all from 10.0.0.1, naming the desk's address
    desk = Client(REMOTE_ADDR=CLERK_DESK)
    desk.post("/backoffice/login/", {"username": "clerk-a", "password": PASSWORD})
    assert logged_in(desk)
