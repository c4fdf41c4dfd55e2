"""The declaration: the applicant's personal statement, drafted and exported (issue 5, point 2).

:func:`draft` writes a first version from what is already known: the I-589 answers (Part A.I
identity, Part A.II family, Part A.III residences, schools and work, Part B explanations, the
entries and Part C) and one paragraph per event of the timeline, in date order. It writes plain
first-person sentences and invents nothing: every date, place, name and deed comes from a field,
and a section with nothing to say is left out. The English column is drafted; the applicant's
own column is the event's ``summary`` (their words) and is otherwise left empty for the
interpreter, because machine translation would send the story to a third party (8 CFR 208.6).

People then edit the paragraphs (``Paragraph.edited``); :func:`redraft` brings the draft up to
date after the form or the timeline changed without touching any edited paragraph.

:func:`declaration_pdf` and :func:`declaration_docx` print it: the name exactly as in Part A.I
and the A-Number on every page with a signature and date line (instructions Part 1 §X NOTE),
numbered paragraphs side by side with English when the applicant's language is another, the
sworn statement of 28 U.S.C. §1746, the signature block and, when the applicant does not read
English, the interpreter's certificate (8 CFR 103.2(b)(3); instructions Part 1 §VI).

:func:`part_b_texts` drafts the Part B explanations the timeline can answer (issue 5, point 1).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from refugio.check.deadline import filing_deadline, last_arrival
from refugio.claim.docx import Document
from refugio.claim.languages import is_english, language_name
from refugio.claim.model import (
    DETAINING,
    Dossier,
    Event,
    Ground,
    Interpreter,
    Paragraph,
    Section,
)
from refugio.claim.typeset import Pages
from refugio.claim.wording import (
    ACTORS,
    CHILD,
    STATE,
    Names,
    and_list,
    cap,
    date_words,
    dated,
    event_text,
    lower_first,
    number_word,
    page_header,
    person,
    pronoun,
    relation,
)
from refugio.errors import DossierError
from refugio.model import Application, FamilyMember, Residence, YesNo

__all__ = [
    "ARRESTED",
    "FEAR",
    "HEADINGS",
    "PAST_HARM",
    "SWORN",
    "Redraft",
    "declaration_docx",
    "declaration_pdf",
    "draft",
    "needs_interpreter",
    "part_b_texts",
    "redraft",
    "untranslated",
]

HEADINGS = {
    Section.BACKGROUND: "My background",
    Section.BELIEFS: "My beliefs and activities",
    Section.HARMS: "What happened to me",
    Section.GROUNDS: "Why I was targeted",
    Section.RETURN: "What I fear if I return",
    Section.PROTECTION: "Why I cannot be protected at home",
    Section.FAMILY: "My family",
    Section.JOURNEY: "How I came to the United States",
    # Neutral: most applicants who answer it file within the year (Part C, item 1.C asks).
    Section.ONE_YEAR: "The one-year filing deadline",
}

# 28 U.S.C. §1746(1): the form that is valid whether it is signed in the US or abroad.
SWORN = (
    "I declare under penalty of perjury under the laws of the United States of America that "
    "the foregoing is true and correct."
)

# Instructions Part 1 §X NOTE: additional pages carry the printed name, A-Number, signature
# and date; the name and A-Number are the header, the signature and date close every page.
_FOOTER = "Signature ______________________   Date ____________   Page {} of {}"

_NO_RELIGION = {"none", "no", "no religion", "n/a", "na"}
_NOT_EMPLOYED = {"unemployed", "none", "not employed"}
_US = {"united states", "united states of america", "usa", "us", "u.s.", "u.s.a."}
_YES_NO = re.compile(r"^(?:yes|no)\s*[.,:;]\s*", re.IGNORECASE)


# -- answers ----------------------------------------------------------------------------------


def _explained(answer: YesNo) -> list[str]:
    """The paragraphs of a Part B/C explanation, without the "Yes." that answers the form."""
    if answer.answer is False or not answer.explanation.strip():
        return []
    parts = [p.strip() for p in re.split(r"\n\s*\n", answer.explanation) if p.strip()]
    parts[0] = cap(_YES_NO.sub("", parts[0]))
    return [p for p in parts if p]


def _is_english(language: str) -> bool:
    return is_english(language)  # one rule for the whole package (refugio.claim.languages)


# -- the sections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    app: Application
    names: Names
    events: list[Event]  # the timeline, in date order
    today: dt.date | None


def _identity(app: Application) -> str:
    a = app.applicant
    out = [f"My name is {app.full_name}."]
    if app.signature.native_alphabet_name:
        out.append(
            f"In my native alphabet my name is written {app.signature.native_alphabet_name}."
        )
    if a.other_names:
        word = "name" if len(a.other_names) == 1 else "names"
        out.append(f"I have also used the {word} {and_list(a.other_names)}.")
    born = _born(a.date_of_birth, a.city_and_country_of_birth)
    if born:
        out.append(f"I was {born}.")
    if a.present_nationality:
        out.append(f"My nationality is {a.present_nationality}.")
    if a.nationality_at_birth and a.nationality_at_birth != a.present_nationality:
        out.append(f"At birth my nationality was {a.nationality_at_birth}.")
    if a.race_ethnic_or_tribal_group:
        out.append(f"My ethnic group is {a.race_ethnic_or_tribal_group}.")
    if a.religion.strip().lower() in _NO_RELIGION:
        out.append("I have no religion.")
    elif a.religion:
        out.append(f"My religion is {a.religion}.")
    if a.native_language:
        out.append(f"My native language is {a.native_language}.")
    if a.other_languages:
        out.append(f"I also speak {a.other_languages}.")
    if a.fluent_in_english is False:
        out.append("I am not fluent in English.")
    return " ".join(out)


def _address(r: Residence) -> str:
    return ", ".join(p for p in (r.street, r.city, r.province, r.country) if p)


def _residences(app: Application, in_us: bool) -> str:
    b = app.background
    seen: dict[tuple[str, str | None, str | None], Residence] = {}
    for r in [*b.residences, *b.last_addresses_before_us]:  # the same home is often in both
        if (r.country.strip().lower() in _US) == in_us and _address(r):
            seen.setdefault((_address(r), r.start, r.end), r)
    homes = sorted(seen.values(), key=lambda r: r.start or "")
    return " ".join(
        dated(r.start, r.end, "lived", "have lived", f"at {_address(r)}") for r in homes
    )


def _education(app: Application) -> str:
    out = []
    for s in sorted(app.background.education, key=lambda s: s.start or ""):
        where = f" in {s.location}" if s.location else ""
        kind = f": {lower_first(s.type)}" if s.type else ""
        out.append(dated(s.start, s.end, "attended", "have attended", f"{s.name}{where}{kind}"))
    return " ".join(out)


def _employment(app: Application) -> str:
    out = []
    for e in sorted(app.background.employment, key=lambda e: e.start or ""):
        if e.occupation.strip().lower() in _NOT_EMPLOYED:
            out.append(dated(e.start, e.end, "was not employed", "have not been employed", ""))
            continue
        role = f", as {lower_first(e.occupation)}" if e.occupation else ""
        out.append(dated(e.start, e.end, "worked for", "have worked for", f"{e.employer}{role}"))
    return " ".join(out)


def _background(d: _Draft) -> list[str]:
    return [
        _identity(d.app),
        _residences(d.app, in_us=False),
        _education(d.app),
        _employment(d.app),
    ]


def _beliefs(d: _Draft) -> list[str]:
    claim = d.app.claim
    return [*_explained(claim.organizations), *_explained(claim.organizations_continuing)]


_GROUND_WORDS = {
    Ground.RACE: "my race",
    Ground.RELIGION: "my religion",
    Ground.NATIONALITY: "my nationality",
    Ground.POLITICAL_OPINION: "my political opinion",
    Ground.PARTICULAR_SOCIAL_GROUP: "my membership in a particular social group",
}


def _ground_words(d: _Draft) -> list[str]:
    """The protected grounds checked in Part B item 1 or tagged on an event, in form order."""
    checked = d.app.claim.grounds
    tagged = {g for e in d.events for g in e.grounds}
    return [w for g, w in _GROUND_WORDS.items() if getattr(checked, g.value) or g in tagged]


def _grounds(d: _Draft) -> list[str]:
    claim, words = d.app.claim, _ground_words(d)
    harmed = bool(d.events) or claim.past_harm.answer is True
    fear = claim.fear_of_return.answer is True
    out = []
    if words:
        verb = {
            (True, True): "I was harmed, and I fear harm if I return,",
            (True, False): "I was harmed",
            (False, True): "I fear harm if I return",
            (False, False): "I ask for asylum",
        }[(harmed, fear)]
        out.append(f"{verb} because of {and_list(words)}.")
    torture = Ground.TORTURE_CONVENTION
    if claim.grounds.torture_convention or any(torture in e.grounds for e in d.events):
        out.append("I also ask for protection under the Convention Against Torture.")
    return [" ".join(out)]


def _return(d: _Draft) -> list[str]:
    claim = d.app.claim
    fear = _explained(claim.fear_of_return)
    if not fear and claim.fear_of_return.answer is True:
        fear = ["I fear harm or mistreatment if I return to my home country."]
    torture = _explained(claim.fear_of_torture)
    if not torture and claim.fear_of_torture.answer is True:
        torture = ["I am afraid of being tortured if I am returned to my home country."]
    return [*fear, *torture]


def _protection(d: _Draft) -> list[str]:
    state = [ACTORS[a] for a in STATE if any(a in e.actors for e in d.events)]
    if not state:
        return []
    return [f"Those who harmed me were {and_list(state)}, that is, agents of the state."]


def _spouse(app: Application) -> str:
    s = app.spouse
    if s is None:
        status = app.applicant.marital_status
        return {
            "single": "I am not married.",
            "married": "I am married.",
            "divorced": "I am divorced.",
            "widowed": "I am widowed.",
        }.get(status or "", "")
    name = person(s.first_name, s.middle_name, s.last_name)
    they = pronoun(s.sex, name)
    out = [f"I am married to {name}."]
    if s.other_names:
        out.append(f"{they} has also used the name {s.other_names}.")
    born = _born(s.date_of_birth, s.city_and_country_of_birth)
    if born:
        out.append(f"{they} was {born}.")
    if s.date_of_marriage or s.place_of_marriage:
        on = f" on {date_words(s.date_of_marriage)}" if s.date_of_marriage else ""
        at = f" in {s.place_of_marriage}" if s.place_of_marriage else ""
        out.append(f"We married{on}{at}.")
    where = _whereabouts(s.in_us, s.location, s.include_in_application)
    if where:
        out.append(f"{they} {where}.")
    return " ".join(out)


def _born(day: dt.date | None, place: str) -> str:
    on = f" on {date_words(day)}" if day else ""
    at = f" in {place}" if place else ""
    return f"born{on}{at}" if on or at else ""


def _whereabouts(in_us: bool | None, location: str, included: bool | None) -> str:
    parts = []
    if in_us:
        parts.append("is in the United States")
        if included:
            parts.append("is included in this application")
    elif location:
        parts.append(f"lives in {location}")
    return and_list(parts)


def _children(app: Application) -> str:
    if not app.children:
        return ""
    n = len(app.children)
    out = [f"I have {number_word(n)} {'child' if n == 1 else 'children'}."]
    for c in app.children:
        name = person(c.first_name, c.middle_name, c.last_name)
        kin = relation(c.sex, *CHILD)
        bits = [
            f"was {_born(c.date_of_birth, c.city_and_country_of_birth)}"
            if _born(c.date_of_birth, c.city_and_country_of_birth)
            else "",
            _whereabouts(c.in_us, c.location, c.include_in_application),
        ]
        text = and_list(bits)
        out.append(f"My {kin} {name} {text}." if text else f"{name} is my {kin}.")
    return " ".join(out)


def _relative(member: FamilyMember, kin: str) -> str:
    bits = [
        f"was born in {member.city_and_country_of_birth}"
        if member.city_and_country_of_birth
        else ""
    ]
    if member.deceased:
        bits.append("has died")
    elif member.current_location:
        bits.append(f"lives in {member.current_location}")
    text = and_list(bits)
    return f"My {kin}, {member.full_name}, {text}." if text else f"My {kin} is {member.full_name}."


def _parents(app: Application) -> str:
    b = app.background
    out = [
        _relative(m, kin)
        for m, kin in ((b.mother, "mother"), (b.father, "father"))
        if m is not None
    ]
    if b.siblings:
        n = len(b.siblings)
        each = []
        for s in b.siblings:
            state = (
                ", who has died"
                if s.deceased
                else (f", who lives in {s.current_location}" if s.current_location else "")
            )
            each.append(f"{s.full_name}{state}")
        out.append(
            f"I have {number_word(n)} {'sibling' if n == 1 else 'siblings'}: {'; '.join(each)}."
        )
    return " ".join(out)


def _family(d: _Draft) -> list[str]:
    return [_spouse(d.app), _children(d.app), _parents(d.app)]


def _entries(app: Application) -> str:
    out = []
    for e in sorted(app.applicant.entries, key=lambda e: e.date or dt.date.max):
        on = f"On {date_words(e.date)} " if e.date else ""
        at = f" at {e.place}" if e.place else ""
        status = f", with status {e.status}" if e.status else ""
        out.append(cap(f"{on}I entered the United States{at}{status}."))
    return " ".join(out)


def _journey(d: _Draft) -> list[str]:
    a, c = d.app.applicant, d.app.additional
    left = (
        f"I last left my home country on {date_words(a.last_departure_date)}."
        if a.last_departure_date
        else ""
    )
    others = [p.strip() for p in re.split(r"\n\s*\n", c.other_countries_explanation) if p.strip()]
    return [left, *others, _entries(d.app), *_explained(c.returned), _residences(d.app, in_us=True)]


def _one_year(d: _Draft) -> list[str]:
    """Only when Part C item 5 says so, or the last arrival is more than a year before today
    (INA 208(a)(2)(B); the deadline as refugio.check computes it)."""
    late_answer = d.app.additional.filing_after_one_year
    deadline = filing_deadline(d.app)
    late = d.today is not None and deadline is not None and d.today > deadline.date
    if not (late or late_answer.answer is True):
        return []
    arrival = last_arrival(d.app)
    first = (
        f"My last arrival in the United States was on {date_words(arrival)}. I am filing this "
        "application more than one year after that arrival."
        if arrival
        else "I am filing this application more than one year after my last arrival."
    )
    return [first, *_explained(late_answer)]


_TEXTS: dict[Section, Callable[[_Draft], list[str]]] = {
    Section.BACKGROUND: _background,
    Section.BELIEFS: _beliefs,
    Section.GROUNDS: _grounds,
    Section.RETURN: _return,
    Section.PROTECTION: _protection,
    Section.FAMILY: _family,
    Section.JOURNEY: _journey,
    Section.ONE_YEAR: _one_year,
}


def _harms(d: _Draft, english: bool) -> list[Paragraph]:
    if not d.events:  # no timeline yet: the applicant's own Part B item 1.A text
        return [_paragraph(Section.HARMS, t, english) for t in _explained(d.app.claim.past_harm)]
    out = []
    for e in d.events:
        text = event_text(e, d.names)
        native = text if english else e.summary.strip()
        out.append(Paragraph(section=Section.HARMS, event=e.id, native=native, english=text))
    return out


def _paragraph(section: Section, text: str, english: bool, key: str = "") -> Paragraph:
    # The applicant's column is left for the interpreter: no machine translation (8 CFR 208.6).
    return Paragraph(section=section, key=key, english=text, native=text if english else "")


def draft(
    application: Application, dossier: Dossier, today: dt.date | None = None
) -> list[Paragraph]:
    """A first declaration from the form and the timeline, section by section.

    ``today`` decides whether the one-year section is needed from the last arrival; without
    it only Part C item 5 decides.
    """
    d = _Draft(application, Names(application), dossier.timeline(), today)
    english = _is_english(dossier.language)
    out: list[Paragraph] = []
    for section in Section:
        if section is Section.HARMS:
            out += _harms(d, english)
            continue
        # Keyed by the place of the text in its section's drafting (before empty ones are
        # dropped), so a redraft finds it again even when a text before it became empty.
        texts = enumerate(_TEXTS[section](d))
        out += [
            _paragraph(section, t, english, f"{section.value}.{i}") for i, t in texts if t.strip()
        ]
    return out


# -- redraft ------------------------------------------------------------------------------------


class Redraft(list[Paragraph]):
    """The redrafted paragraphs; ``orphans`` names the edited ones kept for deleted events."""

    def __init__(self, paragraphs: Iterable[Paragraph], orphans: Sequence[str] = ()) -> None:
        super().__init__(paragraphs)
        self.orphans = list(orphans)


_Key = tuple[str, str, int]


def _keys(paragraphs: Sequence[Paragraph]) -> list[_Key]:
    """A paragraph's slot: its event, or the key the draft gave it.

    A paragraph without either (one a person added, or one drafted before paragraphs had
    keys) is matched by its rank among such paragraphs of its section, which a fresh draft
    never has: an added paragraph never takes a drafted one's place.
    """
    seen: dict[Section, int] = {}
    keys: list[_Key] = []
    for p in paragraphs:
        if p.event is not None:
            keys.append(("event", p.event, 0))
        elif p.key:
            keys.append(("key", p.key, 0))
        else:
            rank = seen.get(p.section, 0)
            seen[p.section] = rank + 1
            keys.append(("text", p.section.value, rank))
    return keys


def redraft(application: Application, dossier: Dossier, today: dt.date) -> Redraft:
    """The declaration drafted again, keeping every edited paragraph as it is.

    An edited paragraph stays in its slot (its event, or its place in its section); one whose
    slot is gone stays after the paragraph it followed. Unedited paragraphs are replaced by the
    new draft, and those of deleted events go; an edited paragraph of a deleted event is kept
    and named in ``orphans``, so nothing a person wrote is ever lost.
    """
    old = list(dossier.declaration)
    fresh = draft(application, dossier, today)
    edited: dict[_Key, list[Paragraph]] = {}
    for key, p in zip(_keys(old), old, strict=True):
        if p.edited:
            edited.setdefault(key, []).append(p)
    # Each paragraph with the slot of the new draft it fills (None: it lost its slot).
    slots: list[tuple[_Key | None, Paragraph]] = []
    for key, p in zip(_keys(fresh), fresh, strict=True):
        slots += [(key, q) for q in edited.pop(key, [p])]
    old_keys = _keys(old)
    for i, p in enumerate(old):
        if p.edited and not any(q is p for _, q in slots):
            before = list(zip(old_keys[:i], old[:i], strict=True))
            slots.insert(_after(before, slots, p.section), (None, p))
    out = [p for _, p in slots]
    orphans = [
        f"paragraph {n} tells event {p.event}, which no longer exists: kept because it was edited"
        for n, p in enumerate(out, 1)
        if p.event is not None and dossier.event(p.event) is None
    ]
    return Redraft(out, orphans)


def _after(
    before: list[tuple[_Key, Paragraph]],
    slots: list[tuple[_Key | None, Paragraph]],
    section: Section,
) -> int:
    """Where a paragraph that lost its slot goes: after the nearest paragraph it followed that
    is still there (the same paragraph if edited, else its slot), or at the start of its
    section."""
    for key, prev in reversed(before):
        found = [i for i, (k, p) in enumerate(slots) if p is prev or (not prev.edited and k == key)]
        if found:
            return found[-1] + 1
    order = list(Section)
    return next(
        (i for i, (_, p) in enumerate(slots) if order.index(p.section) >= order.index(section)),
        len(slots),
    )


# -- Part B -------------------------------------------------------------------------------------

# The paths of the Part B explanations in refugio.model.Application (items 1.A, 2 and 1.B).
PAST_HARM = "claim.past_harm.explanation"
ARRESTED = "claim.arrested_abroad.explanation"
FEAR = "claim.fear_of_return.explanation"


def part_b_texts(application: Application, dossier: Dossier) -> dict[str, str]:
    """Part B explanations drafted from the timeline, by their path in the Application.

    Item 1.A (past harm) lists every event, item 2 (arrested, detained …) the detaining ones
    (``DETAINING``), item 1.B (fear) the grounds, who acted and what happened after the last
    departure. Drafted whatever the answers are: the caller offers them, a person decides.
    """
    d = _Draft(application, Names(application), dossier.timeline(), None)
    if not d.events:
        return {}
    out = {PAST_HARM: _listing(d.events, d.names)}
    detaining = [e for e in d.events if DETAINING.intersection(e.kinds)]
    if detaining:
        out[ARRESTED] = _listing(detaining, d.names)
    out[FEAR] = _fear(d)
    return out


def _listing(events: Sequence[Event], names: Names) -> str:
    return "\n\n".join(f"{n}. {event_text(e, names)}" for n, e in enumerate(events, 1))


def _fear(d: _Draft) -> str:
    out = []
    words = _ground_words(d)
    if words:
        out.append(
            "I fear harm or mistreatment if I return to my home country because of "
            f"{and_list(words)}."
        )
    actors = [w for a, w in ACTORS.items() if any(a in e.actors for e in d.events)]
    if actors:
        out.append(f"The harm described in item 1.A was done by {and_list(actors)}.")
    left = d.app.applicant.last_departure_date
    later = [e for e in d.events if left is not None and e.when.earliest() > left]
    if left is not None and later:
        out.append(f"After I last left my home country on {date_words(left)}:")
        out.append(_listing(later, d.names))
    return "\n\n".join(out)


# -- export -------------------------------------------------------------------------------------


def needs_interpreter(application: Application, dossier: Dossier) -> bool:
    """Whether the declaration needs an interpreter's certificate: the applicant is not fluent
    in English (Part A.I item 24), or the declaration is in another language."""
    return application.applicant.fluent_in_english is False or not _is_english(dossier.language)


def _interpreter(application: Application, dossier: Dossier) -> Interpreter | None:
    if not needs_interpreter(application, dossier):
        return None
    why = (
        f"the declaration is in {_language(dossier)}"
        if not _is_english(dossier.language)
        else "the applicant is not fluent in English (Part A.I, item 24)"
    )
    found = dossier.interpreter
    if found is None:
        raise DossierError(
            f"the declaration needs an interpreter's certificate because {why}, but the dossier "
            "names no interpreter: add the interpreter's name, address, telephone and language"
        )
    missing = [
        label
        for label, value in (
            ("name", found.name),
            ("address", found.address),
            ("telephone", found.phone),
            ("language", found.language),
        )
        if not value.strip()
    ]
    if missing:
        raise DossierError(
            f"interpreter {found.name or '(no name)'}: {and_list(missing)} missing, needed on the "
            "interpreter's certificate"
        )
    return found


def _language(dossier: Dossier) -> str:
    if dossier.language_name:
        return dossier.language_name
    if dossier.interpreter is not None and dossier.interpreter.language:
        return dossier.interpreter.language
    try:
        return language_name(dossier.language)
    except DossierError:
        return dossier.language  # a tag the table lacks and nobody named: shown as given


class _Out(Protocol):
    """What :class:`Pages` and :class:`Document` both offer: one layout for PDF and DOCX."""

    def heading(self, text: str, size: float = ..., centre: bool = ...) -> None: ...
    def text(self, text: str) -> None: ...
    def columns(self, left: str, right: str) -> None: ...
    def rule(self, label: str) -> None: ...


def _keep(out: _Out, points: float) -> None:
    """A new PDF page unless ``points`` fit on this one (a word processor flows by itself)."""
    if isinstance(out, Pages):
        out.keep(points)


def _numbered(n: int, text: str) -> str:
    """ "3. text"; "3.我…" for a script written without spaces, whose first line would
    otherwise leave the number alone (the wrapper breaks such text only where it must)."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return f"{n}." + ("" if _unspaced(first) else " ") + text if text.strip() else f"{n}."


def _unspaced(ch: str) -> bool:
    # CJK and kana, Thai and Lao, Myanmar, Khmer: scripts that put no space between words.
    o = ord(ch) if ch else 0
    spans = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0x0E00, 0x0EFF), (0x1000, 0x109F))
    return any(a <= o <= b for a, b in (*spans, (0x1780, 0x17FF)))


def _compose(application: Application, dossier: Dossier, out: _Out) -> None:
    """The declaration, block by block, for either output."""
    interpreter = _interpreter(application, dossier)  # refuse before drawing anything
    paragraphs = list(dossier.declaration) or draft(application, dossier)
    bilingual = not _is_english(dossier.language)
    name = application.full_name
    out.heading(f"Declaration of {name}", size=14.0, centre=True)
    out.text("In support of Form I-589, Application for Asylum and for Withholding of Removal")
    out.text(f"I, {name}, declare as follows:")
    section: Section | None = None
    for n, p in enumerate(paragraphs, 1):
        if p.section is not section:
            section = p.section
            out.heading(HEADINGS[section], size=11.0)
            if bilingual:  # the first row of each table, repeated on every page in a DOCX
                out.columns(_language(dossier), "English")
        if bilingual:
            out.columns(_numbered(n, p.native), _numbered(n, p.english))
        else:
            out.text(_numbered(n, p.english))
    _keep(out, 170.0)  # the sworn statement and the signature block on one page
    out.heading("Declaration under penalty of perjury", size=11.0)
    out.text(SWORN)
    out.rule("Signature of declarant")
    native = application.signature.native_alphabet_name
    out.text(f"Printed name: {application.name_as_in_part_a}" + (f" ({native})" if native else ""))
    out.rule("Date")
    if interpreter is not None and untranslated(application, dossier):
        # Never a certificate for a translation that is not there (28 U.S.C. §1746; 8 CFR
        # 103.2(b)(3)): the draft says what is missing instead.
        out.heading("Interpreter's certificate", size=11.0)
        out.text(
            "Not printed: the certificate is printed once every paragraph has both its "
            f"{_language(dossier)} and its English text."
        )
    elif interpreter is not None:
        _certificate(application, interpreter, len(paragraphs), bilingual, out)


def _certificate(
    application: Application, interpreter: Interpreter, count: int, bilingual: bool, out: _Out
) -> None:
    """The interpreter's certificate: competence and a complete, accurate translation are what
    8 CFR 103.2(b)(3) asks a translator to certify (instructions Part 1 §VI)."""
    lang, name = interpreter.language, application.full_name
    they = {"male": "he", "female": "she"}.get(application.applicant.sex or "", "they")
    _keep(out, 320.0)
    out.heading("Certificate of interpreter", size=11.0)
    out.text(
        f"I, {interpreter.name}, certify that I am fluent in {lang} and in English and that I "
        f"am competent to translate from {lang} into English (8 CFR 103.2(b)(3))."
    )
    out.text(
        f"I read the foregoing declaration of {count} numbered paragraphs, in its entirety, to "
        f"{name} in {lang}. {name} told me that {they} understood every paragraph and that it "
        "is true and correct."
    )
    if bilingual:
        out.text(
            f"The English text of each paragraph is a complete and accurate translation of the "
            f"{lang} text beside it."
        )
    out.text(
        f"Name: {interpreter.name}\nAddress: {interpreter.address}\n"
        f"Telephone: {interpreter.phone}\nLanguage: {lang}"
    )
    out.rule("Signature of interpreter")
    out.rule("Date")


def _header(application: Application, missing: list[int]) -> str:
    header = page_header(application)  # the same on every page Refugio writes
    if missing:
        header += f"   DRAFT, NOT FOR FILING: paragraph(s) {_numbers(missing)} not yet translated"
    return header


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:12])
    return shown + (f" and {len(numbers) - 12} more" if len(numbers) > 12 else "")


def untranslated(application: Application, dossier: Dossier) -> list[int]:
    """The numbers of the paragraphs of a bilingual declaration that lack one of their texts.

    Until there are none, the declaration is a draft: its interpreter's certificate would
    certify a translation that is not there, so it is left out and every page says so, and a
    filing packet refuses it.
    """
    if _is_english(dossier.language):
        return []
    paragraphs = list(dossier.declaration) or draft(application, dossier)
    return [n for n, p in enumerate(paragraphs, 1) if not (p.native.strip() and p.english.strip())]


def declaration_pdf(application: Application, dossier: Dossier) -> bytes:
    """The declaration as a PDF (the dossier's paragraphs, or a fresh draft if it has none).

    Raises DossierError when an interpreter's certificate is needed and incomplete.
    """
    header = _header(application, untranslated(application, dossier))
    pages = Pages(header=header, footer=lambda n, total: _FOOTER.format(n, total))
    _compose(application, dossier, pages)
    buffer = io.BytesIO()
    pages.build().save(buffer, deterministic_id=True)
    return buffer.getvalue()


def declaration_docx(application: Application, dossier: Dossier) -> bytes:
    """The declaration as an editable Word document, laid out as the PDF."""
    footer = _FOOTER.format("{PAGE}", "{NUMPAGES}")
    header = _header(application, untranslated(application, dossier))
    doc = Document(header=header, footer=footer, lang=dossier.language)
    _compose(application, dossier, doc)
    return doc.build()
