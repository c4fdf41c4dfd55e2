"""``manage.py flush``, which empties every table, the audit trail included.

The audit trail refuses DELETE (and TRUNCATE) by triggers (issue 4, point 4), so Django's own
flush would fail; the test runner flushes after every test that commits (browser tests). This
lifts the triggers for the flush and puts them back, even if it fails. Whoever can run it can
already write to the database; the emptied chain starts again at record 1, and verifying it
against a head written down earlier shows the loss.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from refugio_web.audit import install_triggers, remove_triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        db = connections[options["database"]]
        remove_triggers(db)
        try:
            super().handle(**options)
        finally:
            install_triggers(db)
