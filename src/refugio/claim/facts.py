"""Facts read from free English text, for the consistency checker (issue 5, point 3).

What it finds in a narrative (a declaration paragraph, a Part B explanation, an event summary):

- **dates** in the common English forms: ``5 March 2016``, ``March 5, 2016``, ``2016-03-05``,
  ``March 2016``, ``2016-03``, ``in 2016``, and ``05/03/2016``, read as MM/DD/YYYY because that
  is the form's own convention (its date boxes are printed "mm/dd/yyyy"); when both readings are
  possible the :class:`DateMention` says so in its ``note``. "about"/"around" before a date
  marks it approximate. A date without a year ("on 3 June") is skipped: borrowing a year from
  the sentence before is how false alarms are made;
- **harms**: a word of :class:`~refugio.claim.model.Harm` (``arrested``, ``beaten``, ``red
  notice`` …) with the date it is told with, and **who** it happened to (``I``/``me`` or ``my
  wife``); future, conditional and negated uses ("I will be arrested", "never detained") are
  not facts and are skipped;
- **durations** ("held for 61 days", "for two weeks"), **counts** ("my three children",
  "detained twice") with English number words up to ninety-nine;
- **relatives** named after "my wife", "our sons", "my youngest daughter, …";
- the **journey** (leaving the country, arriving in the United States) and the **marriage**.

The reader is shallow on purpose: patterns, not a parser. It reads English only (the
declaration's ``english`` column, never ``native``), and it prefers to miss a fact rather than
to invent one; consistency.py decides what a fact contradicts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from refugio.claim.model import Harm, When

__all__ = [
    "Count",
    "DateMention",
    "Duration",
    "HarmDate",
    "Relative",
    "arrivals",
    "children_counts",
    "dates",
    "departures",
    "detention_counts",
    "durations",
    "harm_dates",
    "marriages",
    "number",
    "parties",
    "point_dates",
    "relative_group",
    "relatives",
    "sentences",
]

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER = (
    rf"(?:\d+|(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_ONES[1:10])}))?"
    rf"|{'|'.join(reversed(_ONES))}|an?)"
)


def number(word: str) -> int | None:
    """``61``, ``three``, ``twenty-one``, ``a`` (one) as an int; None if not a number."""
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    if word in _ONES:
        return _ONES.index(word)
    tens, dash, ones = word.replace(" ", "-").partition("-")
    if tens in _TENS and (ones in _ONES[1:10] or not dash):
        return 20 + 10 * _TENS.index(tens) + (_ONES.index(ones) if ones else 0)
    return None


# --- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    {"Mr", "Ms", "Mrs", "Dr", "No", "St", "Jr", "Mt", "a.m", "p.m", "e.g", "i.e"}
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (a blank line ends one too); "Ms." and "a.m." end none."""
    found: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        words = text[start : m.start()].split()
        if text[m.start()] == "." and words and words[-1] in _ABBREVIATIONS:
            continue
        found.append(text[start : m.end()].strip())
        start = m.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


# --- dates -----------------------------------------------------------------------------------

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_SHORT = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9}
_SHORT |= {"Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
_MONTH = rf"(?P<month>{'|'.join(_MONTHS)}|{'|'.join(sorted(_SHORT, key=len, reverse=True))})\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# Most specific first: a span taken by one pattern is not read again by a later one.
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>0[1-9]|1[0-2])\b(?!-\d)"),
    re.compile(rf"\b{_YEAR}\b"),
)
_AROUND = re.compile(r"\b(?:about|around|approximately|roughly|circa|c\.)\s*$", re.IGNORECASE)
# "since March 2026", "until May 2025": a bound of something else, not when a thing happened.
_BOUND = re.compile(r"\b(?:since|until|till|before|after|by)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date written in a text: its value, the words as written and where they are."""

    when: When
    text: str
    start: int
    end: int
    note: str = ""
    """How an ambiguous form was read, e.g. "05/03/2016 read as MM/DD/YYYY"."""
    bound: bool = False
    """Preceded by since/until/before/after/by: the limit of a period, not a point in it."""

    def __str__(self) -> str:
        return f"{self.text} ({self.note})" if self.note else self.text


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    return _MONTHS.index(name) + 1 if name in _MONTHS else _SHORT[name]


def _slash(first: int, second: int) -> tuple[int, int, str]:
    """Month and day of ``first/second/yyyy``: US order, the form's, unless impossible."""
    if first > 12 >= second:
        return second, first, ""
    note = "read as MM/DD/YYYY, the form's order" if first != second and second <= 12 else ""
    return first, second, note


def _when(m: re.Match[str], around: bool) -> tuple[When, str] | None:
    groups = m.groupdict()
    note = ""
    month: int | None
    day: int | None
    if groups.get("first"):
        month, day, note = _slash(int(groups["first"]), int(groups["second"]))
    else:
        raw = groups.get("month")
        month = None if raw is None else int(raw) if raw.isdigit() else _month_number(raw)
        day = int(groups["day"]) if groups.get("day") else None
    try:
        return When(year=int(groups["year"]), month=month, day=day, around=around), note
    except ValueError:  # 31 April, month 13, a year outside 1900-2100
        return None


def dates(text: str) -> tuple[DateMention, ...]:
    """Every date in ``text`` with a year, in order. Never cached: the texts are case data, in
    memory only while a request uses them (docs/threat-model.md, A1)."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            before = text[max(0, m.start() - 20) : m.start()]
            parsed = _when(m, around=bool(_AROUND.search(before)))
            taken.append((m.start(), m.end()))  # "31 April 2016" is no date, nor "April 2016"
            if parsed is None:
                continue
            bound = bool(_BOUND.search(before))
            found.append(DateMention(parsed[0], m[0], m.start(), m.end(), parsed[1], bound))
    return tuple(sorted(found, key=lambda d: d.start))


def point_dates(text: str) -> list[DateMention]:
    """The dates of ``text`` that say when something happened (bounds left out)."""
    return [d for d in dates(text) if not d.bound]


# --- harms -----------------------------------------------------------------------------------

_HELD_TAIL = (
    rf"(?:me|him|her|them|us|incommunicado|under|without|for\s+(?:about\s+)?{NUMBER}\b"
    r"|in\s+(?:custody|detention|secret|prison|jail|a\s+cell|solitary))"
)
# The end of a detention: "I was released on 2 August", "they let me go". Only with its
# person, so that "the report was released" is not read as one.
_RELEASED = (
    r"(?:I|we|he|she|they)\s+(?:was|were)\s+(?:finally\s+)?(?:released|freed|let\s+go)"
    r"|(?:released|freed)\s+(?:me|him|her|them|us)|let\s+(?:me|him|her|them|us)\s+go"
)
# (kind, verbs, nouns). A verb dates itself by the nearest date of its sentence; a noun ("my
# detention") only by a date right after it ("my detention in June 2025"), unless the text
# tells an event of that kind (consistency.py).
_HARM_WORDS: tuple[tuple[Harm, str, str], ...] = (
    (Harm.DETENTION, r"arrested|detained|jailed|imprisoned|locked up|taken into custody"
     rf"|held\s+{_HELD_TAIL}|abducted|took\s+(?:me|him|her|them|us)\s+away"
     r"|(?:was|were)\s+taken\s+away|" + _RELEASED,
     r"arrests?|detentions?|custody|imprisonment|residential surveillance"),
    (Harm.INTERROGATION, r"interrogated|questioned|summoned|(?:to\s+)?drink tea",
     r"interrogations?|questioning|summons"),
    (Harm.BEATING, r"beat|beaten|slapped|kicked|punched", r"beatings?"),
    (Harm.TORTURE, r"tortured", r"torture"),
    (Harm.SEXUAL_VIOLENCE, r"raped", r"rape|sexual(?:ly)?\s+(?:assault|abuse|violence)"),
    (Harm.SURVEILLANCE, r"(?:followed|monitored|watched)\s+(?:me|us|my|our)"
     r"|(?:was|were)\s+(?:monitored|watched)", r"(?<!residential )surveillance"),
    (Harm.DEVICE_HACKING, r"hacked", r"hacking|spyware|malware"),
    (Harm.BUSINESS_PRESSURE, r"(?:ended|cancell?ed|terminated)\s+(?:\w+\s+)?contracts?",
     r"audit|tax inspection"),
    (Harm.INTERPOL_NOTICE, "", r"red notice|interpol|diffusion"),
    (Harm.EXTRADITION_REQUEST, r"extradited?", r"extradition"),
    (Harm.TRAVEL_BAN, r"(?:passport|travel permit|travel document)s?\s+(?:was|were|had been)\s+"
     r"(?:taken|confiscated|seized|withheld)|(?:could not|not allowed to|barred from) leav\w*",
     r"(?:travel|exit) ban"),
    (Harm.CONFISCATION, r"froze|confiscated|seized|(?:was|were|been)\s+(?:sealed|frozen)"
     r"|sealed\s+(?:off\s+)?(?:my|our|the|his|her|their)", r"confiscation|seizure"),
    (Harm.PROSECUTION, r"charged|indicted|prosecuted|convicted|sentenced",
     r"prosecution|indictment|(?<!pending )trial"),
    (Harm.DISMISSAL, r"dismissed", r"dismissal"),
    (Harm.DISAPPEARANCE, r"disappeared|went missing", r"disappearance"),
    (Harm.KILLING, r"killed|murdered", r"murder|killing"),
    (Harm.THREAT, r"threatened", r"threats?"),
)  # fmt: skip
_HARMS = tuple(
    (kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE), noun)
    for kind, verbs, nouns in _HARM_WORDS
    for words, noun in ((verbs, False), (nouns, True))
    if words
)
# Not a fact: "I will be arrested", "to charge me", "if I am detained", "never arrested".
_NOT_A_FACT = re.compile(
    r"(?:\b(?:will|would|could|can|may|might|shall|should|must|cannot|to|if|unless|never|not|"
    r"no)\b|n't\b)(?:\W+\w+){0,2}\W*$",
    re.IGNORECASE,
)
# "a request for my provisional arrest", "arrest warrant": the document, not the arrest.
_NOT_THE_ARREST = re.compile(r"(?:provisional|request for (?:my |his |her )?)\s*$", re.IGNORECASE)
_DOCUMENT_AFTER = re.compile(r"^\s+(?:warrants?|notices?|orders?)\b", re.IGNORECASE)

_MAX_GAP = 60  # characters between a verb and its date, unless the date leads the sentence
_NOUN_GAP = 20  # "my detention in June 2025": the date follows the noun closely
_LEADING = 15  # "In July 2021, …", "3. 3 June 2025 to …": a date governing its sentence


@dataclass(frozen=True)
class HarmDate:
    """A harm told with a date, and who it happened to."""

    kind: Harm
    word: str
    date: DateMention
    parties: frozenset[str] | None
    """"applicant" and relatives' groups (see :func:`relatives`); empty when only a third
    person is named ("Ms. Fang was sentenced"); None when nobody is named ("They beat …")."""
    start: bool = False
    """The words tell how it began ("arrested", "detained"), not a day during it ("held")."""
    end: bool = False
    """The words tell how it ended ("I was released", "they let me go")."""


# "arrested me on 3 June" dates the start of a detention; "while I was detained" any day of it.
_STARTS = re.compile(
    r"^(?:arrested|detained|taken into custody|jailed|abducted|took\s+\w+\s+away"
    r"|(?:was|were)\s+taken\s+away)$",
    re.IGNORECASE,
)
_ENDS = re.compile(r"released|freed|let\s", re.IGNORECASE)
_DURING = re.compile(r"\b(?:while|as|during)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)


def _is_fact(text: str, m: re.Match[str], kind: Harm) -> bool:
    before = text[max(0, m.start() - 40) : m.start()]
    if _NOT_A_FACT.search(before):
        return False
    return not (
        kind is Harm.DETENTION
        and m[0].lower().startswith("arrest")
        and (_NOT_THE_ARREST.search(before) or _DOCUMENT_AFTER.match(text[m.end() :]))
    )


def _gap(date: DateMention, m: re.Match[str]) -> int:
    return date.start - m.end() if date.start >= m.end() else m.start() - date.end


def _date_for(
    m: re.Match[str], found: list[DateMention], noun: bool, near: bool
) -> DateMention | None:
    if noun and not near:
        after = [d for d in found if d.start >= m.end() and _gap(d, m) <= _NOUN_GAP]
        return after[0] if after else None
    close = sorted((d for d in found if _gap(d, m) <= _MAX_GAP), key=lambda d: _gap(d, m))
    if close:
        return close[0]
    leading = [d for d in found if d.start <= _LEADING]
    return leading[0] if leading else None


def _segments(text: str) -> Iterator[str]:
    for sentence in sentences(text):
        yield from (part for part in sentence.split(";") if part.strip())


def harm_dates(text: str, *, near: Collection[Harm] = ()) -> list[HarmDate]:
    """Harms told with a date. A noun of a kind in ``near`` takes the nearest date too: the
    text tells an event of that kind, so "the detention … on 5 June" is about it."""
    found: list[HarmDate] = []
    for segment in _segments(text):
        segment_dates = point_dates(segment)
        if not segment_dates:
            continue
        for kind, pattern, noun in _HARMS:
            for m in pattern.finditer(segment):
                if not _is_fact(segment, m, kind):
                    continue
                end = bool(_ENDS.search(m[0]))
                # A release is dated only by the date right after it ("released on 2 August"):
                # a date leading the sentence is more often when the detention began.
                date = _date_for(m, segment_dates, noun or end, kind in near and not end)
                if date is not None:
                    start = bool(_STARTS.match(m[0])) and not _DURING.search(segment[: m.start()])
                    who = parties(segment, m.start())
                    found.append(HarmDate(kind, m[0], date, who, start, end))
    return found


# --- people ----------------------------------------------------------------------------------

_GROUPS = dict.fromkeys(("wife", "husband", "spouse"), "spouse")
_GROUPS |= dict.fromkeys(("son", "sons", "daughter", "daughters", "child", "children"), "child")
_GROUPS |= dict.fromkeys(("kids",), "child") | {"family": "family"}
_GROUPS |= dict.fromkeys(("brother", "brothers", "sister", "sisters", "siblings"), "sibling")
_GROUPS |= dict.fromkeys(("mother", "father", "parents"), "parent")
_ADJECTIVE = (
    r"(?:eldest|oldest|youngest|elder|older|younger|little|late|only|first|second|third|"
    rf"{NUMBER})"
)
_NAME = r"(?:(?:Mr|Ms|Mrs|Dr|Miss)\.?\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}"
_RELATIVE = re.compile(
    rf"\b(?:[Mm]y|[Oo]ur)\s+(?:{_ADJECTIVE}\s+){{0,2}}(?P<relation>{'|'.join(_GROUPS)})\b"
    rf"(?!-in-law|\s+in\s+law)(?:(?:\s*,\s*|\s+)(?P<names>{_NAME}(?:(?:\s*,\s*|,?\s+and\s+)"
    rf"{_NAME})*))?"
)
_NOT_NAMES = frozenset(
    {"I", "In", "On", "At", "The", "When", "After", "Before", "During", "Since", "From", "And"}
    | set(_MONTHS)
)
# Case matters: "US" is a country, "us" a person.
_FIRST_PERSON = re.compile(r"\b(?:I|me|myself|[Ww]e|us|[Mm]y|[Oo]ur)\b")
_THIRD_PERSON = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|Miss)\b\.?|\b(?:he|she|him|her|his)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()—]")


@dataclass(frozen=True)
class Relative:
    """ "my eldest son Cen Mingyu": the relation word as written, its group and the names."""

    relation: str
    group: str
    names: tuple[str, ...]
    start: int


def relative_group(relation: str) -> str:
    """ "spouse", "child", "sibling", "parent" or "family" for a relation word ("wife")."""
    return _GROUPS.get(relation.lower(), "")


def relatives(text: str) -> list[Relative]:
    """Every "my <relative> [Name]" in ``text``; names end at the first word in lower case."""
    found = []
    for m in _RELATIVE.finditer(text):
        names = re.split(r"\s*,\s*(?:and\s+)?|,?\s+and\s+", m["names"]) if m["names"] else []
        kept = tuple(
            re.sub(r"['’]s$", "", n) for n in names if n and n.split()[0] not in _NOT_NAMES
        )
        relation = m["relation"].lower()
        found.append(Relative(relation, _GROUPS[relation], kept, m.start()))
    return found


def _mask_relatives(text: str) -> str:
    """``text`` with every "my wife" blanked, same length: that "my" is the wife, not the
    applicant (the names after it stay: "my wife and I" still has "I")."""

    def blank(m: re.Match[str]) -> str:
        cut = m.end("relation") - m.start()
        return " " * cut + m[0][cut:]

    return _RELATIVE.sub(blank, text)


def _people(text: str) -> frozenset[str]:
    groups = {r.group for r in relatives(text)}
    if _FIRST_PERSON.search(_mask_relatives(text)):
        groups.add("applicant")
    return frozenset(groups)


def parties(sentence: str, at: int) -> frozenset[str] | None:
    """Who the words at ``at`` are about: the people of their clause, else the last person
    named before them in the sentence; empty for a third person ("Ms. Fang"); None for nobody.
    People are "applicant" and the groups of :func:`relatives` ("spouse", "child" …)."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, at)]
    start = starts[-1] if starts else 0
    end_match = _CLAUSE_BREAK.search(sentence, at)
    clause = sentence[start : end_match.start() if end_match else len(sentence)]
    named = _people(clause)
    if named:
        return named
    if _THIRD_PERSON.search(clause):
        return frozenset()
    before = sentence[:start]
    masked = _mask_relatives(before)
    mentions = [(m.start(), "applicant") for m in _FIRST_PERSON.finditer(masked)]
    mentions += [(r.start, r.group) for r in relatives(before)]
    mentions += [(m.start(), "") for m in _THIRD_PERSON.finditer(masked)]
    if not mentions:
        return None
    last = max(mentions)[1]
    return frozenset({last}) if last else frozenset()


# --- the journey and the marriage -----------------------------------------------------------

_SUBORDINATE = re.compile(r"\b(?:after|since|before|until|till|when|once)\W+(?:\w+\W+)?$", re.I)
_CAME_BACK = re.compile(r"\b(?:returned|came back)\b", re.IGNORECASE)
_JOURNEY_GAP = 40


def _told(
    text: str,
    pattern: re.Pattern[str],
    *,
    skip: re.Pattern[str] | None = None,
    default: When | None = None,
) -> list[DateMention]:
    """The dates told with ``pattern`` by the applicant ("I", "we"); ``default`` for words told
    without a date (an event's summary: the event's own date)."""
    found = []
    for sentence in sentences(text):
        if skip is not None and skip.search(sentence):
            continue
        for segment in sentence.split(";"):
            segment_dates = point_dates(segment)
            for m in pattern.finditer(segment):
                who = parties(segment, m.start())
                if _SUBORDINATE.search(segment[: m.start()]) or not who or "applicant" not in who:
                    continue
                close = [d for d in segment_dates if _gap(d, m) <= _JOURNEY_GAP]
                if close:
                    found.append(min(close, key=lambda d: _gap(d, m)))
                elif default is not None:
                    found.append(DateMention(default, str(default), m.start(), m.end()))
    return found


def departures(text: str, country: str, *, default: When | None = None) -> list[DateMention]:
    """When the applicant says they left ``country`` ("On 16 February 2026 I left China");
    a sentence that also tells a return ("… and returned on 16 October") is a trip, skipped."""
    where = r"my (?:home |own )?country" + (f"|{re.escape(country)}" if country else "")
    verb = r"left|leaving|fled|fleeing|departed|departing|escaped|escaping"
    pattern = re.compile(rf"\b(?:{verb})\s+(?:from\s+)?(?:{where})\b", re.IGNORECASE)
    return _told(text, pattern, skip=_CAME_BACK, default=default)


def arrivals(
    text: str, places: Iterable[str] = (), *, default: When | None = None
) -> list[DateMention]:
    """When the applicant says they came to the United States (or to one of ``places``)."""
    us = [r"the United States", r"the U\.S\.?", r"the US", r"the USA", r"America"]
    us += [re.escape(p) for p in places if p]
    verb = r"arrived|arriving|entered|entering|came|coming|flew|flying|left"
    pattern = re.compile(
        rf"\b(?:{verb})\s+(?:in|into|to|at|for)\s+(?:{'|'.join(us)})(?!\w)"
        r"|\b(?:[Mm]y|[Oo]ur)\s+arrival\b"
    )
    return _told(text, pattern, default=default)


_MARRIED = re.compile(
    r"\b(?:I|[Ww]e)\s+(?:were\s+|got\s+)?married\b|\b(?:[Mm]y|[Oo]ur)\s+(?:marriage|wedding)\b"
    r"|\bmarried\s+(?:my\s+)?(?:wife|husband)\b"
)


def marriages(text: str) -> list[DateMention]:
    """When the applicant says they married ("My wife and I married on 3 October 1998")."""
    return _told(text, _MARRIED)


# --- durations and counts --------------------------------------------------------------------

_DURATION = re.compile(
    r"\b(?:for|spent)\s+(?P<q>about|around|approximately|roughly|some|nearly|almost|over|"
    rf"more than|less than|under|up to|at least)?\s*(?P<n>{NUMBER})\s+"
    r"(?P<unit>day|week|month|year)s?\b",
    re.IGNORECASE,
)
_UNIT_DAYS = {"day": (1, 1, 0), "week": (7, 7, 3), "month": (30, 30, 7), "year": (365, 366, 31)}
_DETENTION = re.compile(
    r"\b(?:arrested|detained|jailed|imprisoned|held|detention|custody|prison|jail)\b", re.I
)


@dataclass(frozen=True)
class Duration:
    """A length of time as a range of days ("two weeks" is 11 to 17 days)."""

    low: float
    high: float
    text: str
    parties: frozenset[str] | None


def _days(n: int, unit: str, qualifier: str) -> tuple[float, float]:
    low_per, high_per, slack = _UNIT_DAYS[unit]
    low, high = float(n * low_per - slack), float(n * high_per + slack)
    if qualifier in ("about", "around", "approximately", "roughly", "some"):
        return low * 0.8, high * 1.2
    if qualifier in ("nearly", "almost", "up to", "under", "less than"):
        return (0.0 if qualifier in ("up to", "under", "less than") else low * 0.7), high
    if qualifier in ("over", "more than", "at least"):
        return low, float("inf")
    return low, high


def durations(text: str) -> list[Duration]:
    """How long a detention lasted, where a sentence tells one ("held for 61 days")."""
    found = []
    for sentence in sentences(text):
        if not _DETENTION.search(sentence):
            continue
        for m in _DURATION.finditer(sentence):
            n = number(m["n"])
            if n is None:
                continue
            low, high = _days(n, m["unit"].lower(), (m["q"] or "").lower())
            found.append(Duration(low, high, m[0], parties(sentence, m.start())))
    return found


@dataclass(frozen=True)
class Count:
    """A number of things the text states: at least ``low``, at most ``high``."""

    low: int
    high: float
    text: str


_QUALIFIED = r"(?!\s+(?:who|that|in|living|still|at|abroad|here|there|from|of|with)\b)"
_CHILDREN = re.compile(
    rf"\b(?:my|our|I have|we have|I had|we had|(?:father|mother|parents) of)\s+(?P<n>{NUMBER})"
    rf"\s+(?:children|kids)\b{_QUALIFIED}"
    rf"|\b(?:my|our)\s+(?P<a>{NUMBER})\s+(?:sons?|daughters?)\s+and\s+(?P<b>{NUMBER})\s+"
    rf"(?:sons?|daughters?)\b{_QUALIFIED}",
    re.IGNORECASE,
)
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_DETENTIONS = re.compile(
    rf"\b(?:arrested|detained|jailed|imprisoned)\s+(?P<times>once|twice|thrice|{NUMBER}\s+times)"
    rf"\b|\b(?P<n>{NUMBER})\s+(?:arrests|detentions)\b"
    r"|\b(?:my|the)\s+(?P<nth>second|third|fourth|fifth)\s+(?:arrest|detention"
    r"|time\s+(?:I|we)\s+(?:was|were)\s+(?:arrested|detained|jailed))\b",
    re.IGNORECASE,
)
_ORDINALS = ("second", "third", "fourth", "fifth")


def children_counts(text: str) -> list[Count]:
    """ "my three children", "we have six children", "our two sons and one daughter"."""
    found = []
    for m in _CHILDREN.finditer(text):
        if m["n"]:
            n = number(m["n"])
        else:
            a, b = number(m["a"]), number(m["b"])
            n = None if a is None or b is None else a + b
        if n is not None:
            found.append(Count(n, n, m[0]))
    return found


def detention_counts(text: str) -> list[Count]:
    """How often the applicant says they were arrested or detained ("detained twice")."""
    found = []
    for sentence in sentences(text):
        for m in _DETENTIONS.finditer(sentence):
            who = parties(sentence, m.start())
            if who is None or "applicant" not in who:
                continue
            if m["nth"]:
                found.append(Count(_ORDINALS.index(m["nth"].lower()) + 2, float("inf"), m[0]))
                continue
            word = m["times"] or m["n"]
            word = word.lower().removesuffix(" times")
            n = _TIMES.get(word, number(word))
            if n is not None:
                found.append(Count(n, n, m[0]))
    return found
