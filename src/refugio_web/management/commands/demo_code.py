"""`manage.py demo_code`: the current second-factor code of the demo account, for a newcomer
trying the local demo without an authenticator app (issue 4, point 9).

Only with REFUGIO_DEBUG=1 and only for the demo account: on a real installation a code printed
by a command would be a second factor anyone with shell access holds.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from refugio_web.accounts import current_code
from refugio_web.management.commands.demo import USERNAME
from refugio_web.models import Authenticator


class Command(BaseCommand):
    help = "Print the demo account's current login code (REFUGIO_DEBUG=1 only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Only for the local demo (REFUGIO_DEBUG=1).")
        device = Authenticator.objects.filter(user__username=USERNAME, confirmed=True).first()
        if device is None:
            raise CommandError("No demo account yet: run `make run` (or `manage.py demo`) first.")
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(
            f"{current_code(device)}  (for {left} more seconds; each code logs in once)"
        )
