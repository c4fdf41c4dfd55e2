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

from refugio.interview import from_application, progress
from refugio.model import Application
from refugio_web.models import Case, Organisation, Role, User

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
        with transaction.atomic():
            org, _ = Organisation.objects.get_or_create(name=ORGANISATION)
            user, _ = User.objects.get_or_create(
                username=USERNAME,
                defaults={"organisation": org, "role": Role.ADMIN, "first_name": "Demo"},
            )
            user.set_password(password)
            user.save()
            if not Case.objects.filter(organisation=org, reference=REFERENCE).exists():
                app = Application.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
                draft = from_application(app)
                Case.objects.create(
                    organisation=org,
                    reference=REFERENCE,
                    created_by=user,
                    draft=draft,
                    percent_done=progress(draft)[1].percent,
                )
        self.stdout.write(f"User name: {USERNAME}\nPassword:  {password}")
