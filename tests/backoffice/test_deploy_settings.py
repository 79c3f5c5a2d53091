"""Production settings pass Django's deployment checks without a single warning."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def test_check_deploy_passes_without_warnings(tmp_path: Path) -> None:
    # Only the machine's basics: nothing from the test run (e.g. the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which no deployment sets) may leak into the checked settings.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        {
            "DEBUG": "0",
            "AMTSTERMIN_HTTPS": "1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "termine.example.org",
            "AMTSTERMIN_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "amtstermin.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "amtstermin.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "?: (" not in output, output
    assert "System check identified no issues" in output
