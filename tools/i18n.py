"""The web app's translation catalogues: collect every English string, merge, check.

    .venv/bin/python tools/i18n.py           # update src/refugio_web/locale/*/LC_MESSAGES/django.po
    .venv/bin/python tools/i18n.py --check   # exit 1 listing msgids missing or untranslated
    make messages                            # compile the .po files into .mo (never committed)

Two sources of English text reach gettext in the web app:

1. the web app's own templates and Python (``{% translate %}``, ``gettext``): Django's
   ``makemessages`` extracts them, keeping the existing translations;
2. the core (``refugio``), which knows nothing of Django: step titles, intros, nouns and help
   texts (``refugio.interview.plan``), question labels and form items (``refugio.model`` through
   ``refugio.paths``), choice labels, the interview's format errors and the checker's message
   templates and phrases (``refugio.check``). ``refugio_web.present`` passes them through gettext
   at run time; this tool walks the interview plan and reads the checker's source to list them,
   and merges them into the same catalogues with polib.

A msgid missing from a catalogue, untranslated, fuzzy or with placeholders that differ from the
English (``%(item)s``) fails ``--check`` (and ``tests/web/test_i18n.py``).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Union, get_args, get_origin
from unittest import mock

import polib  # type: ignore[import-untyped]
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
WEB = SRC / "refugio_web"
LOCALE = WEB / "locale"
CHECK = SRC / "refugio" / "check"
LANGUAGES = ("zh_Hans", "es")
DOMAIN = "django"

if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from refugio.interview import (  # noqa: E402
    CHOICE_ERROR,
    CHOICE_LABELS,
    DATE_ERROR,
    MONTH_ERROR,
    PLAN,
    YES_NO_ERROR,
    Group,
    Question,
    apply_action,
    step_blocks,
)
from refugio.model import Application  # noqa: E402
from refugio.paths import item_for  # noqa: E402

# The argument that holds a message template or phrase, by the name of the function taking it
# (refugio.check.finding): error(path, TEMPLATE), finding(severity, path, TEMPLATE), phrase(P).
_TEMPLATE_ARG = {"error": 1, "warning": 1, "finding": 2, "phrase": 0, "text": 0, "Text": 0}

# Messages of the web app's errors that views pass through gettext (refugio_web.cases).
_WEB_ERRORS = ("some answers cannot be read yet", "pdftoppm (poppler-utils) is not installed")

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

Msgids = dict[str, str]  # msgid -> the file it comes from (relative to src/)


def _add(found: Msgids, text: str, source: str) -> None:
    if text and text not in found:
        found[text] = source


def check_templates() -> Msgids:
    """The checker's message templates and phrases: the string literals given to ``error``,
    ``warning``, ``finding``, ``phrase``, ``text`` and ``Text`` in ``refugio/check``.

    A template built at run time could not be translated: one that is not a literal is refused.
    """
    found: Msgids = {}
    for path in sorted(CHECK.glob("*.py")):
        source = str(path.relative_to(SRC))
        calls: list[tuple[int, str]] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            position = _TEMPLATE_ARG.get(name)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                calls.append((node.lineno, arg.value))
            elif path.name != "finding.py":  # finding.py passes templates on, by name
                raise SystemExit(
                    f"{source}:{node.lineno}: the message template of {name}() must be a "
                    "string literal, or tools/i18n.py cannot collect it for translation"
                )
        for _line, text in sorted(calls):
            _add(found, text, source)
    return found


def _unwrap(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def model_paths(cls: type[BaseModel] = Application, prefix: str = "") -> Iterator[str]:
    """Every path of the model, with the first entry ([0]) of each list."""
    for name, info in cls.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        yield path
        annotation = _unwrap(info.annotation)
        if get_origin(annotation) is list:
            path = f"{path}[0]"
            yield path
            annotation = _unwrap(get_args(annotation)[0])
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from model_paths(annotation, path)


def _item_msgids(items: Iterable[str]) -> list[str]:
    """What ``present.item_text`` asks gettext for, for each form item ("Page 1", ...)."""
    from refugio_web import present

    asked: list[str] = []

    def record(text: str) -> str:
        asked.append(text)
        return text

    with mock.patch.object(present, "_", record):
        for item in items:
            present.item_text(item)
    return asked


def _question_texts(question: Question, found: Msgids, items: list[str]) -> None:
    _add(found, question.label, "refugio/model.py")
    _add(found, question.help, "refugio/interview/plan.py")
    items.append(question.item)
    for _value, label in question.choices:
        _add(found, label, "refugio/interview/questions.py")
    if question.show_if is not None:
        for value in question.show_if.values:
            _add(found, value, "refugio/interview/plan.py")


def core_msgids() -> Msgids:
    """Every English string of the core that the web app translates at run time."""
    _setup_django()  # refugio_web.present, imported below, marks strings at import time
    found: Msgids = {}
    items: list[str] = []
    draft: dict[str, Any] = {}
    for step in PLAN:  # one entry in each list, so that every list asks its questions
        draft = apply_action(step, draft, "add")
    for step in PLAN:
        plan = "refugio/interview/plan.py"
        for text in (step.title, step.intro, step.noun):
            _add(found, text, plan)
        items.append(step.part)
        if step.toggle is not None:
            _add(found, step.toggle.label, plan)
            items.append(step.toggle.item)
        for block in step_blocks(step, draft):
            if isinstance(block, Group):
                _add(found, block.label, "refugio/model.py")
                _add(found, block.help, "refugio/interview/plan.py")
                items.append(block.item)
                for question in block.questions:
                    _question_texts(question, found, items)
            else:
                _question_texts(block, found, items)
    for labels in CHOICE_LABELS.values():
        for label in labels.values():
            _add(found, label, "refugio/interview/questions.py")
    for error in (DATE_ERROR, MONTH_ERROR, CHOICE_ERROR, YES_NO_ERROR):
        _add(found, error, "refugio/interview/draft.py")
    # Findings name any item of the model, not only those a screen shows.
    items.extend(item_for(path) for path in model_paths())
    for text in _item_msgids(dict.fromkeys(items)):
        _add(found, text, "refugio/model.py")
    for text, source in check_templates().items():
        _add(found, text, source)
    for text in _WEB_ERRORS:
        _add(found, text, "refugio_web/cases.py")
    return found


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refugio_web.settings")
    os.environ.setdefault("REFUGIO_DEBUG", "1")  # the demo settings: no secret key needed
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def makemessages(workdir: Path, locales: Iterable[str], *, keep_pot: bool = False) -> None:
    """Django's makemessages over ``workdir`` (a copy of src/refugio_web or itself), writing
    into ``workdir/locale``."""
    _setup_django()
    from django.core.management import call_command
    from django.core.management.commands import makemessages as django_makemessages
    from django.test import override_settings

    class Command(django_makemessages.Command):
        # The core's msgids are not in the web app's files, so makemessages marks them obsolete
        # before they are merged back in; without this, msgmerge would hand an obsolete
        # translation to a similar new msgid ("date signed" to "Assigned") as a fuzzy guess.
        msgmerge_options = [  # noqa: RUF012 - Django's own attribute, a list there too
            *django_makemessages.Command.msgmerge_options,
            "--no-fuzzy-matching",
        ]

    with (
        contextlib.chdir(workdir),
        override_settings(LOCALE_PATHS=[workdir / "locale"]),
    ):
        call_command(
            Command(),
            locale=list(locales),
            domain=DOMAIN,
            keep_pot=keep_pot,
            verbosity=0,
            ignore_patterns=["static/*", "locale/*"],
        )


def web_msgids() -> set[str]:
    """The msgids of the web app's templates and Python, as makemessages extracts them now
    (into a throwaway copy: the real catalogues are not touched)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "refugio_web"
        shutil.copytree(WEB, work, ignore=shutil.ignore_patterns("locale", "static", "__pycache__"))
        (work / "locale").mkdir()
        makemessages(work, ["es"], keep_pot=True)
        pot = polib.pofile(str(work / "locale" / f"{DOMAIN}.pot"))
        return {entry.msgid for entry in pot if not entry.obsolete}


_NAMES = {"zh_Hans": "Simplified Chinese", "es": "Spanish"}


def _header(po: polib.POFile, language: str, before: polib.POFile | None) -> None:
    po.header = (
        f"Refugio's web app in {_NAMES.get(language, language)}.\n"
        "Updated by tools/i18n.py (templates, the web app's Python and the core); compiled by\n"
        "`make messages`. Legal terms should be reviewed by a professional translator."
    )
    po.metadata.update(
        {
            "Project-Id-Version": "Refugio",
            "Language-Team": _NAMES.get(language, language),
            "Last-Translator": "Refugio",
            "Language": language,
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        }
    )
    if "INTEGER" in po.metadata.get("Plural-Forms", "INTEGER"):
        zh = language.startswith("zh")
        po.metadata["Plural-Forms"] = (
            "nplurals=1; plural=0;" if zh else "nplurals=2; plural=(n != 1);"
        )
    if before is not None and _ids(before) == _ids(po):
        # Nothing to translate changed: keep the date, so that a run changes no file.
        po.metadata["POT-Creation-Date"] = before.metadata.get("POT-Creation-Date", "")
    if po.metadata.get("PO-Revision-Date", "YEAR").startswith("YEAR"):
        po.metadata["PO-Revision-Date"] = po.metadata.get("POT-Creation-Date", "")
    po.metadata_is_fuzzy = False


def _ids(po: polib.POFile) -> set[str]:
    return {entry.msgid for entry in po if not entry.obsolete}


def merge_core(po: polib.POFile, core: Msgids) -> None:
    """Add the core's msgids to ``po`` (reviving those makemessages made obsolete, with their
    translations) and drop what is obsolete otherwise."""
    by_id = {entry.msgid: entry for entry in po if not entry.msgctxt}
    for msgid, source in core.items():
        entry = by_id.get(msgid)
        if entry is None:
            entry = polib.POEntry(msgid=msgid, msgstr="")
            po.append(entry)
        elif not entry.obsolete:
            continue  # also in the web app's own sources
        entry.obsolete = False
        entry.occurrences = [(source, "")]
        if _PLACEHOLDER.search(msgid) and "python-format" not in entry.flags:
            entry.flags.append("python-format")
    for entry in po.obsolete_entries():
        po.remove(entry)


def update() -> None:
    """makemessages for every language, then the core's msgids merged in."""
    core = core_msgids()
    paths = {language: LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po" for language in LANGUAGES}
    before = {lang: polib.pofile(str(path)) for lang, path in paths.items() if path.exists()}
    makemessages(WEB, LANGUAGES)
    for language, path in paths.items():
        po = polib.pofile(str(path), wrapwidth=100)
        merge_core(po, core)
        _header(po, language, before.get(language))
        po.save(str(path))
        print(
            f"{path.relative_to(ROOT)}: {len(po)} messages, {po.percent_translated()}% translated"
        )


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _placeholder_problem(entry: polib.POEntry) -> str | None:
    wanted = set(_PLACEHOLDER.findall(entry.msgid)) | set(_PLACEHOLDER.findall(entry.msgid_plural))
    translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    for text in translations:
        if set(_PLACEHOLDER.findall(text)) != wanted:
            return f"placeholders differ from the English ({', '.join(sorted(wanted)) or 'none'})"
    return None


def problems(expected: Iterable[str] | None = None) -> list[str]:
    """Every msgid missing, untranslated, fuzzy or with wrong placeholders, in each language;
    ``expected`` defaults to what the web app and the core need now."""
    wanted = set(expected) if expected is not None else web_msgids() | set(core_msgids())
    found: list[str] = []
    for language in LANGUAGES:
        path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            found.append(f"{language}: no catalogue at {path.relative_to(ROOT)}")
            continue
        po = polib.pofile(str(path))
        entries = {entry.msgid: entry for entry in po if not entry.obsolete}
        for msgid in sorted(wanted - entries.keys()):
            found.append(f"{language}: missing: {msgid!r}")
        for msgid, entry in entries.items():
            if "fuzzy" in entry.flags:
                found.append(f"{language}: fuzzy: {msgid!r}")
            elif not _translated(entry):
                found.append(f"{language}: untranslated: {msgid!r}")
            elif problem := _placeholder_problem(entry):
                found.append(f"{language}: {problem}: {msgid!r}")
        if shutil.which("msgfmt"):
            done = subprocess.run(
                ["msgfmt", "--check", "-o", os.devnull, str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                found.append(f"{language}: msgfmt --check: {done.stderr.strip()}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Update the web app's translation catalogues (zh_Hans, es) from the "
        "templates, the web app's Python and the core; or check that they are complete.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 listing every msgid missing, untranslated or fuzzy",
    )
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        for line in found:
            print(line)
        if found:
            print(f"{len(found)} problems: run tools/i18n.py, then translate", file=sys.stderr)
        return 1 if found else 0
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main())
