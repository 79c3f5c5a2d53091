"""Staff who manage accounts in the admin stay inside their own offices and the staff roles.

The cast's IT administrator works for office A only. Besides the cast, office A has a superuser,
a second IT administrator, an IT administrator who also works for office B, an IT administrator
without any office, and an account in a group with rights beyond the staff roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django import forms
from django.contrib.auth.models import Group, User

from amtstermin.booking import roles
from amtstermin.booking.models import StaffMembership
from tests.factories import make_office

from .conftest import Cast, client_for, make_staff

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

NEW_PASSWORD = "a new and long passphrase 42"
INLINE = "office_memberships"  # the prefix of the membership inline on the user pages
SPECIAL = "Sonderrechte"  # a group beside the staff roles, which only a superuser assigns
MANAGEABLE = {"it", "it-colleague", "clerk-a", "head-a"}  # office A's staff-role accounts


@dataclass
class People:
    root: User
    colleague: User
    both_offices: User
    no_office: User
    special: User


@pytest.fixture
def people(cast: Cast) -> People:
    Group.objects.create(name=SPECIAL)
    root = User.objects.create_superuser("root-admin", password="the superuser's own 1")
    StaffMembership.objects.create(user=root, office=cast.office_a)
    return People(
        root=root,
        colleague=make_staff("it-colleague", roles.IT_ADMIN, cast.office_a),
        both_offices=make_staff("it-both-offices", roles.IT_ADMIN, cast.office_a, cast.office_b),
        no_office=make_staff("it-no-office", roles.IT_ADMIN),
        special=make_staff("special", SPECIAL, cast.office_a),
    )


def posted_back(page: TestResponse) -> dict[str, Any]:
    """What a browser posts when the admin change page is saved unchanged."""
    form = page.context["adminform"].form
    parts: list[forms.BaseForm] = [form]
    for inline in page.context["inline_admin_formsets"]:
        parts += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for part in parts:
        for name, field in part.fields.items():
            key, value = part.add_prefix(name), part[name].value()
            if field.disabled or value is None or value is False:
                continue
            if isinstance(field.widget, forms.MultiWidget):
                pieces = field.widget.decompress(value)
                assert pieces is not None  # typed as optional; Django's widgets return a list
                for index, piece in enumerate(pieces):
                    data[f"{key}_{index}"] = piece
            else:
                data[key] = "on" if value is True else value
    return data


def office_choices(page: TestResponse) -> set[int]:
    """The offices the membership inline's drop-down offers."""
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.prefix == INLINE
    )
    return {office.pk for office in formset.empty_form.fields["office"].queryset}


def with_new_membership(data: dict[str, Any], office_id: int) -> dict[str, Any]:
    """``data`` with the office filled into the first empty row of the membership inline."""
    row = int(data[f"{INLINE}-INITIAL_FORMS"])
    return {**data, f"{INLINE}-{row}-office": office_id}


def test_the_user_list_shows_only_staff_role_accounts_inside_the_admins_offices(
    cast: Cast, people: People
) -> None:
    page = client_for(cast.it_admin).get("/admin/auth/user/")
    assert page.status_code == 200
    assert {user.username for user in page.context["cl"].result_list} == MANAGEABLE


def test_only_a_superuser_may_set_a_superusers_password(cast: Cast, people: People) -> None:
    url = f"/admin/auth/user/{people.root.pk}/password/"
    it = client_for(cast.it_admin)
    assert it.get(url).status_code == 404
    response = it.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    people.root.refresh_from_db()
    assert people.root.check_password("the superuser's own 1")
    assert client_for(people.root).get(url).status_code == 200


def test_the_admin_sets_a_password_only_for_accounts_it_may_manage(
    cast: Cast, people: People
) -> None:
    it = client_for(cast.it_admin)
    for outsider in (people.special, cast.clerk_b, people.both_offices, people.no_office):
        url = f"/admin/auth/user/{outsider.pk}/password/"
        response = it.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == 404, outsider.username
        outsider.refresh_from_db()
        assert not outsider.check_password(NEW_PASSWORD)
    url = f"/admin/auth/user/{cast.clerk_a.pk}/password/"
    assert it.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    cast.clerk_a.refresh_from_db()
    assert cast.clerk_a.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("page", ["change", "history"])
def test_accounts_outside_the_admins_scope_do_not_open(
    cast: Cast, people: People, page: str
) -> None:
    it = client_for(cast.it_admin)
    outsiders = (people.root, people.special, cast.clerk_b, people.both_offices, people.no_office)
    for outsider in outsiders:
        response = it.get(f"/admin/auth/user/{outsider.pk}/{page}/")
        assert response.status_code == 302, outsider.username  # "does not exist"
        assert response["Location"] == "/admin/"


def test_the_membership_inline_offers_only_the_admins_offices(cast: Cast, people: People) -> None:
    it = client_for(cast.it_admin)
    colleague_page = it.get(f"/admin/auth/user/{people.colleague.pk}/change/")
    assert office_choices(colleague_page) == {cast.office_a.pk}
    assert office_choices(it.get("/admin/auth/user/add/")) == {cast.office_a.pk}


def test_the_admin_cannot_add_another_office_to_its_own_account(cast: Cast) -> None:
    it = client_for(cast.it_admin)
    url = f"/admin/auth/user/{cast.it_admin.pk}/change/"
    data = {**posted_back(it.get(url)), f"{INLINE}-TOTAL_FORMS": 2}
    it.post(url, with_new_membership(data, cast.office_b.pk))
    assert [m.office for m in cast.it_admin.office_memberships.all()] == [cast.office_a]


def test_the_admin_cannot_change_its_own_groups(cast: Cast) -> None:
    it = client_for(cast.it_admin)
    url = f"/admin/auth/user/{cast.it_admin.pk}/change/"
    page = it.get(url)
    assert "groups" not in page.context["adminform"].form.fields
    head = Group.objects.get(name=roles.OFFICE_HEAD)
    it.post(url, {**posted_back(page), "groups": [*cast.it_admin.groups.all(), head]})
    assert list(cast.it_admin.groups.values_list("name", flat=True)) == [roles.IT_ADMIN]


def test_the_admin_gives_staff_roles_but_no_other_group(cast: Cast, people: People) -> None:
    it = client_for(cast.it_admin)
    url = f"/admin/auth/user/{cast.clerk_a.pk}/change/"
    page = it.get(url)
    offered = {group.name for group in page.context["adminform"].form.fields["groups"].queryset}
    assert offered == set(roles.STAFF_GROUPS)
    special = Group.objects.get(name=SPECIAL)
    response = it.post(url, {**posted_back(page), "groups": [*cast.clerk_a.groups.all(), special]})
    assert response.status_code == 200  # the form again, with the error
    assert not cast.clerk_a.groups.filter(pk=special.pk).exists()
    head = Group.objects.get(name=roles.OFFICE_HEAD)
    response = it.post(url, {**posted_back(page), "groups": [head.pk]})
    assert response.status_code == 302
    assert list(cast.clerk_a.groups.values_list("name", flat=True)) == [roles.OFFICE_HEAD]


def _new_account(office_id: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "new-colleague",
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        f"{INLINE}-TOTAL_FORMS": 1,
        f"{INLINE}-INITIAL_FORMS": 0,
    }
    if office_id is not None:
        data[f"{INLINE}-0-office"] = office_id
    return data


def test_a_new_account_must_get_one_of_the_admins_offices(cast: Cast) -> None:
    it = client_for(cast.it_admin)
    without_office = it.post("/admin/auth/user/add/", _new_account(None))
    assert "Give the account at least one of your offices." in without_office.content.decode()
    assert it.post("/admin/auth/user/add/", _new_account(cast.office_b.pk)).status_code == 200
    assert not User.objects.filter(username="new-colleague").exists()
    response = it.post("/admin/auth/user/add/", _new_account(cast.office_a.pk))
    created = User.objects.get(username="new-colleague")
    assert [m.office for m in created.office_memberships.all()] == [cast.office_a]
    assert response["Location"] == f"/admin/auth/user/{created.pk}/change/"
    assert it.get(response["Location"]).status_code == 200


def test_the_membership_admin_refuses_users_the_admin_may_not_manage(
    cast: Cast, people: People
) -> None:
    it = client_for(cast.it_admin)
    for outsider in (people.root, people.special, cast.clerk_b, people.no_office):
        response = it.post(
            "/admin/booking/staffmembership/add/",
            {"user": outsider.pk, "office": cast.office_a.pk},
        )
        assert response.status_code == 200, outsider.username
    assert not StaffMembership.objects.filter(user=cast.clerk_b, office=cast.office_a).exists()
    assert not StaffMembership.objects.filter(user=people.no_office).exists()


def test_the_membership_admins_user_search_finds_only_manageable_accounts(
    cast: Cast, people: People
) -> None:
    response = client_for(cast.it_admin).get(
        "/admin/autocomplete/",
        {"app_label": "booking", "model_name": "staffmembership", "field_name": "user"},
    )
    assert {item["text"] for item in response.json()["results"]} == MANAGEABLE


@pytest.mark.parametrize("how", ["delete page", "bulk action"])
def test_the_admin_cannot_remove_a_membership_of_an_account_it_may_not_manage(
    cast: Cast, people: People, how: str
) -> None:
    membership = StaffMembership.objects.get(user=people.special)
    it = client_for(cast.it_admin)
    if how == "delete page":
        url = f"/admin/booking/staffmembership/{membership.pk}/delete/"
        response = it.post(url, {"post": "yes"})
    else:
        response = it.post(
            "/admin/booking/staffmembership/",
            {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
        )
    assert response.status_code == 403
    assert StaffMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("how", ["delete page", "bulk action"])
def test_the_admin_cannot_take_an_accounts_last_office(
    cast: Cast, people: People, how: str
) -> None:
    membership = StaffMembership.objects.get(user=cast.clerk_a)
    it = client_for(cast.it_admin)
    if how == "delete page":
        response = it.post(
            f"/admin/booking/staffmembership/{membership.pk}/delete/", {"post": "yes"}
        )
    else:
        response = it.post(
            "/admin/booking/staffmembership/",
            {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
        )
    assert response.status_code == 403
    assert StaffMembership.objects.filter(pk=membership.pk).exists()


def test_the_admin_cannot_remove_or_change_its_own_membership(cast: Cast) -> None:
    StaffMembership.objects.create(user=cast.it_admin, office=cast.office_b)  # by a superuser
    own = StaffMembership.objects.get(user=cast.it_admin, office=cast.office_a)
    it = client_for(cast.it_admin)
    url = f"/admin/booking/staffmembership/{own.pk}"
    assert it.post(f"{url}/delete/", {"post": "yes"}).status_code == 403
    it.post(f"{url}/change/", {"user": cast.it_admin.pk, "office": cast.office_b.pk})
    assert StaffMembership.objects.filter(pk=own.pk, office=cast.office_a).exists()


def test_a_membership_cannot_be_moved_to_another_account(cast: Cast) -> None:
    """Moving would leave the first account without an office (and a password IT knows)."""
    office_c = make_office(name="Bürgerbüro Drittort")
    StaffMembership.objects.create(user=cast.it_admin, office=office_c)  # by a superuser
    clerk_c = make_staff("clerk-c", roles.CLERK, office_c)
    membership = StaffMembership.objects.get(user=cast.clerk_a)
    client_for(cast.it_admin).post(
        f"/admin/booking/staffmembership/{membership.pk}/change/",
        {"user": clerk_c.pk, "office": cast.office_a.pk},
    )
    membership.refresh_from_db()
    assert membership.user == cast.clerk_a
