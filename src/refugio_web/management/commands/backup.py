"""`manage.py backup FILE`: an encrypted, consistent snapshot of the database (issue 4, point 7).

Safe while the app runs. The file is sealed under the current master key: keep the key file
apart from the backups (and old keys as long as backups made under them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from refugio.errors import RefugioError
from refugio_web import backup, cases


class Command(BaseCommand):
    help = "Write an encrypted, consistent snapshot of the whole database to FILE."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="where to write the backup (mode 0600)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        try:
            summary = backup.backup(path)
        except (RefugioError, backup.BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from None
        cases.record(None, "backup")
        self.stdout.write(
            f"{path}: {summary.engine} database, {summary.plaintext_bytes} bytes sealed"
        )
