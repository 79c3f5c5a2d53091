"""Files only the service's own user may read: the SQLite database (and SQLite's -wal and -shm
files, which take the database file's mode), the generated secret key, the demo's outgoing mail.

Created with their mode from the start, whatever the umask, instead of tightened afterwards.
Files and directories that exist already are left as they are.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def private_directory(path: Path) -> None:
    """Create ``path`` (0700) and any missing parents, unless it exists."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def create_private_file(path: Path, content: bytes = b"") -> None:
    """Create ``path`` with mode 0600 and ``content``; FileExistsError if it exists.

    The content is written to a temporary file first and then linked into place, so a process
    starting at the same moment never reads a half-written file (say, an empty secret key)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:  # mkstemp creates it 0600
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    finally:
        os.unlink(temporary)
