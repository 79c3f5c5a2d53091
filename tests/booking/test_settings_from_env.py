"""Settings come from the environment; a bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRINT_SETTINGS = (
    "import amtstermin.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.TIME_ZONE)"
)


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter, as start-up does."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import amtstermin.settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.TIME_ZONE)",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "http://localhost:6379"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("AMTSTERMIN_SESSION_MINUTES", "ten"),
        ("SECRET_KEY", "short"),
        ("AMTSTERMIN_CORS_ORIGINS", "https://www.musterstadt.de/termine"),
    ],
)
def test_bad_value_stops_start_up_and_names_the_variable(variable: str, value: str) -> None:
    result = _start({variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_defaults_need_no_server(tmp_path: os.PathLike[str]) -> None:
    result = _start({"AMTSTERMIN_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False", "Europe/Berlin"]


def test_secret_key_is_generated_once_and_kept(tmp_path: os.PathLike[str]) -> None:
    env = {"AMTSTERMIN_DATA_DIR": str(tmp_path), "SECRET_KEY": ""}
    code = "import amtstermin.settings as s; print(s.SECRET_KEY)"
    clean = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    first, second = (
        subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    )
    assert len(first) >= 50
    assert first == second
    key_file = os.path.join(tmp_path, "secret_key")
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"


def test_secret_can_come_from_a_file(tmp_path: os.PathLike[str]) -> None:
    secret = os.path.join(tmp_path, "key")
    with open(secret, "w") as handle:
        handle.write("k" * 40 + "\n")
    clean = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import amtstermin.settings as s; print(s.SECRET_KEY)"],
        env={**clean, "SECRET_KEY_FILE": secret, "AMTSTERMIN_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "k" * 40


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD", "1"),
        ("AMTSTERMIN_UNSAFE_MAIL_AFTER_COMMIT_MS", "500"),
    ],
)
def test_unsafe_test_switches_are_refused_without_debug(
    tmp_path: os.PathLike[str], variable: str, value: str
) -> None:
    result = _start({variable: value, "DEBUG": "0", "AMTSTERMIN_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert variable in result.stderr
