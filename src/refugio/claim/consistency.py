"""The consistency checker (issue 5, point 3): where the form, the timeline, the declaration
and the evidence tell the same fact differently.

    conflicts = check(application, dossier)   # empty when everything agrees

An officer or judge may base an adverse credibility finding on "the consistency between the
applicant's … written and oral statements …, the internal consistency of each such statement,
the consistency of such statements with other evidence of record", "without regard to whether
an inconsistency … goes to the heart of the applicant's claim" (INA §208(b)(1)(B)(iii)). Each
:class:`Conflict` names both values and both sources the way a lawyer reads them
("detention: 5 June 2025 in declaration paragraph 8, 2025-06-03 to 2025-08-02 in timeline
event e4").

What it catches (each kind seeded and tested in tests/claim/test_consistency.py):

1. **Dates of harms.** A harm told with a date (facts.harm_dates: "On 5 June 2025 … detained
   me", "In July 2021 … I was questioned") against the timeline. A declaration paragraph linked
   to an event (``Paragraph.event``) and an event's own summary answer for that event; Part B/C
   explanations and unlinked paragraphs agree when any event of that kind can be that day, and
   otherwise contradict the nearest such event that harmed the same people, if it lies within a
   year (further away it is another incident: a gap in the timeline, not a contradiction).
   Dates overlap by ``When.overlaps``, so "June 2025" and "~2025" agree with 2025-06-03;
   "arrested"/"detained" date a detention's first day, "held" any day of it. Two texts that
   each agree with a vague event ("2021") but not with each other ("13 September 2021" and
   "July 2021") are a conflict between the two texts.
   **Evidence dates** against the events the item supports: a record made at the time (a
   notice, a decision, a request) must fall within the event, with a week's grace after its end
   for the paperwork of a release; a summons up to 30 days before; a document written later (a
   report, a statement, a letter, a photograph) must not be older than the event; a warrant is
   not checked (China often issues one after the arrest).
2. **Places.** The place of an event against the places a paragraph linked to it (or its own
   summary) names, when the paragraph names places the case knows and none of them is the
   event's; and a detention, interrogation, beating, torture or sexual violence the applicant
   suffered against Part A.III items 1-2: an event in a country where no residence of that time
   lies is a conflict, unless Part C items 2 or 4 tell a trip there within a week of it. Harms
   that need no presence (a red notice, an extradition request, pressure on relatives) are not
   compared with residences.
3. **People.** Relatives named in a text ("my son Minyu", "my wife, Qiu Wanling") against the
   names of Part A.II (spouse, children by sex) and Part A.III item 5 (parents, siblings); and
   names in the evidence metadata and on the timeline (``Evidence.person``/``people``,
   ``Event.harmed``/``witnesses``) a letter or two from a relative's without being it (a
   cousin one letter from a sibling is flagged too: worth a look).
4. **Counts.** The number of children a text states ("we have six children", "my two sons and
   one daughter") against Part A.II; the length of a detention ("held for 61 days", "for two
   weeks") against the event's ``days``; how often the applicant says they were detained
   ("arrested twice", "my second detention") against the detention events on the timeline.
5. **Form dates.** "I left China on …" against Part A.I item 19.A (last departure), "we flew
   to San Francisco on …" against the entries of item 19.C (a day's grace: overnight flights),
   "we married on …" against Part A.II spouse item 9, the same words in an event's summary with
   the event's date; and a harm needing presence, in the applicant's country, after the day
   item 19.A says they last left it.

What it deliberately does not do: read the declaration's ``native`` column or any text in
another language (it reads the English); read a date without a year ("on 3 June") or a date in
a sentence that names no harm ("On 3 June officers came to my office"); compare dates of birth,
addresses, schools or jobs with the narratives; treat an event missing from the timeline as a
conflict; compare places of issue of evidence; say which side is right. Its reading of English
is shallow (facts.py): it would rather miss a contradiction than invent one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from refugio.check.formats import STATE_CODES
from refugio.claim import facts
from refugio.claim.model import APPLICANT, DocumentKind, Dossier, Event, Evidence, Harm, When
from refugio.model import Application, Residence

__all__ = ["Conflict", "check"]

Category = Literal["date", "place", "person", "count"]


@dataclass(frozen=True)
class Conflict:
    """Two sources telling one fact differently."""

    category: Category
    what: str
    """The fact: "detention", "date of marriage", "son's name", "number of children"."""
    value: str
    source: str
    """Where ``value`` is told: "declaration paragraph 7", "Part B item 2", "evidence x4 (…)"."""
    other_value: str
    other_source: str
    """Where the other value is: "timeline event e4", "Part A.I item 19.A", "Part A.II"."""
    note: str = ""

    @property
    def message(self) -> str:
        """ "detention: 5 June 2025 in declaration paragraph 7, 2025-06-03 in timeline
        event e4" (and the note, if any)."""
        text = f"{self.what}: {self.value} in {self.source}, {self.other_value} in "
        return text + self.other_source + (f" ({self.note})" if self.note else "")

    def __str__(self) -> str:
        return self.message


def check(application: Application, dossier: Dossier) -> list[Conflict]:
    """Every conflict between the form, the timeline, the declaration and the evidence."""
    case = _Case(application, dossier)
    found: list[Conflict] = []
    for rule in _RULES:
        for conflict in rule(case):
            if conflict not in found:  # two phrases of one sentence can tell the same thing
                found.append(conflict)
    return found


# --- the case: its texts, its people and its places ------------------------------------------

_PART_B = (
    ("past_harm", "1.A"),
    ("fear_of_return", "1.B"),
    ("arrested_abroad", "2"),
    ("organizations", "3.A"),
    ("organizations_continuing", "3.B"),
    ("fear_of_torture", "4"),
)
# Harms that need the applicant's body where they happened (a red notice does not).
_IN_PERSON = {Harm.DETENTION, Harm.INTERROGATION, Harm.BEATING, Harm.TORTURE}
_IN_PERSON |= {Harm.SEXUAL_VIOLENCE}
_ALIASES = dict.fromkeys(("prc", "people's republic of china", "mainland china"), "china")
_ALIASES |= dict.fromkeys(("us", "usa", "u.s.", "u.s.a.", "america"), "united states")
_ALIASES |= {"united states of america": "united states", "uk": "united kingdom"}


@dataclass(frozen=True)
class _Text:
    source: str
    text: str
    event: Event | None = None
    summary: bool = False  # an event's own summary: words without a date take its date


@dataclass(frozen=True)
class _Person:
    """A person of the form, with every name they go by."""

    group: str  # "applicant", "spouse", "child", "parent", "sibling" (facts.relative_group)
    names: tuple[str, ...]
    source: str
    relation: str = ""  # "mother", "father"; for a child its sex


class _Case:
    """The application and the dossier, read once for every rule."""

    def __init__(self, application: Application, dossier: Dossier) -> None:
        self.app = application
        self.dossier = dossier
        self.people = list(_people(application))
        self.texts = list(_texts(application, dossier))
        self.places = _known_places(application, dossier)

    def family(self, relation: str) -> list[_Person]:
        """Whom a relation word may mean ("son": the children who are not girls)."""
        found = [p for p in self.people if p.group == facts.relative_group(relation)]
        unlike = {"son": "female", "sons": "female", "daughter": "male", "daughters": "male"}
        if relation in ("mother", "father"):
            return [p for p in found if p.relation == relation]
        return [p for p in found if p.relation != unlike.get(relation, "?")]

    def harms(self, event: Event, parties: frozenset[str] | None) -> bool:
        """Whether the event harmed one of ``parties`` ("family": any relative)."""
        harmed = {"applicant"} if APPLICANT in event.harmed else set()
        harmed |= {p.group for h in event.harmed for p in self.people if _is(h, p)}
        if parties and "family" in parties and harmed - {"applicant"}:
            return True
        return bool(parties and harmed & parties)


def _people(app: Application) -> Iterator[_Person]:
    a, s, b = app.applicant, app.spouse, app.background
    yield _Person("applicant", (app.full_name, *a.other_names), "Part A.I items 4-7")
    if s is not None:
        other = tuple(n.strip() for n in s.other_names.split(",") if n.strip())
        yield _Person("spouse", (f"{s.last_name} {s.first_name}", *other), "Part A.II spouse")
    for i, c in enumerate(app.children, 1):
        yield _Person(
            "child", (f"{c.last_name} {c.first_name}",), f"Part A.II child {i}", c.sex or ""
        )
    for relation, member in (("mother", b.mother), ("father", b.father)):
        if member is not None:
            source = f"Part A.III item 5 ({relation})"
            yield _Person("parent", (member.full_name,), source, relation)
    for i, sibling in enumerate(b.siblings, 1):
        yield _Person("sibling", (sibling.full_name,), f"Part A.III item 5 (sibling {i})")


def _texts(app: Application, dossier: Dossier) -> Iterator[_Text]:
    for n, paragraph in enumerate(dossier.declaration, 1):
        event = dossier.event(paragraph.event) if paragraph.event else None
        yield _Text(f"declaration paragraph {n}", paragraph.english, event)
    for name, item in _PART_B:
        yield _Text(f"Part B item {item}", getattr(app.claim, name).explanation)
    # Part C items 2 and 4 tell the journey and any trip back (form, Part C).
    yield _Text("Part C item 2", app.additional.other_countries_explanation)
    yield _Text("Part C item 4", app.additional.returned.explanation)
    for e in dossier.events:
        yield _Text(f"timeline event {e.id} (summary)", e.summary_en, e, summary=True)


def _tokens(name: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", re.sub(r"['’-]", "", plain))
    return tuple(w for w in words if w not in ("mr", "ms", "mrs", "dr"))


def _is(name: str, person: _Person) -> bool:
    """The name is one of the person's, in any order, or part of one ("Mingyu")."""
    mine = set(_tokens(name))
    return bool(mine) and any(mine <= set(_tokens(n)) for n in person.names)


def _likeness(name: str, person: _Person) -> float:
    """How close ``name`` is to the person's nearest name, 0-1, word by word."""
    ratio = difflib.SequenceMatcher
    mine = _tokens(name)
    return max(
        (min(max(ratio(None, t, u).ratio() for u in theirs) for t in mine)
         for theirs in map(_tokens, person.names) if mine and theirs),
        default=0.0,
    )  # fmt: skip


_NEAR = 0.8  # "Minyu"/"Mingyu" 0.91, "Lijung"/"Lijun" 0.91; "Lihua"/"Lijun" 0.6


def _parts(place: str) -> list[str]:
    return [p.strip() for p in re.sub(r"\([^)]*\)", "", place).split(",") if p.strip()]


def _residences(app: Application) -> list[Residence]:
    return [*app.background.residences, *app.background.last_addresses_before_us]


def _norm_country(name: str) -> str:
    return _ALIASES.get(name.strip().lower(), name.strip().lower())


def _known_places(app: Application, dossier: Dossier) -> frozenset[str]:
    """The cities, districts and provinces the case names; not countries ("I left China"
    places no event)."""
    places = {p for r in _residences(app) for p in (r.city, r.province)}
    named = [e.place for e in dossier.events] + [app.applicant.city_and_country_of_birth]
    named += [p for c in app.children for p in (c.city_and_country_of_birth, c.location)]
    if app.spouse is not None:
        named += [app.spouse.city_and_country_of_birth, app.spouse.place_of_marriage]
    places |= {p for text in named for p in _parts(text)[:-1]}
    countries = {_norm_country(r.country) for r in _residences(app)}
    return frozenset(
        p
        for p in places
        if len(p) > 2 and not re.search(r"\d", p) and _norm_country(p) not in countries
    )


def _at(event: Event) -> str:
    return f"timeline event {event.id}"


def _span(event: Event) -> str:
    return f"{event.when} to {event.until}" if event.until else str(event.when)


def _what(event: Event, kinds: set[Harm] | None = None) -> str:
    kind = next((k for k in event.kinds if kinds is None or k in kinds), None)
    return "the event" if kind is None else _kind_name(kind)


def _kind_name(kind: Harm) -> str:
    return "Interpol notice" if kind is Harm.INTERPOL_NOTICE else kind.value.replace("_", " ")


def _window(event: Event, *, start: bool = False, end: bool = False) -> tuple[dt.date, dt.date]:
    """Its first and last possible day; ``start``: of its first day only ("arrested on …"
    dates when a detention began, not any day of it); ``end``: of its last day only ("I was
    released on …"), any day after it began when the timeline does not say when it ended."""
    if end:
        if event.until is None:
            return event.when.earliest(), dt.date.max
        return event.until.earliest(), event.until.latest()
    return event.when.earliest(), (event.when if start else event.until or event.when).latest()


def _gap(when: When, event: Event, *, start: bool = False, end: bool = False) -> int:
    """Days between a date and an event; 0 when they can be the same day."""
    first, last = _window(event, start=start, end=end)
    if when.latest() < first:
        return (first - when.latest()).days
    return max(0, (when.earliest() - last).days)


def _when(day: dt.date) -> When | None:
    try:
        return When.of(day)
    except ValueError:  # outside 1900-2100: nothing a narrative can be compared with
        return None


# --- 1. dates of harms and of evidence -------------------------------------------------------

_ANOTHER_INCIDENT = 366  # days: a date this far from every event of its kind is another one


@dataclass(frozen=True)
class _Dated:
    """A harm told with a date that agrees with the timeline, and the event it is about."""

    told: facts.HarmDate
    source: str
    event: Event | None


def _harm_dates(case: _Case) -> Iterator[Conflict]:
    agreeing: list[_Dated] = []
    for text in case.texts:
        near = frozenset(text.event.kinds) if text.event else frozenset()
        for told in facts.harm_dates(text.text, near=near):
            same = [e for e in case.dossier.events if told.kind in e.kinds]
            linked = _linked(case, text, told)
            # A text telling an event answers for that event alone; another agrees with the
            # timeline when any event of the kind can be that day.
            if any(_off(told, e) == 0 for e in ([linked] if linked else same)):
                agreeing.append(_Dated(told, text.source, linked or _agreeing(case, told, same)))
            elif event := linked or _contradicted(case, told, same):
                what = _kind_name(told.kind) + (" (release)" if told.end else "")
                value = str(told.date)
                yield Conflict("date", what, value, text.source, _span(event), _at(event))
    yield from _told_apart(agreeing)


def _linked(case: _Case, text: _Text, told: facts.HarmDate) -> Event | None:
    """The event the text tells, if the harm is of its kind and befell its people."""
    event = text.event
    if event is None or told.kind not in event.kinds:
        return None
    return event if told.parties is None or case.harms(event, told.parties) else None


def _off(told: facts.HarmDate, event: Event) -> int:
    return _gap(told.date.when, event, start=told.start, end=told.end)


def _agreeing(case: _Case, told: facts.HarmDate, same: list[Event]) -> Event | None:
    """The one event of the kind, of the same people, that a date agrees with; else None."""
    theirs = [e for e in same if _off(told, e) == 0 and case.harms(e, told.parties)]
    return theirs[0] if len(theirs) == 1 else None


def _contradicted(case: _Case, told: facts.HarmDate, same: list[Event]) -> Event | None:
    """The nearest event of the kind that harmed the same people, if near enough to be it."""
    nearest = min(
        (e for e in same if case.harms(e, told.parties)), key=lambda e: _off(told, e), default=None
    )
    return nearest if nearest and _off(told, nearest) <= _ANOTHER_INCIDENT else None


def _told_apart(agreeing: list[_Dated]) -> Iterator[Conflict]:
    """Two texts dating one event differently, each within its vague date ("2016": "5 March
    2016" and "3 May 2016"). Only for events of one moment: a detention's days all differ."""
    for i, a in enumerate(agreeing):
        for b in agreeing[i + 1 :]:
            e = a.event
            if e is None or e.until or b.event is not e or a.source == b.source:
                continue
            if (a.told.start, a.told.end) != (b.told.start, b.told.end):
                continue  # an arrest and a release are two days of one detention
            if not a.told.date.when.overlaps(b.told.date.when):
                note = f"both about {_at(e)} ({e.when})"
                what, value, other = _kind_name(a.told.kind), str(a.told.date), str(b.told.date)
                yield Conflict("date", what, value, a.source, other, b.source, note)


def _words(*words: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(words)})s?\b", re.IGNORECASE)


# How an item's date relates to its events, from its title (first match) or its kind.
_DOCUMENTS = (
    ("any", _words("warrant")),  # China often issues the warrant after the arrest
    ("later", _words("letter", "reply", "response", "report", "statement", "affidavit",
                     "declaration", "article", "verdict", "judge?ment", r"photo\w*", "screenshot")),
    ("summons", _words("summons", "subpoena")),
    ("record", _words("notice", "decision", "record", "order", "request", "ruling", "receipt",
                      "list", "protocol", "minutes")),
)  # fmt: skip
_BY_KIND = dict.fromkeys(("medical", "statement", "media", "photo"), "later") | {
    "official": "record"
}
_NOTES = {
    "record": "a record made at the time should be dated within the event",
    "summons": "a summons comes before the questioning, not after it",
    "later": "a document about the event cannot be older than the event",
}


def _document(item: Evidence) -> str:
    """ "record", "summons", "later", or "any" (not checked)."""
    found = next((name for name, words in _DOCUMENTS if words.search(item.title)), None)
    return found or _BY_KIND.get(DocumentKind(item.kind).value, "any")


def _fits(date: When, event: Event, document: str) -> bool:
    first, last = _window(event)
    if document == "later":
        return date.latest() >= first
    if document == "summons":  # served up to a month before
        return date.latest() >= first - dt.timedelta(days=30) and date.earliest() <= last
    # A release's paperwork is dated in the days after it: a week's grace.
    return document == "any" or (
        date.latest() >= first and date.earliest() <= last + dt.timedelta(days=7)
    )


def _evidence_dates(case: _Case) -> Iterator[Conflict]:
    for x in case.dossier.evidence:
        document, date = _document(x), x.date
        events = [e for i in x.events if (e := case.dossier.event(i)) is not None]
        if date is None or not events or any(_fits(date, e, document) for e in events):
            continue
        e = min(events, key=lambda e: _gap(date, e))
        source = f"evidence {x.id} ({x.title})"
        yield Conflict("date", _what(e), str(date), source, _span(e), _at(e), _NOTES[document])


# --- 2. places -------------------------------------------------------------------------------

_GENERIC = {"town", "city", "district", "village", "county", "province", "state", "region"}
_GENERIC |= {"police", "station", "airport", "road", "street", "lane", "the", "of"}


def _core(place: str) -> set[str]:
    """The distinctive words of a place ("Chang'an police station": "chang'an")."""
    return set(re.findall(r"[\w']+", place.lower().replace("’", "'"))) - _GENERIC


def _paragraph_places(case: _Case) -> Iterator[Conflict]:
    for text in case.texts:
        e = text.event
        if e is None or len(_parts(e.place)) < 2:
            continue
        flat = text.text.replace("’", "'")
        named = {p for p in case.places if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", flat)}
        own = set().union(*map(_core, _parts(e.place)[:-1]))
        if named and not any(_core(n) & own for n in named):
            value = ", ".join(sorted(named))
            yield Conflict("place", f"place of {_what(e)}", value, text.source, e.place, _at(e))


def _country(case: _Case, place: str) -> str | None:
    """The country of "City, Country" (a province or a US state code stands for its
    country); None for a place without one ("online", "Dongguan")."""
    parts = _parts(place)
    if len(parts) < 2:
        return None
    if parts[-1].upper() in STATE_CODES:
        return "united states"
    provinces = {r.province.lower(): r.country for r in _residences(case.app) if r.province}
    return _norm_country(provinces.get(parts[-1].lower(), parts[-1]))


def _months(r: Residence) -> tuple[dt.date, dt.date] | None:
    """The days a residence covers ("present": to the end of time, for this purpose)."""
    try:
        first = When.parse(str(r.start)).earliest()
        return first, dt.date.max if r.end == "present" else When.parse(str(r.end)).latest()
    except ValueError:  # no start or end, or "present" as a start
        return None


def _lived(case: _Case, event: Event) -> list[Residence]:
    """The residences of Part A.III whose months overlap the event."""
    first, last = _window(event)
    spans = [(r, _months(r)) for r in _residences(case.app)]
    found = [r for r, m in spans if m is not None and m[0] <= last and first <= m[1]]
    return [r for i, r in enumerate(found) if r not in found[:i]]  # items 1 and 2 repeat


def _trip(case: _Case, event: Event) -> bool:
    """Whether Part C items 2 or 4 tell a trip to the event's place, within a week of it."""
    first, last = _window(event)
    week = dt.timedelta(days=7)
    names = {_parts(event.place)[0], _parts(event.place)[-1]}
    extra = case.app.additional
    for text in (extra.returned.explanation, extra.other_countries_explanation):
        for sentence in facts.sentences(text):
            if any(n in sentence for n in names) and any(
                d.when.earliest() - week <= last and first <= d.when.latest() + week
                for d in facts.dates(sentence)
            ):
                return True
    return False


def _in_person(case: _Case) -> Iterator[Event]:
    for event in case.dossier.events:
        if APPLICANT in event.harmed and _IN_PERSON & set(event.kinds):
            yield event


def _residence_places(case: _Case) -> Iterator[Conflict]:
    for e in _in_person(case):
        country, lived = _country(case, e.place), _lived(case, e)
        if country is None or not lived or _trip(case, e):
            continue
        if country not in {_norm_country(r.country) for r in lived}:
            before = all(r in case.app.background.last_addresses_before_us for r in lived)
            where = "; ".join(f"{r.city}, {r.country} ({r.start} to {r.end})" for r in lived)
            what, value = f"place of {_what(e, _IN_PERSON)}", f"{e.place} ({_span(e)})"
            item = f"Part A.III item {1 if before else 2}"
            note = "no residence in that country at that time"
            yield Conflict("place", what, value, _at(e), where, item, note)


# --- 3. people -------------------------------------------------------------------------------


def _relatives_named(case: _Case) -> Iterator[Conflict]:
    texts = case.texts + [
        _Text(f"evidence {x.id} ({x.title})", f"{x.title}. {x.description}")
        for x in case.dossier.evidence
    ]
    for text in texts:
        for relative in facts.relatives(text.text):
            family = case.family(relative.relation)
            for name in relative.names:
                if relative.group != "family" and not any(_is(name, p) for p in family):
                    yield _misnamed(relative.relation, name, text.source, family)


def _misnamed(relation: str, name: str, source: str, family: list[_Person]) -> Conflict:
    relation = {"children": "child", "kids": "child"}.get(relation, relation.removesuffix("s"))
    what = f"{relation}'s name"
    if not family:
        part = (
            "Part A.III item 5"
            if relation in ("brother", "sister", "mother", "father")
            else "Part A.II"
        )
        return Conflict("person", what, name, source, f"no {relation} listed", part)
    closest = max(family, key=lambda p: _likeness(name, p))
    return Conflict("person", what, name, source, _nearest_name(name, closest), closest.source)


def _nearest_name(name: str, person: _Person) -> str:
    """The person's name written most like ``name`` ("Qiu Wanling", not "Wendy Qiu")."""
    mine = " ".join(_tokens(name))
    return max(
        person.names,
        key=lambda n: difflib.SequenceMatcher(None, mine, " ".join(_tokens(n))).ratio(),
    )


def _names_listed(case: _Case) -> Iterator[Conflict]:
    """Names in the evidence and on the timeline a letter or two from a relative's."""
    listed = [
        (n, f"evidence {x.id} ({x.title})")
        for x in case.dossier.evidence
        for n in [x.person, *x.people]
    ]
    for e in case.dossier.events:
        listed += [(n, f"{_at(e)} (harmed)") for n in e.harmed]
        listed += [(n, f"{_at(e)} (witnesses)") for n in e.witnesses]
    for name, source in listed:
        if name == APPLICANT or any(_is(name, p) for p in case.people):
            continue
        closest = max(case.people, key=lambda p: _likeness(name, p), default=None)
        if closest is not None and _likeness(name, closest) >= _NEAR:
            other = _nearest_name(name, closest)
            yield Conflict("person", "name", name, source, other, closest.source)


# --- 4. counts -------------------------------------------------------------------------------


def _children(case: _Case) -> Iterator[Conflict]:
    n = len(case.app.children)
    for text in case.texts:
        for count in facts.children_counts(text.text):
            if not count.low <= n <= count.high:
                what = "number of children"
                yield Conflict("count", what, count.text, text.source, str(n), "Part A.II")


def _durations(case: _Case) -> Iterator[Conflict]:
    held = [e for e in case.dossier.events if Harm.DETENTION in e.kinds and e.days]
    for text in case.texts:
        for told in facts.durations(text.text):
            e = text.event
            if e in held and (told.parties is None or case.harms(e, told.parties)):
                candidates = [e]
            else:
                candidates = [e for e in held if case.harms(e, told.parties)]
            if candidates and not any(_lasts(told, e) for e in candidates):
                e = candidates[0]
                low, high = e.days or (0, 0)
                days = f"{low} days" if low == high else f"{low}-{high} days"
                value, other = told.text, f"{_span(e)} ({days})"
                yield Conflict("count", "length of detention", value, text.source, other, _at(e))


def _lasts(told: facts.Duration, event: Event) -> bool:
    low, high = event.days or (0, 0)
    return told.low <= high and low <= told.high


def _detentions(case: _Case) -> Iterator[Conflict]:
    events = case.dossier.events
    mine = [e.id for e in events if Harm.DETENTION in e.kinds and APPLICANT in e.harmed]
    where = f"the timeline ({', '.join(mine) or 'no detention'})"
    for text in case.texts:
        for count in facts.detention_counts(text.text):
            if not count.low <= len(mine) <= count.high:
                what, n = "number of detentions", str(len(mine))
                yield Conflict("count", what, count.text, text.source, n, where)


# --- 5. dates of the form --------------------------------------------------------------------


def _departure(case: _Case) -> Iterator[Conflict]:
    a = case.app.applicant
    left = _when(a.last_departure_date) if a.last_departure_date else None
    if left is None:
        return
    what = f"departure from {a.present_nationality}".strip().removesuffix(" from")
    for text in case.texts:
        default = text.event.when if text.event and text.summary else None
        for told in facts.departures(text.text, a.present_nationality, default=default):
            if not told.when.overlaps(left):
                other = str(a.last_departure_date)
                yield Conflict("date", what, str(told), text.source, other, "Part A.I item 19.A")


def _arrival(case: _Case) -> Iterator[Conflict]:
    entries = [(i, e.date) for i, e in enumerate(case.app.applicant.entries, 1) if e.date]
    cities = {_parts(e.place)[0] for e in case.app.applicant.entries if _parts(e.place)}
    day = dt.timedelta(days=1)  # an overnight flight lands the day after it leaves
    for text in case.texts if entries else ():
        default = text.event.when if text.event and text.summary else None
        for told in facts.arrivals(text.text, cities, default=default):
            first, last = told.when.earliest() - day, told.when.latest() + day
            if not any(first <= d <= last for _, d in entries):
                i, d = min(entries, key=lambda entry: abs((entry[1] - first).days))
                what, source = "arrival in the United States", f"Part A.I item 19.C (entry {i})"
                yield Conflict("date", what, str(told), text.source, str(d), source)


def _marriage(case: _Case) -> Iterator[Conflict]:
    spouse = case.app.spouse
    married = _when(spouse.date_of_marriage) if spouse and spouse.date_of_marriage else None
    for text in case.texts if married else ():
        for told in facts.marriages(text.text):
            if married is not None and not told.when.overlaps(married):
                what, other = "date of marriage", str(married)
                yield Conflict(
                    "date", what, str(told), text.source, other, "Part A.II spouse item 9"
                )


def _after_departure(case: _Case) -> Iterator[Conflict]:
    a = case.app.applicant
    home = _norm_country(a.present_nationality)
    if a.last_departure_date is None or not home:
        return
    for e in _in_person(case):
        if _country(case, e.place) == home and e.when.earliest() > a.last_departure_date:
            value = f"{_span(e)} in {e.place}"
            other = f"last left {a.present_nationality} on {a.last_departure_date}"
            yield Conflict("date", _what(e, _IN_PERSON), value, _at(e), other, "Part A.I item 19.A")


_RULES: tuple[Callable[[_Case], Iterator[Conflict]], ...] = (
    _harm_dates, _evidence_dates, _paragraph_places, _residence_places, _relatives_named,
    _names_listed, _children, _durations, _detentions, _departure, _arrival, _marriage,
    _after_departure,
)  # fmt: skip
