"""An e-mail backend that writes every message as one .eml file, for the demo and for testing.

Outside production nothing is sent: each message lands in ``<data dir>/mail/`` where a newcomer
can open it with any mail program.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from amtstermin.private_files import create_private_file, private_directory


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(settings.AMTSTERMIN_MAIL_DIR)
        private_directory(self.directory)  # the mails hold names, addresses and manage links

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            path = self.directory / f"{stamp}-{secrets.token_hex(4)}.eml"
            create_private_file(path, message.message().as_bytes())
        return len(email_messages)
