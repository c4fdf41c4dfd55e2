"""`manage.py rotate_keys`: re-wrap every case's data key under the current master key.

Master-key rotation (issue 4, point 1): put the new key first in the key file and keep the old
ones after it; this command re-wraps each case's small data key (the answers are not touched);
once it reports every case done, the old keys can be removed. `--data-keys` also gives each case
a new data key and seals its answers again (after a suspected leak of data keys).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from refugio.errors import CryptoError
from refugio_web import cases


class Command(BaseCommand):
    help = "Re-wrap every case's data key under the current master key (the first configured)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--data-keys",
            action="store_true",
            help="also give every case a new data key and seal its answers again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done, already = cases.rotate_keys(new_data_keys=options["data_keys"])
        except CryptoError as exc:
            raise CommandError(f"rotation stopped: {exc}") from None
        self.stdout.write(
            f"{done} cases re-wrapped under the current master key, {already} already were."
        )
