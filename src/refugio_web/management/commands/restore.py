"""`manage.py restore FILE --yes`: replace the database with a backup (issue 4, point 7).

Stop the app first. The whole file is checked before the database is touched, so a damaged or
altered backup, or one sealed under a key not configured, changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from refugio.errors import RefugioError
from refugio_web import backup, cases


class Command(BaseCommand):
    help = "Replace the database's content with the backup in FILE (stop the app first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="a file written by `backup`")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the current content is replaced"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not options["yes"]:
            raise CommandError("restore replaces the whole database: add --yes to confirm")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            summary = backup.restore(path)
        except (RefugioError, backup.BackupError, OSError) as exc:
            raise CommandError(f"restore failed, nothing changed: {exc}") from None
        cases.record(None, "restore")
        self.stdout.write(f"restored {summary.engine} database from {path}")
