"""The filing packet: every package in the order of the instructions (issue 5, point 6).

``build_packet`` fills the I-589, builds the exhibits once (``refugio.claim.exhibits``) and
arranges print-ready packages as the instructions ask (Part 1 §X): the original package, one
duplicate of it, and one package for each spouse or child included in Part A.II. Alongside come
a cover letter, a checklist of what Refugio cannot print (photographs, passport copies,
relationship documents it was not given — each with its number of copies) and the fee due
(``refugio.claim.fees``), and a ZIP of all of it.

What goes where, how many copies and why are data (``data/packet.toml``, read by
:func:`rules`), each entry with its citation; the code only follows them. What Refugio
cannot produce — the G-28 when none was given, the photographs — gets a clearly printed
placeholder sheet at its place, to be replaced or removed.

The declaration comes from the caller as PDF bytes (``refugio.claim.declaration`` makes it):
this module does not import the declaration, so the dependency runs one way.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tomllib
import zipfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pikepdf

from refugio.claim.exhibits import (
    Exhibit,
    Exhibits,
    Item,
    build_exhibits,
    exhibit_letter,
    index_pages,
)
from refugio.claim.fees import FeeDue, fee_due, filing_place
from refugio.claim.model import APPLICANT, DocumentKind, Dossier, Evidence
from refugio.claim.typeset import Pages
from refugio.editions import detect_edition
from refugio.errors import DossierError, PacketError, RefugioError
from refugio.fill import FillReport, fill_pdf
from refugio.fill.pdfdoc import open_blank, widgets
from refugio.model import Application

__all__ = [
    "Checklist",
    "ChecklistItem",
    "Member",
    "Need",
    "Package",
    "Packet",
    "Preview",
    "Rules",
    "Slot",
    "Step",
    "build_packet",
    "is_represented",
    "preview",
    "rules",
]

Progress = Callable[[str, int, int], None]
Lettered = Sequence[tuple[str, Evidence]]  # (exhibit letter, its evidence), in exhibit order
SlotKey = Literal["form", "g28", "supplements", "declaration", "exhibits", "relationship"]

# --- the rules, as data (data/packet.toml) --------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One part of a package, in order."""

    key: SlotKey
    what: str
    source: str
    photo: Literal["part_d", "part_a_ii"] | None = None  # for "form": where a photo is stapled


@dataclass(frozen=True)
class Need:
    """Something each person must supply that Refugio cannot print, and how many copies."""

    key: str
    what: str
    copies: int
    who: Literal["everyone", "family", "spouse"]
    source: str
    note: str = ""


@dataclass(frozen=True)
class Step:
    """Something left to do by hand before mailing; ``when`` limits it to some cases."""

    do: str
    source: str
    when: Literal["always", "statements", "court"] = "always"


@dataclass(frozen=True)
class Rules:
    """The packages (Part 1 §X), the needs per person (§V, §VI) and the steps left by hand."""

    original: tuple[Slot, ...]
    duplicate: tuple[Slot, ...]
    family: tuple[Slot, ...]
    needs: tuple[Need, ...]
    steps: tuple[Step, ...]


@cache
def rules() -> Rules:
    """``data/packet.toml``, read once."""
    raw = tomllib.loads(
        (resources.files("refugio.claim") / "data" / "packet.toml").read_text(encoding="utf-8")
    )

    def slots(name: str) -> tuple[Slot, ...]:
        return tuple(Slot(s["slot"], s["what"], s["source"], s.get("photo")) for s in raw[name])

    return Rules(
        original=slots("original"),
        duplicate=slots("duplicate"),
        family=slots("family"),
        needs=tuple(
            Need(n["key"], n["what"], int(n["copies"]), n["who"], n["source"], n.get("note", ""))
            for n in raw["need"]
        ),
        steps=tuple(Step(s["do"], s["source"], s.get("when", "always")) for s in raw["step"]),
    )


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """The applicant or a family member included in the application (Part A.II)."""

    key: str  # "applicant", "spouse", "child-4" (the child's number in Part A.II)
    relation: str  # "applicant", "spouse", "child 4"
    name: str  # as in Part A.I: "QIU, Wanling"
    first: str
    middle: str
    last: str
    i94: str = ""

    def matches(self, person: str) -> bool:
        """Whether ``Evidence.person`` names this person ("applicant", or the name in either
        order, with or without the middle name)."""
        if person == APPLICANT:
            return self.key == APPLICANT
        words = frozenset(person.replace(",", " ").casefold().split())
        first_last = {self.first.casefold(), self.last.casefold()}
        full = first_last | set(self.middle.casefold().split())
        return words in (frozenset(first_last), frozenset(full))


@dataclass(frozen=True)
class Package:
    """One print-ready package."""

    filename: str
    title: str
    member: str  # Member.key of whose package it is
    pdf: bytes = field(repr=False)
    pages: int
    contents: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistItem:
    person: str
    what: str
    copies: int
    where: str
    status: Literal["to provide", "in the packet"]
    source: str
    note: str = ""


@dataclass(frozen=True)
class Checklist:
    """What remains to do by hand, and the fee: structured (for the web page) and printed."""

    fee: FeeDue
    items: tuple[ChecklistItem, ...]
    steps: tuple[tuple[str, str], ...]  # (what to do, source)
    pdf: bytes = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        fee = asdict(self.fee)
        return {
            "fee": {
                **{k: v for k, v in fee.items() if k != "later"},
                "later": [asdict(f) for f in self.fee.later],
                "describe": self.fee.describe(),
            },
            "items": [asdict(i) for i in self.items],
            "steps": [{"do": s, "source": src} for s, src in self.steps],
        }


@dataclass(frozen=True)
class Packet:
    packages: tuple[Package, ...]
    checklist: Checklist
    cover_letter: bytes = field(repr=False)
    exhibits: tuple[Exhibit, ...]
    report: FillReport
    zip: bytes = field(repr=False)

    def files(self) -> dict[str, bytes]:
        """Every file of the packet by its name (never a person's name: 8 CFR 208.6)."""
        out = {"cover-letter.pdf": self.cover_letter}
        out |= {p.filename: p.pdf for p in self.packages}
        out["checklist.pdf"] = self.checklist.pdf
        # The packages with their pages, as the checklist's paper copy lists them.
        listing = [{"file": p.filename, "title": p.title, "pages": p.pages} for p in self.packages]
        out["checklist.json"] = json.dumps(
            self.checklist.as_dict() | {"packages": listing},
            indent=2,
            ensure_ascii=False,
            default=str,
        ).encode("utf-8")
        return out


@dataclass(frozen=True)
class Preview:
    """The fee and what is left to do by hand, as the packet built that day will list them."""

    fee: FeeDue
    items: tuple[ChecklistItem, ...]
    steps: tuple[tuple[str, str], ...]


def preview(application: Application, dossier: Dossier, today: dt.date) -> Preview:
    """The packet's checklist without building the packet: no file is read, nothing is typeset
    (the exhibits are lettered in the order ``build_packet`` gives them)."""
    members = _members(application)
    ordered = sorted(dossier.evidence, key=lambda x: _relationship_of(x, members[1:]) is not None)
    fee = fee_due("I-589", today, filing_place(application))
    items, steps = _to_do(members, [(exhibit_letter(n), x) for n, x in enumerate(ordered)], fee)
    return Preview(fee, tuple(items), tuple(steps))


def is_represented(application: Application, flag: bool | None = None) -> bool:
    """Represented by an attorney (a bar number in Part E) or an accredited representative
    (Part E's "G-28 is attached"), unless ``flag`` says otherwise."""
    if flag is not None:
        return flag
    p = application.preparer
    return p is not None and (bool(p.bar_number.strip()) or p.g28_attached)


# --- building ------------------------------------------------------------------------------


def build_packet(
    application: Application,
    dossier: Dossier,
    files: Callable[[str], bytes],
    blank_form: Path,
    today: dt.date,
    *,
    represented: bool | None = None,
    declaration: bytes | None = None,
    g28: bytes | None = None,
    progress: Progress | None = None,
) -> Packet:
    """Build every package, the checklist, the cover letter and the ZIP, all in memory.

    ``files(ref)`` returns the bytes of an evidence or translation file (``Evidence.file``);
    ``today`` is the filing (postmark) date, which decides the fee. Raises DossierError for
    a dossier with broken links and PacketError naming the evidence whose file is refused.
    """
    problems = dossier.problems()
    if problems:
        raise DossierError("the dossier is not consistent: " + "; ".join(problems))
    tick = progress or (lambda stage, done, total: None)
    fee = fee_due("I-589", today, filing_place(application))  # before the work: it may refuse
    members = _members(application)
    rep = is_represented(application, represented)
    items = _items(dossier, members, files, tick)
    with ExitStack() as stack:
        form = stack.enter_context(open_blank(blank_form))
        report, pages = _fill(application, form, today)
        tick("form", 1, 1)
        header = _header(application)
        exhibits = build_exhibits(
            items,
            header=header,
            prefix=_prefix(application),
            stack=stack,
            progress=lambda _s, done, total: tick("exhibits", done, total),
        )
        parts = _Parts(
            form=form,
            pages=pages,
            g28=_open(stack, g28, "the G-28") if rep else None,
            declaration=_open(stack, declaration, "the declaration"),
            index=stack.enter_context(index_pages(exhibits, dossier, header).build())
            if items
            else None,
            exhibits=exhibits,
            holders=_Holders(stack, header),
            represented=rep,
        )
        packages = _packages(parts, members, tick)
    lettered = [(e.letter, e.evidence) for e in exhibits.exhibits]
    checklist = _checklist(members, lettered, packages, fee, header)
    tick("checklist", 1, 1)
    letter = _cover_letter(application, members, packages, report, fee, today, rep)
    packet = Packet(
        packages=tuple(packages),
        checklist=checklist,
        cover_letter=letter,
        exhibits=tuple(exhibits.exhibits),
        report=report,
        zip=b"",
    )
    archive = _zip(packet.files(), today)
    tick("zip", 1, 1)
    return replace(packet, zip=archive)


def _members(app: Application) -> list[Member]:
    a = app.applicant
    found = [
        _member(APPLICANT, "applicant", a.first_name, a.middle_name, a.last_name, a.i94_number)
    ]
    s = app.spouse
    if s is not None and s.include_in_application:
        found.append(
            _member("spouse", "spouse", s.first_name, s.middle_name, s.last_name, s.i94_number)
        )
    for n, c in enumerate(app.children, 1):
        if c.include_in_application:
            found.append(
                _member(
                    f"child-{n}",
                    f"child {n}",
                    c.first_name,
                    c.middle_name,
                    c.last_name,
                    c.i94_number,
                )
            )
    return found


def _member(key: str, relation: str, first: str, middle: str, last: str, i94: str) -> Member:
    given = " ".join(p for p in (first, middle) if p)
    name = ", ".join(p for p in (last, given) if p)  # as Application.name_as_in_part_a
    return Member(key, relation, name, first, middle, last, i94)


def _items(
    dossier: Dossier, members: list[Member], files: Callable[[str], bytes], tick: Progress
) -> list[Item]:
    """The exhibits in the order given, with the relationship documents of the family members
    included moved behind the others, as §X places them (behind 3 and 4)."""
    family = members[1:]
    supporting, relationship = [], []
    for n, x in enumerate(dossier.evidence, 1):
        document = _read(files, x, x.file)
        translation = None
        if x.needs_translation and x.translation is not None:
            translation = _read(files, x, x.translation.file)
        if _relationship_of(x, family) is not None:
            relationship.append(Item(x, document, translation, _RELATIONSHIP_SECTION))
        else:
            supporting.append(Item(x, document, translation, _SUPPORTING_SECTION))
        tick("files", n, len(dossier.evidence))
    return supporting + relationship


_SUPPORTING_SECTION = "Supporting documents (instructions Part 1 §X, behind the form, item 3)"
_RELATIONSHIP_SECTION = "Evidence of relationship (instructions Part 1 §X, behind the form, item 4)"


def _relationship_of(x: Evidence, family: Sequence[Member]) -> Member | None:
    if x.kind != DocumentKind.RELATIONSHIP:
        return None
    return next((m for m in family if m.matches(x.person)), None)


def _read(files: Callable[[str], bytes], x: Evidence, ref: str) -> bytes:
    try:
        return files(ref)
    except (RefugioError, OSError) as exc:
        message = getattr(exc, "strerror", None) or str(exc)
        raise PacketError(f"evidence {x.id} ({ref}): {message}") from exc


def _fill(app: Application, form: pikepdf.Pdf, today: dt.date) -> tuple[FillReport, _FormPages]:
    edition = detect_edition(form)
    fmap = edition.field_map()
    report = fill_pdf(app, form, today=today, edition=edition)
    page_of = {fmap.entries[w.name].path: w.page for w in widgets(form) if w.name in fmap.entries}
    pages = _FormPages(
        count=min(fmap.supplement_a_page, fmap.supplement_b_page) - 1,
        part_d=page_of.get("signature.date_signed", 0),
        part_a_ii=page_of.get("spouse.last_name", 0),
    )
    # Printed, not filled in on screen: every value becomes page content (the form is then the
    # same in every viewer and printer, and its pages can be copied into other documents).
    form.flatten_annotations("print")
    for page in form.pages:  # what is left are empty fields: nothing to print
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            page.obj.Annots = pikepdf.Array(
                [a for a in annots if a.get("/Subtype") != pikepdf.Name.Widget]
            )
    return report, pages


@dataclass(frozen=True)
class _FormPages:
    count: int  # pages of the form itself; the supplements follow
    part_d: int
    part_a_ii: int


def _header(app: Application) -> str:
    a_number = app.applicant.a_number or "none"
    return f"{app.name_as_in_part_a}  ·  A-Number: {a_number}"


def _prefix(app: Application) -> str:
    return app.applicant.last_name.strip() or "Exhibit"


def _open(stack: ExitStack, data: bytes | None, what: str) -> pikepdf.Pdf | None:
    if data is None:
        return None
    try:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(data)))
    except (pikepdf.PdfError, ValueError) as exc:
        raise PacketError(f"{what}: the PDF cannot be read ({exc})") from exc
    if len(pdf.pages) == 0:
        raise PacketError(f"{what}: the PDF has no pages")
    return pdf


class _Holders:
    """Placeholder sheets, typeset once each as they are asked for."""

    def __init__(self, stack: ExitStack, header: str) -> None:
        self.stack, self.header = stack, header
        self.made: dict[tuple[str, ...], pikepdf.Pdf] = {}

    def sheet(self, title: str, lines: list[str]) -> pikepdf.Pdf:
        key = (title, *lines)
        if key not in self.made:
            self.made[key] = self._typeset(title, lines)
        return self.made[key]

    def _typeset(self, title: str, lines: list[str]) -> pikepdf.Pdf:
        doc = Pages(header=self.header, footer=lambda n, t: "REMOVE THIS SHEET BEFORE FILING")
        doc.fill_page([title], 22.0)
        doc.space(60.0)
        for line in lines:
            doc.text(line, size=11.0)
        pdf: pikepdf.Pdf = self.stack.enter_context(doc.build())
        return pdf

    def photo(self, member: Member, where: str) -> pikepdf.Pdf:
        return self.sheet(
            "PHOTOGRAPH",
            [
                f"Staple one passport-style photograph of {member.name} ({member.relation}) "
                f"{where}.",
                "The photograph must have been taken no more than 30 days before filing. "
                "Print the person's complete name and A-Number (if any) in pencil on its back.",
                "Then remove this sheet. (Form I-589 instructions, Part 1 §VI, item 4; §X.)",
            ],
        )

    def g28(self, copy: bool) -> pikepdf.Pdf:
        what = "A COPY OF FORM G-28" if copy else "FORM G-28"
        return self.sheet(
            what,
            [
                f"Put {'a copy of ' if copy else ''}Form G-28, Notice of Entry of Appearance as "
                "Attorney or Accredited Representative, signed by the applicant and the "
                "attorney or representative, in place of this sheet.",
                "(Form I-589 instructions, Part 1 §X; 8 CFR 292.4(a).)",
            ],
        )


@dataclass
class _Parts:
    form: pikepdf.Pdf
    pages: _FormPages
    g28: pikepdf.Pdf | None
    declaration: pikepdf.Pdf | None
    index: pikepdf.Pdf | None
    exhibits: Exhibits
    holders: _Holders
    represented: bool


def _packages(parts: _Parts, members: list[Member], tick: Progress) -> list[Package]:
    plan: list[tuple[str, str, Member, Sequence[Slot], bool]] = [
        ("1-original.pdf", "Original package", members[0], rules().original, False),
        (
            "2-duplicate.pdf",
            "Duplicate of the original package",
            members[0],
            rules().duplicate,
            True,
        ),
    ]
    for n, m in enumerate(members[1:], 3):
        plan.append(
            (f"{n}-{m.key}.pdf", f"Package of {m.name} ({m.relation})", m, rules().family, True)
        )
    done = []
    for k, (filename, title, member, slots, copy) in enumerate(plan, 1):
        out = pikepdf.new()
        contents: list[str] = []
        for slot in slots:
            _fill_slot(out, parts, slot, member, copy, contents)
        buffer = io.BytesIO()
        # Streams are copied as they are, never decoded; no deterministic /ID: hashing 25 MB
        # of output doubles the time of a save (tools/bench_packet.py).
        out.save(buffer, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        done.append(
            Package(filename, title, member.key, buffer.getvalue(), len(out.pages), tuple(contents))
        )
        out.close()
        tick("packages", k, len(plan))
    return done


def _fill_slot(
    out: pikepdf.Pdf, parts: _Parts, slot: Slot, member: Member, copy: bool, contents: list[str]
) -> None:
    before = len(out.pages)
    label = slot.what
    if slot.key == "form":
        if _form_pages(out, parts, slot, member):
            contents.append("photograph placeholder sheet (remove after stapling): 1 page")
            before += 1
        label = f"Form I-589 ({'copy' if copy else 'original'})"
    elif slot.key == "g28":
        if not parts.represented:
            return
        source = parts.g28 or parts.holders.g28(copy)
        out.pages.extend(source.pages)
        label = ("copy of " if copy else "") + "Form G-28" + ("" if parts.g28 else " (placeholder)")
    elif slot.key == "supplements":
        out.pages.extend(parts.form.pages[parts.pages.count :])
        label = "Supplements A and B"
    elif slot.key == "declaration" and parts.declaration is not None:
        out.pages.extend(parts.declaration.pages)
        label = "Declaration"
    elif slot.key == "exhibits":
        _exhibit_pages(out, parts, lambda e: e.section != _RELATIONSHIP_SECTION, index=True)
        label = "Index of exhibits and supporting documents"
    elif slot.key == "relationship":
        own = member.key != APPLICANT  # a family package holds only its member's documents
        _exhibit_pages(
            out,
            parts,
            lambda e: (
                e.section == _RELATIONSHIP_SECTION
                and (not own or member.matches(e.evidence.person))
            ),
            index=False,
        )
        label = "Evidence of relationship"
    added = len(out.pages) - before
    if added:
        contents.append(f"{label}: {added} page{'s' if added != 1 else ''}")


def _form_pages(out: pikepdf.Pdf, parts: _Parts, slot: Slot, member: Member) -> bool:
    """The form's pages, with the photograph placeholder before the page it is stapled to;
    whether there is one."""
    at = {"part_d": parts.pages.part_d, "part_a_ii": parts.pages.part_a_ii}.get(slot.photo or "")
    where = {
        "part_d": "to the next page, Form I-589 Part D",
        "part_a_ii": "in the upper right corner of the next page, Form I-589 Part A.II",
    }.get(slot.photo or "", "")
    for i in range(parts.pages.count):
        if i == at:
            out.pages.extend(parts.holders.photo(member, where).pages)
        out.pages.append(parts.form.pages[i])
    return at is not None


def _exhibit_pages(
    out: pikepdf.Pdf, parts: _Parts, wanted: Callable[[Exhibit], bool], *, index: bool
) -> None:
    chosen = [e for e in parts.exhibits.exhibits if wanted(e)]
    if index and parts.index is not None:
        out.pages.extend(parts.index.pages)
    for e in chosen:
        pages = parts.exhibits.pdf.pages
        for i in parts.exhibits.indices(e):
            out.pages.append(pages[i])


# --- checklist and cover letter ------------------------------------------------------------


def _checklist(
    members: list[Member],
    lettered: Lettered,
    packages: list[Package],
    fee: FeeDue,
    header: str,
) -> Checklist:
    items, steps = _to_do(members, lettered, fee)
    pdf = _checklist_pdf(header, fee, items, steps, packages)
    return Checklist(fee, tuple(items), tuple(steps), pdf)


def _to_do(
    members: list[Member], lettered: Lettered, fee: FeeDue
) -> tuple[list[ChecklistItem], list[tuple[str, str]]]:
    items = [item for m in members for item in _needs(m, lettered)]
    statements = [letter for letter, x in lettered if x.kind == DocumentKind.STATEMENT]
    applies = {"always": True, "statements": bool(statements), "court": fee.where == "court"}
    steps = [
        (step.do.replace("{exhibits}", ", ".join(statements)), step.source)
        for step in rules().steps
        if applies[step.when]
    ]
    return items, steps


def _needs(m: Member, lettered: Lettered) -> list[ChecklistItem]:
    found = []
    for need in rules().needs:
        if need.who == "family" and m.key == APPLICANT:
            continue
        if need.who == "spouse" and m.key != "spouse":
            continue
        if need.key == "i94" and not m.i94 and m.key != APPLICANT:
            continue
        letters = _exhibits_for(need.key, m, lettered)
        where = _where(need, m, letters)
        status: Literal["to provide", "in the packet"] = (
            "in the packet" if letters else "to provide"
        )
        note = need.note
        if need.key == "passport" and letters:
            note = "Check that the copy in the exhibits shows every page, cover to cover."
        found.append(
            ChecklistItem(
                f"{m.name} ({m.relation})", need.what, need.copies, where, status, need.source, note
            )
        )
    return found


def _exhibits_for(key: str, m: Member, lettered: Lettered) -> list[str]:
    kind = {"passport": DocumentKind.PASSPORT, "relationship": DocumentKind.RELATIONSHIP}.get(key)
    if kind is None:
        return []
    return [letter for letter, x in lettered if x.kind == kind and m.matches(x.person)]


def _where(need: Need, m: Member, letters: list[str]) -> str:
    if need.key == "photo":
        return (
            "stapled to the original Form I-589 at Part D"
            if m.key == APPLICANT
            else "stapled at the upper right corner of Part A.II in this person's package"
        )
    # Two copies: the original package and its duplicate (§X, behind the form, items 3-5);
    # a third: the family member's own package (data/packet.toml, "relationship").
    places = "the original package, the duplicate" + (
        ", this person's package" if need.copies >= 3 else ""
    )
    if letters:
        return f"printed as Exhibit {', '.join(letters)} in {places}"
    return f"one copy in each of: {places}"


def _checklist_pdf(
    header: str,
    fee: FeeDue,
    items: list[ChecklistItem],
    steps: list[tuple[str, str]],
    packages: list[Package],
) -> bytes:
    doc = Pages(header=header, footer=lambda n, t: f"Checklist (not to be filed), page {n} of {t}")
    doc.heading("Filing checklist")
    doc.heading("Fee", 11.0)
    doc.text(fee.describe())
    for note in fee.all_notes():
        doc.text(f"- {note}", indent=12.0)
    doc.heading("Packages", 11.0)
    for p in packages:
        doc.text(f"{p.filename}: {p.title}, {p.pages} pages")
    doc.heading("What Refugio cannot print", 11.0)
    for it in items:
        box = "[x]" if it.status == "in the packet" else "[ ]"
        doc.text(
            f"{box} {it.person}: {it.what} — {it.copies} "
            f"{'copy' if it.copies == 1 else 'copies'}; {it.where}. {it.note} ({it.source})",
            indent=0.0,
        )
    doc.heading("Before mailing", 11.0)
    for do, source in steps:
        doc.text(f"[ ] {do} ({source})")
    return _bytes(doc)


def _cover_letter(
    app: Application,
    members: list[Member],
    packages: list[Package],
    report: FillReport,
    fee: FeeDue,
    today: dt.date,
    represented: bool,
) -> bytes:
    a = app.applicant
    doc = Pages(footer=lambda n, t: "" if t == 1 else f"Page {n} of {t}")
    doc.text(today.strftime("%B %d, %Y").replace(" 0", " "))
    to = (
        "Immigration Court" if fee.where == "court" else "U.S. Citizenship and Immigration Services"
    )
    doc.text(to)
    doc.rule("Address (see www.uscis.gov/I-589 for where to file)")
    doc.text(
        "Re: Form I-589, Application for Asylum and for Withholding of Removal\n"
        f"Applicant: {app.name_as_in_part_a}; A-Number: {a.a_number or 'none'}; "
        f"date of birth: {a.date_of_birth.isoformat() if a.date_of_birth else 'unknown'}; "
        f"nationality: {a.present_nationality or 'unknown'}"
    )
    family = [f"{m.name} ({m.relation})" for m in members[1:]]
    if family:
        doc.text("Family members included (Part A.II): " + "; ".join(family) + ".")
    doc.text(
        f"Enclosed is the application of {app.full_name} in {len(packages)} packages, arranged "
        "as the Form I-589 instructions ask (Part 1 §X):"
    )
    for n, package in enumerate(packages, 1):
        parts = "; ".join(package.contents)
        doc.text(f"{n}. {package.title} ({package.pages} pages): {parts}.", indent=12.0)
    doc.text(f"Form I-589 edition {report.edition}.")
    if fee.amount:
        doc.text(f"Fee: ${fee.amount}, paid to {fee.payee} ({fee.source}).")
    else:
        doc.text(f"Fee: none ({fee.source}).")
    doc.text("Sincerely,")
    doc.space(24.0)
    preparer = app.preparer
    signer = preparer.name if represented and preparer is not None else app.full_name
    doc.rule(signer)
    return _bytes(doc)


def _bytes(doc: Pages) -> bytes:
    with doc.build() as pdf:
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _zip(files: dict[str, bytes], day: dt.date) -> bytes:
    out = io.BytesIO()
    # PDFs are compressed inside already: storing them costs nothing and keeps this fast.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.external_attr = 0o600 << 16  # confidential (8 CFR 208.6), as refugio.atomic
            archive.writestr(info, data)
    return out.getvalue()
