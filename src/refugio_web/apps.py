from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _empty_the_log(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate`` on SQLite, move the write-ahead log into the database and cut it to
    nothing: a migration that deletes secrets (0007: TOTP secrets in clear) leaves no copy of
    the old pages in the log (the database file's freed space is zeroed by secure_delete)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    from refugio_web.writer import one_writer

    with one_writer(), connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class RefugioWebConfig(AppConfig):
    name = "refugio_web"
    verbose_name = "Refugio"

    def ready(self) -> None:
        # Logins, logouts and failed logins are recorded in the audit trail (issue 4, point 4).
        from refugio_web import signals  # noqa: F401

        post_migrate.connect(_empty_the_log, sender=self, dispatch_uid="refugio-empty-wal")
