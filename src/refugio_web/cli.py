"""``refugio audit``: the web app's commands, plugged into the core's ``refugio`` command.

Registered under the entry-point group ``refugio.commands`` (pyproject.toml), so the core CLI
loads this module only when ``audit`` is named. Django is set up only when a command runs
(DJANGO_SETTINGS_MODULE, default ``refugio_web.settings``): importing this module for
``refugio --help`` costs no Django.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from typing import TYPE_CHECKING

import click

from refugio.audit import Head

if TYPE_CHECKING:
    from refugio_web.audit import Verdict

__all__ = ["audit"]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refugio_web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # e.g. no REFUGIO_SECRET_KEY: one line, no traceback
        raise click.ClickException(str(exc)) from exc


@click.group()
def audit() -> None:
    """The audit trail: who did what to which case, and when (hash-chained)."""


@audit.command()
@click.option(
    "--head",
    metavar="SEQ:MAC",
    help="A head printed by an earlier verify: also catches records deleted from the end.",
)
def verify(head: str | None) -> None:
    """Check the chain: exit 0 if intact, 1 naming the first wrong record."""
    try:
        known = Head.parse(head) if head else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--head") from exc
    _django()
    from refugio_web.audit import verify_trail

    _report(verify_trail(known))


def _report(verdict: Verdict) -> None:
    if verdict.problem is not None:
        click.echo(f"refugio audit: {verdict.problem}", err=True)
        sys.exit(1)
    head = f", head {verdict.head}" if verdict.head else ""
    click.echo(f"audit trail intact: {verdict.count} records{head}")


@audit.command()
@click.option("--case", "case_id", type=click.UUID, required=True, help="The case's id.")
def show(case_id: uuid.UUID) -> None:
    """List the records of one case: number, time (UTC), user id, action."""
    _django()
    from refugio_web.audit import case_records

    for record in case_records(case_id):
        when = record.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        user = "-" if record.user_id is None else str(record.user_id)
        click.echo(f"{record.seq}  {when}  user {user}  {record.action}")
