"""Which staff accounts a staff user may see and change in the admin: the one rule every user
and membership page asks.

Whoever may set an account's password may log in as it, so a user who is not a superuser
manages exactly the accounts that

- are not superusers and hold no single permissions (only a superuser grants those),
- belong only to groups the manager may assign: the three staff roles, whose rights are all
  bounded by the office, and any other group the manager is in itself, and
- work for at least one office, and for none outside the manager's offices.

So the town's IT administrator creates the clerks and office heads of its offices, but never
reaches an account of another office or one with rights beyond the staff roles. Its own groups
and offices it cannot change (``StaffUserAdmin``): nobody raises their own rights. An account
without an office is left to superusers: whoever could set its password now would hold a
working login into whichever office it is given later. A new account therefore gets one of the
manager's offices in the same form that creates it. Superusers manage every account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, User
from django.db.models import Exists, OuterRef, Q, QuerySet

from amtstermin.booking import roles
from amtstermin.booking.models import StaffMembership
from amtstermin.booking.selectors import staff_offices

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def manageable_users(actor: User | AnonymousUser) -> QuerySet[User]:
    """The accounts ``actor`` may see and change (see the module's rule)."""
    if not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.all()
    memberships = StaffMembership.objects.filter(user=OuterRef("pk"))
    foreign_groups = User.groups.through.objects.filter(user=OuterRef("pk")).exclude(
        group__in=assignable_groups(actor)
    )
    single_permissions = User.user_permissions.through.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(
        Exists(memberships),
        ~Exists(memberships.exclude(office__in=staff_offices(actor))),
        ~Exists(foreign_groups),
        ~Exists(single_permissions),
        is_superuser=False,
    )


def may_manage(actor: User | AnonymousUser, user: User) -> bool:
    return manageable_users(actor).filter(pk=user.pk).exists()


def assignable_groups(actor: User | AnonymousUser) -> QuerySet[Group]:
    """The groups ``actor`` may give an account: the staff roles and its own groups (every group
    for a superuser)."""
    if not actor.is_authenticated or not actor.is_active:
        return Group.objects.none()
    if actor.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(Q(name__in=roles.STAFF_GROUPS) | Q(user=actor)).distinct()
