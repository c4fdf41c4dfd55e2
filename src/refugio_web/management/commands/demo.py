"""`manage.py demo`: a demo organisation, one representative and the fictional example case (b)
with its fictional dossier.

Run by `make run`. A new random password is set at every run and printed (never stored in the
repository); the case is created once. Every account needs a second factor (issue 4, point 3):
the account's authenticator key is made once and printed at every run, with the command that
prints the current code for a newcomer without a phone (``manage.py demo_code``).

The case gets the example dossier (``examples/dossiers/b-dissident-businessman.json``) once, its
evidence files made by ``refugio.claim.specimen`` (plain pages that say they are fictional
specimens), checked as uploads are and sealed into the file store, the dossier's file names
replaced by the stored files' ids. Only with REFUGIO_DEBUG=1: the command makes an admin account
and prints its password, which no real installation should have.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from refugio.claim.model import Dossier
from refugio.claim.specimen import specimen, translation_specimen
from refugio.interview import from_application
from refugio.model import Application
from refugio.uploads import inspect
from refugio_web import cases, dossiers, files
from refugio_web.accounts import base32_secret
from refugio_web.models import Authenticator, Case, Organisation, Role, User
from refugio_web.writer import one_writer

EXAMPLE = Path(settings.PROJECT_DIR) / "examples" / "b-dissident-businessman.json"
DOSSIER = Path(settings.PROJECT_DIR) / "examples" / "dossiers" / "b-dissident-businessman.json"
USERNAME = "demo-representative"
ORGANISATION = "Demo Legal Aid (fictional)"
REFERENCE = "DEMO-B"


class Command(BaseCommand):
    help = "Create the demo organisation, its representative and the fictional example case (b)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="use this password instead of a random one")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Only for the local demo (REFUGIO_DEBUG=1): it makes an admin account and "
                "prints its password."
            )
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
            case = next((c for c in cases.cases_for(user) if c.reference == REFERENCE), None)
            if case is None:
                app = Application.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
                case = cases.create_case(user, REFERENCE, from_application(app))
        if case.dossier_version == 1:  # never saved: a demo made before the dossier existed too
            example_dossier(user, case)
        self.stdout.write(
            f"User name: {USERNAME}\n"
            f"Password:  {password}\n"
            f"Code:      from an authenticator app with the key {base32_secret(device)}\n"
            f"           (or its address {device.config_url})\n"
            "           or, without a phone: REFUGIO_DEBUG=1 .venv/bin/python manage.py demo_code"
        )


def example_dossier(user: User, case: Case) -> Dossier:
    """Give ``case`` the fictional example dossier, every evidence file a sealed specimen."""
    dossier = Dossier.model_validate_json(DOSSIER.read_text(encoding="utf-8"))
    stored: list[str] = []

    def store(data: bytes) -> str:
        stored.append(files.store(case.pk, inspect(data, "specimen"), key=case._key()))
        return stored[-1]

    try:
        for item in dossier.evidence:
            item.file = store(specimen(item))
            if item.translation is not None:
                item.translation.file = store(translation_specimen(item))
        return dossiers.save_dossier(user, case, dossier, case.dossier_version)
    except BaseException:
        for file_id in stored:  # nothing half-stored
            files.delete(case.pk, file_id)
        raise
