"""The staff pages, one module per area as pretix splits ``control/``: ``day`` (the day plan and
the actions on an appointment), ``phone`` (booking for callers and at the counter), ``planning``
(absences and closures), ``queue`` (calling numbers), ``reports`` (audit log, statistics,
undelivered e-mails) and ``configuration`` (which counters offer which services). The kiosk and
the call display, which need no login, are in ``backoffice.public``.

Thin: a form checks the input, one booking service writes or a selector reads, the page renders.
"""
