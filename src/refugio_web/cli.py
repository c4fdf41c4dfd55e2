"""``refugio audit``, ``backup``, ``restore`` and ``keys``: the web app's commands, plugged into
the core's ``refugio`` command.

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
from pathlib import Path
from typing import TYPE_CHECKING

import click

from refugio.audit import Head
from refugio.errors import RefugioError

if TYPE_CHECKING:
    from refugio_web.audit import Verdict

__all__ = ["audit", "backup", "keys", "restore"]


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


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write an encrypted, consistent snapshot of the whole database to FILE (mode 0600).

    Safe while the app runs. Sealed under the current master key: keep the key file apart from
    the backups, and old keys as long as backups made under them.
    """
    _django()
    from refugio_web import backup as backups
    from refugio_web import cases

    try:
        summary = backups.backup(file)
    except (RefugioError, backups.BackupError, OSError) as exc:
        raise click.ClickException(f"backup failed: {exc}") from exc
    cases.record(None, "backup")
    click.echo(f"{file}: {summary.engine} database, {summary.plaintext_bytes} bytes sealed")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: the database's content is replaced.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database's content with the backup in FILE (stop the app first).

    The whole file is checked first: a damaged or altered backup, or one sealed under a key
    that is not configured, changes nothing.
    """
    if not yes:
        raise click.UsageError("restore replaces the whole database: add --yes to confirm")
    _django()
    from refugio_web import backup as backups
    from refugio_web import cases

    try:
        summary = backups.restore(file)
    except (RefugioError, backups.BackupError, OSError) as exc:
        raise click.ClickException(f"restore failed, nothing changed: {exc}") from exc
    cases.record(None, "restore")
    click.echo(f"restored {summary.engine} database from {file}")


@click.group()
def keys() -> None:
    """The master keys that encrypt every case and TOTP secret (REFUGIO_MASTER_KEY_FILE)."""


@keys.command("new")
def new_key() -> None:
    """Print a new random master key, to put first in the key file."""
    from refugio.crypto import new_key_text

    click.echo(new_key_text())


@keys.command()
@click.option("--data-keys", is_flag=True, help="Also give every case a new data key.")
def rotate(data_keys: bool) -> None:
    """Re-wrap every case's data key and seal every account's TOTP secret again under the
    current (first) master key. Remove the old key only after this reports nothing left."""
    _django()
    from refugio_web import accounts, cases

    try:
        sealed, sealed_already = accounts.reseal_authenticators()
        done, already = cases.rotate_keys(new_data_keys=data_keys)
    except RefugioError as exc:
        raise click.ClickException(f"rotation stopped: {exc}") from exc
    click.echo(
        f"{sealed} authenticator secrets sealed again under the current master key, "
        f"{sealed_already} already were."
    )
    click.echo(f"{done} cases re-wrapped under the current master key, {already} already were.")
