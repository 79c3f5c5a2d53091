"""The three staff groups and what each may do in the configuration pages."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission

CLERK = "Sachbearbeitung"
OFFICE_HEAD = "Leitung"
IT_ADMIN = "IT-Administration"
STAFF_GROUPS = (CLERK, OFFICE_HEAD, IT_ADMIN)

_CONFIG_MODELS = ["office", "service", "document", "counter", "openinghours", "absence", "closure"]
_CONFIG_MODELS += ["documenttype"]  # the office's document catalogue
_CONFIG_MODELS += ["servicecategory"]  # the groups of services on the start page
# Staff-only capacity: the office head and IT keep a counter's time back for phone bookings.
_STAFF_ONLY_TIME = [
    ("booking", f"{action}_staffonlytime") for action in ("view", "add", "change", "delete")
]

# (app_label, codename) pairs per group; the office head configures its offices, IT also
# manages the offices themselves and the staff accounts.
GROUP_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    CLERK: [
        ("booking", "view_appointment"),
        ("booking", "view_service"),
        ("booking", "view_ticket"),
    ],
    # Everything an office needs day to day, for the head's own offices (the admin scopes every
    # page to them): the office's settings, its counters and their services, hours, closures,
    # services, documents and e-mail texts. Adding or deleting offices stays with IT.
    OFFICE_HEAD: [
        *[("booking", f"view_{model}") for model in _CONFIG_MODELS],
        ("booking", "change_office"),
        ("booking", "view_appointment"),
        *_STAFF_ONLY_TIME,
        *[
            ("booking", f"{action}_{model}")
            for action in ("add", "change", "delete")
            for model in (
                "counter",
                "openinghours",
                "absence",
                "closure",
                "document",
                "documenttype",
                "servicecategory",
            )
        ],
        *[("booking", f"{action}_service") for action in ("add", "change")],
        *[("notifications", f"{action}_messagesetting") for action in ("view", "add", "change")],
        ("notifications", "view_message"),
        ("notifications", "change_message"),  # the "send again" action
        ("booking", "view_ticket"),
        ("booking", "view_auditentry"),  # read-only: nobody may change or delete an entry
        ("booking", "view_staffmembership"),
        *[("reports", f"{action}_statisticssettings") for action in ("view", "add", "change")],
    ],
    IT_ADMIN: [
        *[
            ("booking", f"{action}_{model}")
            for action in ("view", "add", "change", "delete")
            for model in _CONFIG_MODELS
        ],
        *_STAFF_ONLY_TIME,
        ("booking", "view_appointment"),
        *[("auth", f"{action}_user") for action in ("view", "add", "change")],
        ("auth", "view_group"),
        *[("notifications", f"{action}_messagesetting") for action in ("view", "add", "change")],
        ("notifications", "view_message"),
        ("notifications", "change_message"),
        *[
            ("booking", f"{action}_staffmembership")
            for action in ("view", "add", "change", "delete")
        ],
        ("booking", "view_auditentry"),
        *[("reports", f"{action}_statisticssettings") for action in ("view", "add", "change")],
    ],
}


def ensure_staff_groups(**_: Any) -> None:
    """Create the groups and grant exactly their permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Another app's post_migrate may not have created its permissions yet.
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    for group_name, wanted in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)
