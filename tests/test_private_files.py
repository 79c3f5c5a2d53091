"""The data directory is created readable by its owner only: the SQLite database with its -wal
and -shm files, the generated secret key, the outgoing mail. Checked in a fresh process with
the usual umask 022, under which files would otherwise be readable by every local user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Writes to the database and sends one mail, then lists every entry of the data directory with
# its mode while the connection (and so SQLite's -wal and -shm files) is still open.
SCRIPT = """
import os
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x)")
    cursor.execute("INSERT INTO t VALUES (1)")
    send_mail("Subject", "Body", "a@example.org", ["b@example.org"])
    for root, dirs, files in os.walk(settings.DATA_DIR):
        for name in [".", *dirs, *files]:
            path = os.path.join(root, name)
            print(os.path.relpath(path, settings.DATA_DIR), oct(os.stat(path).st_mode & 0o777))
"""


def modes_in_a_fresh_data_directory(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SECRET_KEY", "EMAIL_HOST", "REDIS_URL")
    }
    env.update(
        {"AMTSTERMIN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "amtstermin.settings"}
    )
    command = [str(Path(sys.executable).with_name("amtstermin")), "shell", "-c", SCRIPT]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, umask=0o022, timeout=60, check=True
    )
    lines = [line for line in result.stdout.splitlines() if " 0o" in line]
    return dict(line.rsplit(" ", 1) for line in lines)


def test_a_new_data_directory_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    modes = modes_in_a_fresh_data_directory(tmp_path / "data")
    expected = {
        ".": "0o700",
        "amtstermin.sqlite3": "0o600",
        "amtstermin.sqlite3-wal": "0o600",
        "amtstermin.sqlite3-shm": "0o600",
        "secret_key": "0o600",
        "mail": "0o700",
    }
    assert {name: modes.get(name) for name in expected} == expected
    mails = [name for name in modes if name.startswith("mail/")]
    assert mails and all(modes[name] == "0o600" for name in mails)
