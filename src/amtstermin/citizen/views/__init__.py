"""The public pages, one module per part as pretix splits ``presale/``: ``booking`` (services,
day and time, details, review, done), ``manage`` (the manage link: view, cancel, move, calendar
file), ``confirmation`` (the link in the "please confirm" e-mail) and ``legal`` (privacy and
accessibility statements). ``times`` renders the day-and-time page for booking and moving;
what it shows of the week, ``citizen.week`` decides.

Thin: they parse input, call ``booking.selectors`` (reads) or one ``booking.services`` function
(writes) and render. The secret token of a hold or a booking lives in the session, never in a
URL of the flow; only the manage link carries it, because that is its purpose.
"""
