"""The one logging filter: nothing about a case, its people or a request's content is written.

Asylum records are confidential (8 CFR 208.6) and a log is read by more people, kept longer and
copied further than the database. ASVS 5.0 (16.2) asks that logs hold no sensitive data, so:

- Django's request and security errors (``django.request``, ``django.security.*``) are cut to
  the status and the path. Their own message can quote the request (a disallowed host, a field)
  and their traceback the exception's message, which may quote an answer (a validation error
  shows the value it refused). Paths carry random case ids, never names (urls.py).
- Any other record keeps its message (our code logs no answers) but loses its traceback; the
  exception's class name is kept, its message is not.
"""

from __future__ import annotations

import logging
import re

# What a path of ours is made of (uuid, slug, number); anything else is masked, and it is cut.
_UNSAFE = re.compile(r"[^A-Za-z0-9/._-]")
_MAX_PATH = 200


def safe_path(path: str) -> str:
    return _UNSAFE.sub("?", path[:_MAX_PATH])


class NoCaseData(logging.Filter):
    """Rewrites each record in place (it is never dropped: that an error happened is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("django.request", "django.security")):
            request = getattr(record, "request", None)
            status = getattr(record, "status_code", None) or "-"
            record.msg, record.args = "%s %s", (status, safe_path(getattr(request, "path", "")))
        elif record.exc_info and record.exc_info[0] is not None:
            record.msg, record.args = f"{record.getMessage()} ({record.exc_info[0].__name__})", ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
