"""The filing packet: every package in the order of the instructions (issue 5, point 6).

``build_packet`` fills the I-589, builds the exhibits once (``refugio.claim.exhibits``) and
arranges print-ready packages as the instructions ask (Part 1 §X): the original package, one
duplicate of it, and one package for each spouse or child included in Part A.II. Alongside come
a cover letter, a checklist of what Refugio cannot print (photographs, passport copies,
relationship documents it was not given — each with its number of copies), the order of work
before mailing (sign the originals, then copy them) and the fee due (``refugio.claim.fees``),
and a ZIP of all of it.

What goes where, how many copies and why are data (``data/packet.toml``, read by
:func:`rules`), each entry with its citation; the code only follows them. What Refugio
cannot produce — the G-28 when none was given, the photographs, every copy of a passport or a
relationship document it was not given — gets a clearly printed placeholder sheet at its
place, to be replaced or removed: a copy missing from any package makes the application
incomplete (§XI, item 4). The cover letter lists what is filed, never a placeholder.

Every page Refugio writes carries the same header, :func:`page_header` (§X, NOTE).

The declaration comes from the caller as PDF bytes (``refugio.claim.declaration`` makes it):
this module does not import the declaration, so the dependency runs one way.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tomllib
import zipfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

import pikepdf

from refugio.claim.exhibits import (
    Exhibit,
    Exhibits,
    Item,
    Placeholders,
    bates_prefix,
    build_exhibits,
    exhibit_letter,
    index_pages,
    language_of,
)
from refugio.claim.fees import FeeDue, fee_due, filing_place
from refugio.claim.letter import cover_letter
from refugio.claim.members import Member, member_named, members_of
from refugio.claim.model import APPLICANT, DocumentKind, Dossier, Evidence
from refugio.claim.typeset import Pages
from refugio.claim.wording import page_header
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
    "Part",
    "Rules",
    "Slot",
    "Step",
    "build_packet",
    "is_represented",
    "member_named",
    "page_header",
    "preview",
    "rules",
]

Progress = Callable[[str, int, int], None]
SlotKey = Literal[
    "form", "g28", "supplements", "declaration", "exhibits", "documents", "relationship"
]
When = Literal["always", "preparer", "translations", "interpreter", "statements", "court"]

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
    who: Literal["everyone", "family", "spouse", "child"]
    source: str
    note: str = ""
    at: SlotKey | None = None  # the slot of its "INSERT HERE" sheet when it is not given
    insert: str = ""  # what that sheet asks for ({name}, {applicant})


@dataclass(frozen=True)
class Step:
    """Something left to do by hand before mailing; ``when`` limits it to some cases."""

    do: str
    source: str
    when: When = "always"


@dataclass(frozen=True)
class Rules:
    """The packages (Part 1 §X), the needs per person (§V, §VI), the order of work left by
    hand and what the packet does not do (``limits``, e.g. before the Immigration Court)."""

    original: tuple[Slot, ...]
    duplicate: tuple[Slot, ...]
    family: tuple[Slot, ...]
    needs: tuple[Need, ...]
    steps: tuple[Step, ...]
    limits: tuple[Step, ...] = ()


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
        needs=tuple(Need(**n) for n in raw["need"]),  # the keys are the field names
        steps=tuple(Step(**s) for s in raw["step"]),
        limits=tuple(Step(s["say"], s["source"], s["when"]) for s in raw["limit"]),
    )


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One part of a package, as the cover letter lists it."""

    what: str
    pages: int  # pages printed for it; placeholder sheets are not counted
    placeholders: int = 0  # sheets standing for what is put in by hand, removed before filing
    enclosed: bool = True  # listed in the cover letter (not when only placeholders stand for it)


@dataclass(frozen=True)
class Package:
    """One print-ready package."""

    filename: str
    title: str
    member: str  # Member.key of whose package it is
    pdf: bytes = field(repr=False)
    pages: int  # every page printed, placeholder sheets included
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class ChecklistItem:
    person: str
    what: str
    copies: int
    where: str
    status: Literal["to provide", "in the packet"]
    source: str
    note: str = ""
    need: str = ""  # Need.key


@dataclass(frozen=True)
class Checklist:
    """What remains to do by hand, and the fee: structured (for the web page) and printed."""

    fee: FeeDue
    items: tuple[ChecklistItem, ...]
    steps: tuple[tuple[str, str], ...]  # (what to do, source), in the order of work
    pdf: bytes = field(repr=False)
    limits: tuple[tuple[str, str], ...] = ()  # (what the packet does not do, source)

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
            "limits": [{"say": s, "source": src} for s, src in self.limits],
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
class _Lettered:
    """An exhibit as the checklist sees it, before anything is built."""

    letter: str
    evidence: Evidence
    certificate: object | None


@dataclass(frozen=True)
class _Letters:
    exhibits: list[_Lettered]


class _Shown(Protocol):
    """What the checklist reads of an exhibit: built (exhibits.Exhibit) or only lettered."""

    @property
    def letter(self) -> str: ...
    @property
    def evidence(self) -> Evidence: ...
    @property
    def certificate(self) -> object: ...


class _AllShown(Protocol):
    @property
    def exhibits(self) -> Sequence[_Shown]: ...


def preview(application: Application, dossier: Dossier, today: dt.date) -> Checklist:
    """The checklist and the fee of the packet built that day, without building it: no file is
    read, nothing is filled (the web page shows it before the build). Exhibits are lettered
    as ``build_packet`` letters them; its PDF lists no package."""
    fee = fee_due("I-589", today, filing_place(application))
    members = members_of(application)
    owners = {
        x.id: _owner(x, members) for x in dossier.evidence if x.kind == DocumentKind.RELATIONSHIP
    }
    ordered = sorted(dossier.evidence, key=lambda x: x.id in owners)  # stable: as _items
    shown = _Letters(
        [
            _Lettered(exhibit_letter(n), x, x.translation if x.needs_translation else None)
            for n, x in enumerate(ordered)
        ]
    )
    needs = [i for m in members for _, _, i in _needs(m, members, shown, owners)]
    cases = _cases(application, dossier, bool(dossier.declaration))
    return _checklist(needs, shown, [], fee, page_header(application), cases)


def _cases(application: Application, dossier: Dossier, declaration: bool) -> dict[str, bool]:
    return {
        "preparer": application.preparer is not None,
        "interpreter": dossier.interpreter is not None and declaration,
    }


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
    a dossier with broken links, a language Refugio cannot name or a relationship document of
    no family member included, and PacketError naming the evidence whose file is refused.
    """
    problems = dossier.problems()
    if problems:
        raise DossierError("the dossier is not consistent: " + "; ".join(problems))
    tick = progress or (lambda stage, done, total: None)
    fee = fee_due("I-589", today, filing_place(application))  # before the work: it may refuse
    members = members_of(application)
    rep = is_represented(application, represented)
    languages = {dossier.language: dossier.language_name}
    items, owners = _items(dossier, members, files, tick, languages)
    with ExitStack() as stack:
        form = stack.enter_context(open_blank(blank_form))
        report, pages = _fill(application, form, today)
        tick("form", 1, 1)
        header = page_header(application)
        exhibits = build_exhibits(
            items,
            header=header,
            prefix=_prefix(application),
            stack=stack,
            progress=lambda _s, done, total: tick("exhibits", done, total),
            languages=languages,
        )
        needs = [item for m in members for item in _needs(m, members, exhibits, owners)]
        parts = _Parts(
            form=form,
            pages=pages,
            g28=_open(stack, g28, "the G-28") if rep else None,
            declaration=_open(stack, declaration, "the declaration"),
            index=stack.enter_context(index_pages(exhibits, dossier, header).build())
            if items
            else None,
            exhibits=exhibits,
            holders=Placeholders(stack, header),
            represented=rep,
            owners=owners,
            missing=[
                (m, n.at, _wanted(n, m, application))
                for m, n, item in needs
                if item.status == "to provide" and n.at is not None
            ],
        )
        packages = _packages(parts, members, tick)
    checklist = _checklist(
        [i for _, _, i in needs],
        exhibits,
        packages,
        fee,
        header,
        _cases(application, dossier, declaration is not None),
    )
    tick("checklist", 1, 1)
    letter = cover_letter(application, members, packages, report, fee, today, rep)
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


def _items(
    dossier: Dossier,
    members: list[Member],
    files: Callable[[str], bytes],
    tick: Progress,
    languages: dict[str, str],
) -> tuple[list[Item], dict[str, str]]:
    """The exhibits in the order given, with the relationship documents of the family members
    included moved behind the others, as §X places them (behind 3 and 4); and whose each
    relationship document is (evidence id → Member.key). Every name is checked before any
    file is read."""
    owners = {}
    for x in dossier.evidence:
        if x.needs_translation:
            language_of(x, languages)  # DossierError naming it, before the long work
        if x.kind == DocumentKind.RELATIONSHIP:
            owners[x.id] = _owner(x, members)
    supporting, relationship = [], []
    for n, x in enumerate(dossier.evidence, 1):
        document = _read(files, x, x.file)
        translation = None
        if x.needs_translation and x.translation is not None:
            translation = _read(files, x, x.translation.file)
        if x.id in owners:
            relationship.append(Item(x, document, translation, _RELATIONSHIP_SECTION))
        else:
            supporting.append(Item(x, document, translation, _SUPPORTING_SECTION))
        tick("files", n, len(dossier.evidence))
    return supporting + relationship, owners


_SUPPORTING_SECTION = "Supporting documents (instructions Part 1 §X, behind the form, item 3)"
_RELATIONSHIP_SECTION = "Evidence of relationship (instructions Part 1 §X, behind the form, item 4)"


def _owner(x: Evidence, members: list[Member]) -> str:
    """The family member a relationship document is for. Never silently a supporting exhibit:
    the family member's package would lack its copy (§V, Part A.II; §XI, item 4)."""
    found = member_named(x.person, members)
    if found is None or found.key == APPLICANT:
        family = "; ".join(f"{m.name} ({m.relation})" for m in members[1:]) or "none"
        raise DossierError(
            f"evidence {x.id} ({x.title}): a relationship document for '{x.person}', who is "
            f"not one family member included in the application (included: {family}); write "
            "the name as in Part A.II, or give the document another kind"
        )
    return found.key


def _read(files: Callable[[str], bytes], x: Evidence, ref: str) -> bytes:
    try:
        return files(ref)
    except (RefugioError, OSError) as exc:
        message = getattr(exc, "strerror", None) or str(exc)
        raise PacketError(f"evidence {x.id} ({ref}): {message}") from exc


# Where each photograph is stapled: the page of the field of the field map that is on it.
_PHOTO_FIELDS = {"part_d": "signature.date_signed", "part_a_ii": "spouse.last_name"}


def _fill(app: Application, form: pikepdf.Pdf, today: dt.date) -> tuple[FillReport, _FormPages]:
    edition = detect_edition(form)
    fmap = edition.field_map()
    report = fill_pdf(app, form, today=today, edition=edition)
    page_of = {fmap.entries[w.name].path: w.page for w in widgets(form) if w.name in fmap.entries}
    pages = _FormPages(
        count=min(fmap.supplement_a_page, fmap.supplement_b_page) - 1,
        photo={k: page_of[f] for k, f in _PHOTO_FIELDS.items() if f in page_of},
        edition=edition.label,
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
    photo: dict[str, int]  # "part_d", "part_a_ii" → the 0-based page a photograph is stapled to
    edition: str

    def of(self, where: str) -> int:
        if where not in self.photo:
            raise PacketError(
                f"the field map of Form I-589 edition {self.edition} has no field "
                f"'{_PHOTO_FIELDS[where]}': the page the photograph is stapled to is unknown"
            )
        return self.photo[where]


def _prefix(app: Application) -> str:
    """The Bates prefix: the last name in plain ASCII, else the A-Number (a name written only
    in another script), else "Exhibit"."""
    digits = re.sub(r"\D", "", app.applicant.a_number)
    return bates_prefix(app.applicant.last_name, f"A{digits}" if digits else "")


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


@dataclass
class _Parts:
    form: pikepdf.Pdf
    pages: _FormPages
    g28: pikepdf.Pdf | None
    declaration: pikepdf.Pdf | None
    index: pikepdf.Pdf | None
    exhibits: Exhibits
    holders: Placeholders
    represented: bool
    owners: dict[str, str]  # relationship evidence id → Member.key
    missing: list[tuple[Member, SlotKey, str]]  # whose, at which slot, what: not given


def _packages(parts: _Parts, members: list[Member], tick: Progress) -> list[Package]:
    me, r = members[0], rules()
    plan = [("1-original.pdf", "Original package", me, r.original, False)]
    plan.append(("2-duplicate.pdf", "Duplicate of the original package", me, r.duplicate, True))
    plan += [
        (f"{n}-{m.key}.pdf", f"Package of {m.name} ({m.relation})", m, r.family, True)
        for n, m in enumerate(members[1:], 3)
    ]
    done = []
    for k, (filename, title, member, slots, copy) in enumerate(plan, 1):
        out = pikepdf.new()
        found = [_fill_slot(out, parts, slot, member, copy) for slot in slots]
        buffer = io.BytesIO()
        # Streams are copied as they are, never decoded; no deterministic /ID: hashing 25 MB
        # of output doubles the time of a save (tools/bench_packet.py).
        out.save(buffer, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        contents = tuple(p for p in found if p is not None)
        done.append(
            Package(filename, title, member.key, buffer.getvalue(), len(out.pages), contents)
        )
        out.close()
        tick("packages", k, len(plan))
    return done


def _fill_slot(
    out: pikepdf.Pdf, parts: _Parts, slot: Slot, member: Member, copy: bool
) -> Part | None:
    before, holders = len(out.pages), 0
    label, enclosed = slot.what, True
    if slot.key == "form":
        holders = _form_pages(out, parts, slot, member)
        label = "a copy of the signed Form I-589" if copy else "Form I-589, signed"
        label += {
            "part_d": ", with a photograph stapled at Part D",
            "part_a_ii": f", with a photograph of {member.name} stapled at Part A.II",
        }.get(slot.photo or "", "")
    elif slot.key == "g28":
        if not parts.represented:
            return None
        source = parts.g28 or parts.holders.g28(copy)
        out.pages.extend(source.pages)
        holders = 0 if parts.g28 else len(source.pages)
        label = ("a copy of " if copy else "") + "Form G-28"
    elif slot.key == "supplements":
        out.pages.extend(parts.form.pages[parts.pages.count :])
        label = "Supplements A and B"
    elif slot.key == "declaration" and parts.declaration is not None:
        out.pages.extend(parts.declaration.pages)
        label = "Declaration"
    elif slot.key == "exhibits":
        label = _exhibit_pages(out, parts, lambda e: e.evidence.id not in parts.owners, True)
    elif slot.key == "documents":  # only sheets: nothing to list in the cover letter
        label, enclosed = "copies of passports and immigration documents", False
    elif slot.key == "relationship":
        own = member.key != APPLICANT  # a family package holds only its member's documents
        chosen = _exhibit_pages(
            out,
            parts,
            lambda e: (
                e.evidence.id in parts.owners
                and (not own or parts.owners[e.evidence.id] == member.key)
            ),
            False,
        )
        label = "Evidence of relationship" + (f": {chosen}" if chosen else "")
        enclosed = len(out.pages) > before
    if slot.key in ("documents", "relationship"):
        holders = _insert_sheets(out, parts, slot.key, member)
    added = len(out.pages) - before
    if not added:
        return None
    return Part(label, added - holders, holders, enclosed)


def _insert_sheets(out: pikepdf.Pdf, parts: _Parts, at: SlotKey, member: Member) -> int:
    """An INSERT HERE sheet for each person with a copy not given that goes ``at`` this slot
    (in a family member's package, for that member only); the number of pages added."""
    people = [m for m, _, _ in parts.missing] if member.key == APPLICANT else [member]
    added = 0
    for m in dict.fromkeys(people):
        wanted = [w for who, where, w in parts.missing if who == m and where == at]
        if wanted:
            sheet = parts.holders.insert(f"{m.name} ({m.relation})", wanted)
            out.pages.extend(sheet.pages)
            added += len(sheet.pages)
    return added


def _form_pages(out: pikepdf.Pdf, parts: _Parts, slot: Slot, member: Member) -> int:
    """The form's pages, with the photograph placeholder before the page it is stapled to;
    the number of placeholder pages."""
    at = parts.pages.of(slot.photo) if slot.photo else None
    where = {
        "part_d": "to the next page, Form I-589 Part D",
        "part_a_ii": "in the upper right corner of the next page, Form I-589 Part A.II",
    }.get(slot.photo or "", "")
    for i in range(parts.pages.count):
        if i == at:
            out.pages.extend(parts.holders.photo(f"{member.name} ({member.relation})", where).pages)
        out.pages.append(parts.form.pages[i])
    return 0 if at is None else 1


def _exhibit_pages(
    out: pikepdf.Pdf, parts: _Parts, wanted: Callable[[Exhibit], bool], index: bool
) -> str:
    """The pages of the exhibits wanted (after the index, if asked); what they are, in words."""
    chosen = [e for e in parts.exhibits.exhibits if wanted(e)]
    if index and parts.index is not None:
        out.pages.extend(parts.index.pages)
    for e in chosen:
        pages = parts.exhibits.pdf.pages
        for i in parts.exhibits.indices(e):
            out.pages.append(pages[i])
    if not chosen:
        return "Index of exhibits" if index else ""
    return ("Index of exhibits and " if index else "") + parts.exhibits.describe(chosen)


# --- checklist and cover letter ------------------------------------------------------------


def _checklist(
    items: list[ChecklistItem],
    exhibits: _AllShown,
    packages: list[Package],
    fee: FeeDue,
    header: str,
    cases: dict[str, bool],
) -> Checklist:
    def letters(kind: Callable[[_Shown], bool]) -> str:
        return ", ".join(e.letter for e in exhibits.exhibits if kind(e))

    statements = letters(lambda e: e.evidence.kind == DocumentKind.STATEMENT)
    translated = letters(lambda e: e.certificate is not None)
    applies = cases | {"always": True, "court": fee.where == "court"}
    applies |= {"statements": bool(statements), "translations": bool(translated)}
    steps = [
        (step.do.format(exhibits=statements, translated=translated), step.source)
        for step in rules().steps
        if applies[step.when]
    ]
    limits = [(x.do, x.source) for x in rules().limits if applies[x.when]]
    pdf = _checklist_pdf(header, fee, items, steps, limits, packages)
    return Checklist(fee, tuple(items), tuple(steps), pdf, tuple(limits))


def _needs(
    m: Member, members: list[Member], exhibits: _AllShown, owners: dict[str, str]
) -> list[tuple[Member, Need, ChecklistItem]]:
    found = []
    who = {"everyone"} | ({"family", m.key.split("-")[0]} if m.key != APPLICANT else set())
    for need in rules().needs:
        if need.who not in who:
            continue
        if need.key == "i94" and not m.i94 and m.key != APPLICANT:
            continue
        letters = [
            e.letter
            for e in exhibits.exhibits
            if (need.key == "passport" and e.evidence.kind == DocumentKind.PASSPORT
                and member_named(e.evidence.person, members) == m)
            or (need.key in ("marriage", "birth") and owners.get(e.evidence.id) == m.key)
        ]  # fmt: skip
        note = need.note
        if need.key == "passport" and letters:
            note = "Check that the copy in the exhibits shows every page, cover to cover."
        item = ChecklistItem(
            f"{m.name} ({m.relation})", need.what, need.copies, _where(need, m, letters),
            "in the packet" if letters else "to provide", need.source, note, need.key,
        )  # fmt: skip
        found.append((m, need, item))
    return found


def _wanted(need: Need, m: Member, app: Application) -> str:
    what = need.insert.format(name=m.full_name, applicant=app.full_name)
    return (
        f"{what}; {need.copies} copies in all, one in each package with this sheet ({need.source})."
    )


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
    return f"one copy in each of: {places}, in place of its INSERT HERE sheet"


def _checklist_pdf(
    header: str,
    fee: FeeDue,
    items: list[ChecklistItem],
    steps: list[tuple[str, str]],
    limits: list[tuple[str, str]],
    packages: list[Package],
) -> bytes:
    doc = Pages(header=header, footer=lambda n, t: f"Checklist (not to be filed), page {n} of {t}")
    doc.heading("Filing checklist")
    if limits:
        doc.heading("What this packet does not do", 11.0)
        for say, source in limits:
            doc.text(f"{say} ({source})")
    doc.heading("Fee", 11.0)
    doc.text(fee.describe())
    for note in fee.all_notes():
        doc.text(f"- {note}", indent=12.0)
    doc.heading("Packages", 11.0)
    for p in packages:
        sheets = sum(part.placeholders for part in p.parts)
        extra = f", including {sheets} placeholder sheet{'s' * (sheets != 1)} to remove"
        doc.text(f"{p.filename}: {p.title}, {p.pages} pages" + (extra if sheets else ""))
    doc.heading("What Refugio cannot print", 11.0)
    for it in items:
        box = "[x]" if it.status == "in the packet" else "[ ]"
        doc.text(
            f"{box} {it.person}: {it.what} — {it.copies} "
            f"{'copy' if it.copies == 1 else 'copies'}; {it.where}. {it.note} ({it.source})",
            indent=0.0,
        )
    doc.heading("Order of work before mailing", 11.0)
    for n, (do, source) in enumerate(steps, 1):
        doc.text(f"[ ] {n}. {do} ({source})")
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
