"""`manage.py demo`: a demo organisation, one representative and the fictional example case (b).

Run by `make run`. A new random password is set at every run and printed (never stored in the
repository); the case is created once. Every account needs a second factor (issue 4, point 3):
the account's authenticator key is made once and printed at every run, with the command that
prints the current code for a newcomer without a phone (``manage.py demo_code``).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from refugio.interview import from_application
from refugio.model import Application
from refugio_web import cases
from refugio_web.accounts import base32_secret
from refugio_web.models import Authenticator, Organisation, Role, User
from refugio_web.writer import one_writer

EXAMPLE = Path(settings.PROJECT_DIR) / "examples" / "b-dissident-businessman.json"
USERNAME = "demo-representative"
ORGANISATION = "Demo Legal Aid (fictional)"
REFERENCE = "DEMO-B"


class Command(BaseCommand):
    help = "Create the demo organisation, its representative and the fictional example case (b)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="use this password instead of a random one")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        with one_writer(), transaction.atomic():  # the lock first: refugio_web.writer
            org, _ = Organisation.objects.get_or_create(name=ORGANISATION)
            user, _ = User.objects.get_or_create(
                username=USERNAME,
                defaults={"organisation": org, "role": Role.ADMIN, "first_name": "Demo"},
            )
            user.set_password(password)
            user.login_failures = []  # a newcomer who locked the account starts again
            user.save()
            # Kept across runs, so an authenticator app set up once keeps working.
            device = Authenticator.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = Authenticator.new(user, confirmed=True, name="demo")
                device.save(force_insert=True)
            # References are sealed: the organisation's few cases are opened to look (a demo).
            if not any(c.reference == REFERENCE for c in cases.cases_for(user)):
                app = Application.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
                cases.create_case(user, REFERENCE, from_application(app))
        self.stdout.write(
            f"User name: {USERNAME}\n"
            f"Password:  {password}\n"
            f"Code:      from an authenticator app with the key {base32_secret(device)}\n"
            f"           (or its address {device.config_url})\n"
            "           or, without a phone: REFUGIO_DEBUG=1 .venv/bin/python manage.py demo_code"
        )
