"""The claim beyond the form, web side (issue 5, points 1, 2 and 3): the declaration drafted
from the timeline and the answers and exported, the Part B explanations offered from the
timeline, and the consistency check.

Each function works on a case reached through ``cases.case_for`` (which checked the right and
recorded the access) and writes only through the guarded saves: the declaration with the
dossier's version (``dossiers.save_dossier``), the Part B answers with the interview's version
(``cases.save_draft``), so of two people saving, the second is told and nothing is overwritten.

The application is built from the case's draft as the review page builds it
(``refugio.interview.build``). Drafting and exporting refuse while an answer cannot be read (it
would be missing from the declaration without a word, as ``cases.filled_form`` refuses to fill);
the consistency check and the Part B proposals work with the answers that can be read, so an
incomplete case never breaks their pages.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from refugio.claim.consistency import Conflict, check
from refugio.claim.declaration import (
    declaration_docx,
    declaration_pdf,
    draft,
    needs_interpreter,
    part_b_texts,
    redraft,
)
from refugio.claim.model import Dossier
from refugio.errors import DossierError
from refugio.interview import PLAN, Draft, build, get
from refugio.model import Application
from refugio_web import cases
from refugio_web.dossiers import dossier_of, save_dossier
from refugio_web.errors import EditConflict, OutputError
from refugio_web.models import Case, User

__all__ = [
    "CATEGORIES",
    "FORMATS",
    "Consistency",
    "Export",
    "InterpreterMissing",
    "Proposal",
    "conflict_count",
    "consistency_of",
    "declaration_file",
    "draft_declaration",
    "part_b_proposals",
    "source_link",
    "take_part_b",
]

UNREADABLE = "some answers cannot be read yet"  # refugio_web.cases' words, translated already


def _application(case: Case) -> Application:
    """The case's application; OutputError while an answer cannot be read."""
    built = build(case.draft)
    if built.app is None or built.errors:
        raise OutputError(UNREADABLE)
    return built.app


# --- the declaration -------------------------------------------------------------------------


def draft_declaration(
    user: User, case: Case, version: int, today: dt.date
) -> list[tuple[int, str]]:
    """Draft the declaration from the answers and the timeline, and save it if the dossier is
    still at ``version`` (EditConflict otherwise).

    The first time (no paragraph yet) a fresh draft; afterwards a redraft, which keeps every
    paragraph a person edited as it is. Returns the kept edited paragraphs that tell an event
    no longer on the timeline, as (paragraph number, event id), for the page to name.
    """
    application = _application(case)
    dossier = dossier_of(case)
    if dossier.declaration:
        paragraphs = list(redraft(application, dossier, today))
    else:
        paragraphs = draft(application, dossier, today)
    # Deleting an event unlinks its paragraphs (dossiers.delete_event), so an edited paragraph
    # tells a missing event only in a dossier made elsewhere: it is kept, unlinked (the save
    # refuses a broken link), and named.
    orphans = []
    for n, p in enumerate(paragraphs, 1):
        if p.event is not None and dossier.event(p.event) is None:
            orphans.append((n, p.event))
            paragraphs[n - 1] = p.model_copy(update={"event": None})
    dossier.declaration = paragraphs
    save_dossier(user, case, dossier, version)
    return orphans


class InterpreterMissing(DossierError):
    """The declaration needs an interpreter's certificate and the dossier lacks some of its
    details; ``missing`` names them ("name", "address", "telephone", "language")."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("the interpreter's " + ", ".join(missing) + " missing")
        self.missing = missing


@dataclass(frozen=True)
class Export:
    data: bytes
    mime: str
    name: str  # generic: a downloads folder must not say who applied (8 CFR 208.6)


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS: dict[str, tuple[str, str, Callable[[Application, Dossier], bytes]]] = {
    "pdf": ("application/pdf", "declaration.pdf", declaration_pdf),
    "docx": (_DOCX, "declaration.docx", declaration_docx),
}


def _interpreter_missing(application: Application, dossier: Dossier) -> list[str]:
    """What the interpreter's certificate lacks, as refugio.claim.declaration checks it."""
    if not needs_interpreter(application, dossier):
        return []
    found = dossier.interpreter
    if found is None:
        return ["name", "address", "telephone", "language"]
    fields = (
        ("name", found.name),
        ("address", found.address),
        ("telephone", found.phone),
        ("language", found.language),
    )
    return [label for label, value in fields if not value.strip()]


def declaration_file(user: User, case: Case, fmt: str) -> Export:
    """The declaration as PDF or DOCX, made in memory; the download is recorded with its format.

    OutputError while an answer cannot be read; InterpreterMissing when the certificate needs
    details the dossier lacks.
    """
    mime, name, make = FORMATS[fmt]
    cases.record(user, "declaration-download", case, format=fmt)
    application = _application(case)
    dossier = dossier_of(case)
    missing = _interpreter_missing(application, dossier)
    if missing:
        raise InterpreterMissing(missing)
    try:
        return Export(make(application, dossier), mime, name)
    except DossierError as exc:  # the core's message names what is wrong
        raise OutputError(str(exc)) from exc


# --- Part B from the timeline ----------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """One Part B explanation drafted from the timeline, beside the answer in the draft."""

    path: str  # its path in the draft and the model: "claim.past_harm.explanation"
    step: str  # the interview screen that asks it
    current: str  # the explanation as typed now
    answer: str  # the yes/no answer above it, as typed ("yes", "no", "")
    proposed: str
    digest: str  # of ``proposed``: a proposal is taken only as the page showed it

    @property
    def question(self) -> str:
        """The path of the yes/no question it explains: "claim.past_harm"."""
        return self.path.rsplit(".", 1)[0]

    @property
    def ticked(self) -> bool:
        """Ticked at first only where nothing would be lost: never overwrite silently."""
        return not self.current.strip()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _step_of(path: str) -> str:
    root, _sep, rest = path.partition(".")
    field = rest.split(".", 1)[0]
    return next((s.slug for s in PLAN if s.root == root and field in s.fields), "")


def part_b_proposals(case: Case) -> list[Proposal]:
    """The Part B explanations the timeline can draft (none without events), in form order.

    Built from the answers that can be read (the names of relatives and the last departure
    come from them); OutputError if the answers make no application at all.
    """
    built = build(case.draft)
    if built.app is None:
        raise OutputError(UNREADABLE)
    texts = part_b_texts(built.app, dossier_of(case))
    out = []
    for path, text in texts.items():
        current = get(case.draft, path)
        answer = get(case.draft, path.rsplit(".", 1)[0] + ".answer")
        out.append(
            Proposal(
                path=path,
                step=_step_of(path),
                current=current if isinstance(current, str) else "",
                answer=answer if isinstance(answer, str) else "",
                proposed=text,
                digest=_digest(text),
            )
        )
    order = [s.slug for s in PLAN]
    return sorted(out, key=lambda p: order.index(p.step) if p.step in order else len(order))


def _put(draft: Draft, path: str, text: str) -> None:
    """Write ``text`` at a dotted path of plain keys (the Part B explanations have no list
    index); the draft stores every answer as typed, so the text goes in as it is."""
    if "[" in path:
        raise ValueError(f"not a Part B path: {path!r}")  # part_b_texts changed: a bug
    *parents, leaf = path.split(".")
    node = draft
    for name in parents:
        child = node.get(name)
        if not isinstance(child, dict):
            child = node[name] = {}
        node = child
    node[leaf] = text


def take_part_b(user: User, case: Case, version: int, taken: dict[str, str]) -> int:
    """Write the ticked proposals (path: the digest the page showed) into the case's draft if it
    is still at ``version``; returns how many. EditConflict if someone saved the answers since,
    or if a ticked proposal is no longer what the page showed (the timeline changed).

    Nothing ticked: the access is recorded and nothing is saved.
    """
    if not taken:
        cases.record(user, "part-b-open", case)
        return 0
    try:
        proposals = {p.path: p for p in part_b_proposals(case)}
    except OutputError:
        cases.record(user, "part-b-open", case)
        raise
    for path, digest in taken.items():
        shown = proposals.get(path)
        if shown is None or shown.digest != digest:
            cases.record(user, "part-b-open", case)
            raise EditConflict("the timeline changed since the page was opened")
    new = copy.deepcopy(case.draft)
    for path in taken:
        _put(new, path, proposals[path].proposed)
    cases.save_draft(user, case, new, version, opened="part-b-open")
    return len(taken)


# --- consistency -----------------------------------------------------------------------------

CATEGORIES = ("date", "place", "person", "count")
_NO_ANSWERS = {"applicant": {"last_name": "", "first_name": ""}}


@dataclass(frozen=True)
class Consistency:
    """The conflicts of a case, and how much of the form could take part."""

    conflicts: list[Conflict]
    unreadable: int  # answers that cannot be read, left out of the comparison
    without_form: bool  # the answers make no application: the dossier was compared alone


def consistency_of(case: Case) -> Consistency:
    """Every conflict between the answers, the timeline, the declaration and the evidence."""
    built = build(case.draft)
    application = built.app or Application.model_validate(_NO_ANSWERS)
    found = check(application, dossier_of(case))
    return Consistency(found, len(built.errors), built.app is None)


# The case page shows the count at every visit and the check takes ~0.1 s on a full case: the
# last counts, by case and both versions (a save of either changes the key). Numbers only.
_COUNTS: OrderedDict[tuple[str, int, int], int] = OrderedDict()
_COUNTS_KEEP = 256
_COUNTS_LOCK = threading.Lock()


def conflict_count(case: Case) -> int:
    key = (str(case.pk), case.version, case.dossier_version)
    with _COUNTS_LOCK:
        if key in _COUNTS:
            _COUNTS.move_to_end(key)
            return _COUNTS[key]
    count = len(consistency_of(case).conflicts)
    with _COUNTS_LOCK:
        _COUNTS[key] = count
        while len(_COUNTS) > _COUNTS_KEEP:
            _COUNTS.popitem(last=False)
    return count


# Where a conflict's source is, for a link: the sources are refugio.claim.consistency's words.
_PART_B_STEPS = {"1.A": "harm", "1.B": "harm", "2": "arrests", "3.A": "organizations"}
_PART_B_STEPS |= {"3.B": "organizations", "4": "torture"}
_PART_B_ITEM = re.compile(r"^Part B item (\S+)")
_FORM: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Part C item 2\b"), "other-countries"),
    (re.compile(r"^Part C item 4\b"), "conduct"),
    (re.compile(r"^Part C item 5\b"), "timing"),
    (re.compile(r"^Part A\.I items 4-7"), "identity"),
    (re.compile(r"^Part A\.I item 19\.A"), "travel"),
    (re.compile(r"^Part A\.I item 19\.C"), "entries"),
    (re.compile(r"^Part A\.II spouse"), "spouse"),
    (re.compile(r"^Part A\.II\b"), "children"),
    (re.compile(r"^Part A\.III item 1\b"), "last-address"),
    (re.compile(r"^Part A\.III item 2\b"), "residences"),
    (re.compile(r"^Part A\.III item 5 \(sibling"), "siblings"),
    (re.compile(r"^Part A\.III item 5\b"), "parents"),
)
_DOSSIER = (
    (re.compile(r"^declaration paragraph (\d+)"), "declaration", "paragraph-{}", -1),
    (re.compile(r"^timeline event ([A-Za-z0-9_-]+)"), "timeline", "event-{}", 0),
    (re.compile(r"^evidence ([A-Za-z0-9_-]+)"), "evidence", "evidence-{}", 0),
)


def source_link(source: str) -> tuple[str, str] | None:
    """Where a source of a conflict can be seen: ("declaration", "paragraph-6"),
    ("timeline", "event-e4"), ("evidence", "evidence-x1"), ("step", "harm") or
    ("timeline", "") for the whole timeline; None when there is no such place."""
    for pattern, page, anchor, shift in _DOSSIER:
        m = pattern.match(source)
        if m:
            value = str(int(m[1]) + shift) if shift else m[1]
            return page, anchor.format(value)
    if source.startswith("the timeline"):
        return "timeline", ""
    m = _PART_B_ITEM.match(source)
    if m and m[1] in _PART_B_STEPS:
        return "step", _PART_B_STEPS[m[1]]
    return next((("step", slug) for pattern, slug in _FORM if pattern.match(source)), None)
