"""Logs never carry a manage token or what a citizen typed into a URL.

The manage token in a path (``/manage/<token>/``, ``/confirm/<token>/``,
``/api/v1/appointments/<token>``; a wish's ``/waitlist/<token>/`` likewise) is the key to an
appointment (as the link of a paired kiosk or display, ``/kiosk/<token>/``,
``/display/<token>/``, and of a live ticket page, ``/t/<token>/``, are to theirs), and query
values can hold personal data (a clerk's search for a name). ``mask`` replaces both wherever a
log line quotes a URL: in request lines, paths and referrers. ``MaskingFormatter`` masks the
whole formatted record, tracebacks included, on the application's console handler
(settings.LOGGING, which also takes over Django's own logger, whose default handler would
print unmasked under DEBUG); ``GunicornLogger`` masks gunicorn's access and error logs
(``gunicorn --logger-class amtstermin.log_privacy.GunicornLogger``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

MASK = "***"
# The segment after a token-carrying prefix; tests/test_log_privacy.py checks every URL pattern
# that takes a token is covered.
_TOKEN = re.compile(
    r"(/(?:manage|confirm|waitlist|api/v1/appointments|api/v1/waitlist|kiosk|display|t)/)"
    r"[^/?#\s\"']+"
)
_QUERY_VALUE = re.compile(r"([?&][^=&#\s\"']*=)[^&#\s\"']+")


def mask(text: str) -> str:
    return _QUERY_VALUE.sub(rf"\g<1>{MASK}", _TOKEN.sub(rf"\g<1>{MASK}", text))


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class MaskTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_filter = MaskTokens()


class GunicornLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(_filter)  # the same object each time: a reload adds nothing
