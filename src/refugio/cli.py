"""The ``refugio`` command: thin commands over the core.

Each command parses its options, calls one core function and prints the result; a RefugioError
becomes a one-line message on stderr and exit status 1 (2 for usage errors, as click does).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import NoReturn

import click
from pydantic import ValidationError

from refugio.editions import DEFAULT_EDITION, EDITIONS, get_edition
from refugio.errors import CaseFileError, FillError, RefugioError
from refugio.model import Application

__all__ = ["load_case", "main"]


def forms_dir() -> Path:
    """Where blank forms are found: REFUGIO_FORMS_DIR, else ../shared/forms beside the checkout.

    In production the blank comes from uscis.gov or from the user (``--form``); this default
    serves development, where the blanks sit read-only beside the repository.
    """
    env = os.environ.get("REFUGIO_FORMS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "forms"


def today() -> dt.date:
    # The applicant's calendar date; deadlines and supplement dates are counted in local time.
    return dt.datetime.now().astimezone().date()


def load_case(path: Path) -> Application:
    try:
        # utf-8-sig: a file saved by Windows Notepad starts with a byte-order mark.
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CaseFileError(f"{path}: cannot read the case file ({exc.strerror})") from exc
    try:
        return Application.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors()
        if errors and errors[0]["type"] == "json_invalid":
            raise CaseFileError(f"{path}: not valid JSON ({errors[0]['msg']})") from exc
        lines = [f"{path}: the case file does not match the I-589 model:"]
        for err in errors[:20]:
            where = ".".join(str(p) for p in err["loc"])
            lines.append(f"  {where}: {err['msg']}")
        raise CaseFileError("\n".join(lines)) from exc


def _fail(exc: RefugioError) -> NoReturn:
    click.echo(f"refugio: {exc}", err=True)
    sys.exit(1)


# Packages on top of the core add commands here (refugio_web: `refugio audit`).
PLUGIN_GROUP = "refugio.commands"


class _WithPlugins(click.Group):
    """The core's commands, plus those registered under the entry-point group PLUGIN_GROUP.

    A plugin is imported only when its command is named (or listed by --help): `refugio fill`
    never imports the web app or Django, and the core never names them.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_plugins()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and (plugin := _plugins().get(cmd_name)) is not None:
            loaded = plugin.load()
            command = loaded if isinstance(loaded, click.Command) else None
        return command


def _plugins() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP)}


@click.group(cls=_WithPlugins, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="refugio")
def main() -> None:
    """Refugio: prepare US asylum applications (Form I-589).

    A case is a JSON file (see `refugio schema`). Fictional examples are in examples/.
    """


@main.command()
@click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the filled PDF (written whole or not at all).",
)
@click.option(
    "--form",
    "blank",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The blank I-589 PDF (any known edition; default: the "
    f"{DEFAULT_EDITION} edition in $REFUGIO_FORMS_DIR).",
)
@click.option(
    "--edition", default=None, help=f"Edition to use from the forms folder ({', '.join(EDITIONS)})."
)
@click.option("--na", is_flag=True, help='Write "N/A" / "NONE" into answers left empty.')
def fill(case: Path, out: Path, blank: Path | None, edition: str | None, na: bool) -> None:
    """Fill the official I-589 with CASE and write it to OUTPUT."""
    from refugio.fill import fill as fill_form

    try:
        app = load_case(case)
        wanted = get_edition(edition) if edition else None
        if blank is None:
            blank = forms_dir() / (wanted or get_edition(DEFAULT_EDITION)).filename
        for given, what in ((case, "the case file"), (blank, "the blank form")):
            if out.resolve() == given.resolve():
                raise FillError(f"{out}: that is {what}; write the filled PDF somewhere else")
        report = fill_form(app, blank, out, today=today(), na=na, edition=wanted)
    except RefugioError as exc:
        _fail(exc)
    click.echo(f"Filled Form I-589 (edition {report.edition}): {out} — {report.pages} pages")
    if report.supplement_a_pages:
        click.echo(f"  Supplement A: {report.supplement_a_pages} page(s) for children beyond four")
    if report.supplement_b_pages:
        click.echo(f"  Supplement B: {report.supplement_b_pages} page(s), continuing:")
        for item in report.continued:
            click.echo(f"    {item}")
    _check_hint(app, case)


def _check_hint(app: Application, case: Path) -> None:
    """Filling does not refuse an incomplete case, but it says so: a draft is worth printing."""
    from refugio.check import check as run_check

    findings = run_check(app, today=today())
    errors = sum(f.severity == "error" for f in findings)
    if errors:
        click.echo(
            f"Not ready to file: {errors} error(s) found; see `refugio check {case}`.", err=True
        )


@main.command()
@click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check as if today were this date (YYYY-MM-DD).",
)
def check(case: Path, as_of: dt.datetime | None) -> None:
    """Check CASE before filing: errors and warnings, each naming its form item.

    Exits 1 if there is any error.
    """
    from refugio.check import check as run_check
    from refugio.check import filing_deadline

    day = as_of.date() if as_of else today()
    try:
        app = load_case(case)
    except RefugioError as exc:
        _fail(exc)
    findings = run_check(app, today=day)
    for f in findings:
        click.echo(str(f))
    deadline = filing_deadline(app)
    if deadline is not None:
        click.echo(deadline.describe(day))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)")
    if errors:
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a case file; each answer cites its form item."""
    from refugio.schema import case_schema

    click.echo(json.dumps(case_schema(), indent=2, ensure_ascii=False))


@main.command()
def editions() -> None:
    """List the I-589 editions Refugio can fill."""
    for e in EDITIONS.values():
        marker = " (default)" if e.label == DEFAULT_EDITION else ""
        click.echo(f"{e.label}  {e.filename}{marker}")
