"""`manage.py demo`: a demo organisation, one representative and the fictional example case (b).

Run by `make run`. A new random password is set at every run and printed (never stored in the
repository); the case is created once.
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
from refugio_web.models import Organisation, Role, User
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
            user.save()
            # References are sealed: the organisation's few cases are opened to look (a demo).
            if not any(c.reference == REFERENCE for c in cases.cases_for(user)):
                app = Application.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
                cases.create_case(user, REFERENCE, from_application(app))
        self.stdout.write(f"User name: {USERNAME}\nPassword:  {password}")
