"""`manage.py new_master_key`: print a new random master key (issue 4, point 1).

Put it first in the key file (REFUGIO_MASTER_KEY_FILE), keep the old key on the next line, run
`manage.py rotate_keys`, then remove the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from refugio.crypto import new_key_text


class Command(BaseCommand):
    help = "Print a new random master key (URL-safe base64) for REFUGIO_MASTER_KEY_FILE."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key_text())
