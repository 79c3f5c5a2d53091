"""``amtstermin demo``: migrate, load the demo office, create the office head and the IT
administrator, serve."""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand

from amtstermin.booking.demo import load_demo
from amtstermin.booking.models import Office, StaffMembership
from amtstermin.booking.roles import IT_ADMIN, OFFICE_HEAD

HEAD_USERNAME = "leitung"
IT_USERNAME = "it"
# username, group, what the output calls the account, last name
ACCOUNTS = [
    (HEAD_USERNAME, OFFICE_HEAD, "office head", "Leitung"),
    (IT_USERNAME, IT_ADMIN, "IT administrator", "IT-Administration"),
]


def web_server_command(bind: str) -> list[str]:
    """gunicorn with an access log on stdout, its paths and referrers without tokens."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "amtstermin.wsgi",
        "--bind",
        bind,
        "--workers",
        "2",
        "--access-logfile",
        "-",
        "--logger-class",
        "amtstermin.log_privacy.GunicornLogger",
    ]


class Command(BaseCommand):
    help = "Run the demo: database, demo office, office-head and IT accounts, the web server."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare only; do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        office, created = load_demo()
        self.stdout.write(("Loaded " if created else "Found ") + f"{office.name} (id {office.pk}).")
        for account in ACCOUNTS:
            self._ensure_account(office, *account)
        call_command("demo_history")  # statistics: months of invented, anonymous history
        if options["no_serve"]:
            return
        base = f"http://{options['bind']}"
        self.stdout.write(f"\nBooking pages: {base}/")
        self.stdout.write(
            f"\nData directory: {settings.DATA_DIR}\n"
            f"Configuration pages: {base}/admin/  (users '{HEAD_USERNAME}' and '{IT_USERNAME}')\n"
            f"Counters and services: {base}/backoffice/{office.pk}/configuration/\n"
            f"API: {base}/api/v1/offices  ·  OpenAPI: {base}/api/v1/openapi.json\n"
            f"Outgoing e-mail is written as .eml files to: {settings.AMTSTERMIN_MAIL_DIR}\n"
            "Stop with Ctrl-C.\n"
        )
        self._serve(options["bind"])

    def _ensure_account(
        self, office: Office, username: str, group: str, title: str, last_name: str
    ) -> None:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            StaffMembership.objects.get_or_create(user=existing, office=office)
            self.stdout.write(
                f"{title[:1].upper()}{title[1:]} '{username}' exists (password as printed on "
                f"first run; reset with: amtstermin changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username, password=password, is_staff=True)
        user.first_name = "Demo"
        user.last_name = last_name
        user.save(update_fields=["first_name", "last_name"])
        user.groups.add(Group.objects.get(name=group))
        StaffMembership.objects.create(user=user, office=office)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {title} '{username}' with password: {password}\n(shown only this once)"
            )
        )

    def _serve(self, bind: str) -> None:
        processes = [
            subprocess.Popen(web_server_command(bind)),  # noqa: S603 - our own, fixed arguments
            # The worker sends the e-mails (as .eml files unless EMAIL_HOST is set).
            subprocess.Popen([sys.executable, "-m", "amtstermin.cli", "worker"]),
        ]
        try:
            processes[0].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
