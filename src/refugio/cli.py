"""The ``refugio`` command: thin commands over the core.

Each command parses its options, calls one core function and prints the result; a RefugioError
becomes a one-line message on stderr and exit status 1 (2 for usage errors, as click does).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from functools import partial
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

import click
from pydantic import ValidationError

from refugio.atomic import write_atomically
from refugio.editions import DEFAULT_EDITION, EDITIONS, get_edition
from refugio.errors import (
    CaseFileError,
    DossierError,
    FillError,
    PacketError,
    RefugioError,
    UploadError,
)
from refugio.model import Application

if TYPE_CHECKING:
    from refugio.claim.model import Dossier

__all__ = ["load_case", "load_dossier", "main"]


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


@main.command()
@click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("dossier", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the packet into (created if missing; each file written whole).",
)
@click.option(
    "--form",
    "blank",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"The blank I-589 PDF (default: the {DEFAULT_EDITION} edition in $REFUGIO_FORMS_DIR).",
)
@click.option(
    "--represented/--not-represented",
    default=None,
    help="Whether an attorney or accredited representative files Form G-28 (default: yes "
    "when Part E gives a bar number or says a G-28 is attached).",
)
@click.option(
    "--date",
    "filing_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The filing (postmark) date, YYYY-MM-DD; it decides the fee (default: today).",
)
@click.option(
    "--declaration",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The declaration as a PDF, filed behind the supplements (default: the dossier's "
    "declaration, typeset).",
)
@click.option(
    "--g28",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The signed Form G-28 as a PDF (without it, a placeholder sheet is printed).",
)
def packet(
    case: Path,
    dossier: Path,
    out_dir: Path,
    blank: Path | None,
    represented: bool | None,
    filing_date: dt.datetime | None,
    declaration: Path | None,
    g28: Path | None,
) -> None:
    """Build the filing packet for CASE and DOSSIER in the order of the instructions.

    Writes one print-ready PDF per package (the original, its duplicate, one per family
    member included in Part A.II), a cover letter, a checklist of what Refugio cannot print
    (photographs, passport copies, relationship documents) with the fee due, and a ZIP of
    all. Evidence files named in DOSSIER are read relative to the DOSSIER file and checked
    as uploads are (PDF, JPEG or PNG; not password-protected; at most 20 MB). Nothing is
    written if anything fails.
    """
    from refugio.claim.filing import build_for_case

    day = filing_date.date() if filing_date else today()
    try:
        app = load_case(case)
        claim = load_dossier(dossier)
        blank = blank or forms_dir() / get_edition(DEFAULT_EDITION).filename
        built = build_for_case(
            app,
            claim,
            _upload_reader(dossier.parent),
            blank,
            day,
            represented=represented,
            declaration=_read_upload(declaration, "the declaration") if declaration else None,
            g28=_read_upload(g28, "the G-28") if g28 else None,
        )
        files = built.files() | {"packet.zip": built.zip}
        _write_all(out_dir, files)
    except RefugioError as exc:
        _fail(exc)
    click.echo(f"Packet for Form I-589 (edition {built.report.edition}) in {out_dir}:")
    pages = {p.filename: p for p in built.packages}
    for name in files:
        package = pages.get(name)
        click.echo(f"  {name}" + (f" — {package.title}, {package.pages} pages" if package else ""))
    click.echo(f"Fee: {built.checklist.fee.describe()}")
    if built.exhibits:
        first, last = built.exhibits[0], built.exhibits[-1]
        click.echo(f"Exhibits {first.letter}–{last.letter}: {last.last} numbered pages")


@main.command()
@click.argument("case", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("dossier", type=click.Path(path_type=Path, dir_okay=False))
def consistency(case: Path, dossier: Path) -> None:
    """List every conflict between CASE (the I-589 answers) and DOSSIER (the timeline, the
    declaration and the evidence): dates, places, people and counts, each with both sources.

    Exit status 0 when there is none, 1 when there is any (an adverse credibility finding
    most often rests on such an inconsistency; fix or explain each before filing).
    """
    from refugio.claim.consistency import check

    try:
        conflicts = check(load_case(case), load_dossier(dossier))
    except RefugioError as exc:
        _fail(exc)
    if not conflicts:
        click.echo(
            "No conflict found between the form, the timeline, the declaration and the evidence."
        )
        return
    for conflict in conflicts:
        click.echo(f"{conflict.category}: {conflict.message}")
    click.echo(f"{len(conflicts)} conflict(s).")
    sys.exit(1)


def load_dossier(path: Path) -> Dossier:
    """The dossier file (JSON), whole and consistent, or a DossierError naming the problem."""
    from refugio.claim.model import Dossier

    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DossierError(f"{path}: cannot read the dossier ({exc.strerror})") from exc
    try:
        claim = Dossier.model_validate_json(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise DossierError(f"{path}: {where}: {err['msg']}") from exc
    problems = claim.problems()
    if problems:
        raise DossierError(f"{path}: " + "; ".join(problems))
    return claim


def _upload_reader(base: Path) -> Callable[[str], bytes]:
    """Evidence files relative to the dossier, checked and cleaned as uploads are."""

    def read(ref: str) -> bytes:
        return _read_upload(base / ref, None)

    return read


def _read_upload(path: Path, what: str | None) -> bytes:
    from refugio.uploads import inspect

    try:
        data = path.read_bytes()
    except OSError as exc:
        where = f"{what}: cannot read {path}" if what else "cannot read the file"
        raise PacketError(f"{where} ({exc.strerror})") from exc
    try:
        return inspect(data, path.name).data
    except UploadError as exc:
        if what is None:
            raise  # the packet names the evidence and its file
        raise PacketError(f"{what} ({path}): {exc}") from exc


def _put(data: bytes, out: BinaryIO) -> None:
    out.write(data)


def _write_all(folder: Path, files: dict[str, bytes]) -> None:
    """Each file written whole (refugio.atomic); on a failure the ones written are removed."""
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            target = folder / name
            write_atomically(target, partial(_put, data), suffix=".part")
            written.append(target)
    except OSError as exc:
        for target in written:
            target.unlink(missing_ok=True)
        raise PacketError(f"{folder}: cannot write the packet ({exc.strerror or exc})") from exc
