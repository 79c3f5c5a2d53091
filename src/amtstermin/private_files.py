"""Files only the service's own user may read: the SQLite database (and SQLite's -wal and -shm
files, which take the database file's mode), the generated secret key, the demo's outgoing mail.

Created with their mode from the start, whatever the umask, instead of tightened afterwards.
Files and directories that exist already are left as they are.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_directory(path: Path) -> None:
    """Create ``path`` (0700) and any missing parents, unless it exists."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def create_private_file(path: Path, content: bytes = b"") -> None:
    """Create ``path`` with mode 0600 and ``content``; FileExistsError if it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
