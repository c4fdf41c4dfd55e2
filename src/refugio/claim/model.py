"""The dossier: what a claim needs beyond the I-589 answers (issue 5, points 1, 2 and 4).

A :class:`Dossier` sits beside the :class:`~refugio.model.Application` of a case. It holds

- the **timeline**: one :class:`Event` per harm, threat or act (a detention, a red notice, a
  hacked phone …), each with a date as precise as the applicant remembers it (:class:`When`);
- the **evidence**: one :class:`Evidence` per document, tagged to events and to the elements of
  the claim, with its English translation when it is in another language;
- the **declaration**: the personal statement, paragraph by paragraph, in the applicant's
  language and in English side by side.

Ids (``e1``, ``x3``) are chosen by the caller and never reused inside a dossier: links between
events and evidence are by id, and :meth:`Dossier.problems` names every dangling one.

The model is pure data: the web app seals it as JSON under the case's key, the CLI reads it
from a file; neither changes its shape.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from refugio.claim.languages import is_english

__all__ = [
    "APPLICANT",
    "Actor",
    "DocumentKind",
    "Dossier",
    "Element",
    "Event",
    "Evidence",
    "Ground",
    "Harm",
    "Interpreter",
    "Paragraph",
    "Section",
    "Translation",
    "When",
]

APPLICANT = "applicant"
"""In ``Event.harmed`` and ``Evidence.person``: the applicant, as opposed to a named person."""


class _Model(BaseModel):
    # As in refugio.model: an unknown key is an error, never a silently lost answer.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


_WHEN = re.compile(r"^(~)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class When(_Model):
    """A date as the applicant remembers it: a day, a month or only a year, maybe "around".

    Applicants often know "March 2016" or "around 2014" and nothing closer; forcing a day would
    invent a fact the officer may later find contradicted. Written ``2016-03-05``, ``2016-03``,
    ``2016`` or with a leading ``~`` for "around" (``~2016-03``).
    """

    year: int = Field(ge=1900, le=2100)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    around: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        # A dossier file may write "2016-03" or "~2016" instead of {"year": 2016, "month": 3}.
        return _parts(data) if isinstance(data, str) else data

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day needs a month")
            dt.date(self.year, self.month, self.day)  # ValueError for 31 April
        return self

    @classmethod
    def parse(cls, text: str) -> When:
        """``2016-03-05``, ``2016-03``, ``2016``, each optionally prefixed by ``~`` (around)."""
        return cls(**_parts(text))

    @classmethod
    def of(cls, date: dt.date) -> When:
        return cls(year=date.year, month=date.month, day=date.day)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return ("~" if self.around else "") + text

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return "day" if self.day else "month" if self.month else "year"

    def earliest(self) -> dt.date:
        """The first day this date may mean ("around" widens it by a step either side)."""
        first = dt.date(self.year, self.month or 1, self.day or 1)
        if not self.around:
            return first
        if self.day:
            return first - dt.timedelta(days=7)
        if self.month:
            return _add_months(first, -1)
        return dt.date(self.year - 1, 1, 1)

    def latest(self) -> dt.date:
        """The last day this date may mean."""
        if self.day and self.month:
            last = dt.date(self.year, self.month, self.day)
            return last + dt.timedelta(days=7) if self.around else last
        if self.month:
            end = dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
            if self.around:
                nxt = _add_months(end.replace(day=1), 1)
                return nxt.replace(day=calendar.monthrange(nxt.year, nxt.month)[1])
            return end
        return dt.date(self.year + (1 if self.around else 0), 12, 31)

    def overlaps(self, other: When) -> bool:
        """Whether the two dates can mean the same day: the test for a contradiction."""
        return self.earliest() <= other.latest() and other.earliest() <= self.latest()

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """Order by the middle of the span: "around April 2026" comes after "3 March 2026",
        though its earliest day (1 March) is before it."""
        first, last = self.earliest(), self.latest()
        return (first + (last - first) / 2, first)


def _parts(text: str) -> dict[str, Any]:
    m = _WHEN.match(text.strip())
    if not m:
        raise ValueError(f"{text!r}: expected YYYY-MM-DD, YYYY-MM or YYYY, '~' for around")
    around, year, month, day = m.groups()
    return {
        "year": int(year),
        "month": int(month) if month else None,
        "day": int(day) if day else None,
        "around": bool(around),
    }


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class Actor(StrEnum):
    """Who acted (the persecutor): whether the state or someone it cannot or will not control
    is decisive for the claim (INA §101(a)(42); 8 CFR 208.13(b))."""

    POLICE = "police"
    SECURITY_SERVICES = "security_services"
    MILITARY = "military"
    PARTY_OFFICIALS = "party_officials"
    GOVERNMENT_OFFICIALS = "government_officials"
    PROSECUTORS_OR_COURTS = "prosecutors_or_courts"
    ARMED_GROUP = "armed_group"
    GANG = "gang"
    COMMUNITY_OR_FAMILY = "community_or_family"
    UNKNOWN = "unknown"
    OTHER = "other"


class Harm(StrEnum):
    """What happened. The transnational kinds (red notice, extradition request, pressure on
    family or business partners abroad) are listed because dissidents abroad meet them."""

    THREAT = "threat"
    DETENTION = "detention"
    INTERROGATION = "interrogation"
    BEATING = "beating"
    TORTURE = "torture"
    SEXUAL_VIOLENCE = "sexual_violence"
    SURVEILLANCE = "surveillance"
    DEVICE_HACKING = "device_hacking"
    FAMILY_PRESSURE = "family_pressure"
    BUSINESS_PRESSURE = "business_pressure"
    INTERPOL_NOTICE = "interpol_notice"
    EXTRADITION_REQUEST = "extradition_request"
    TRAVEL_BAN = "travel_ban"
    CONFISCATION = "confiscation"
    PROSECUTION = "prosecution"
    DISMISSAL = "dismissal"
    DISAPPEARANCE = "disappearance"
    KILLING = "killing"
    OTHER = "other"


DETAINING = frozenset({Harm.DETENTION, Harm.PROSECUTION, Harm.INTERROGATION})
"""Kinds that answer Part B item 2 (arrested, charged, convicted, detained or imprisoned)."""


class Ground(StrEnum):
    """The protected grounds of Part B item 1 (INA §101(a)(42)(A)) and the Torture Convention;
    the values are the field names of :class:`refugio.model.Grounds`."""

    RACE = "race"
    RELIGION = "religion"
    NATIONALITY = "nationality"
    POLITICAL_OPINION = "political_opinion"
    PARTICULAR_SOCIAL_GROUP = "particular_social_group"
    TORTURE_CONVENTION = "torture_convention"


class Element(StrEnum):
    """The elements of an asylum claim a piece of evidence can corroborate (8 CFR 208.13;
    instructions Part 1 §VII: country conditions and the specific facts)."""

    IDENTITY = "identity"
    RELATIONSHIP = "relationship"
    PAST_PERSECUTION = "past_persecution"
    NEXUS = "nexus"
    WELL_FOUNDED_FEAR = "well_founded_fear"
    STATE_PROTECTION = "state_protection"
    NO_RELOCATION = "no_relocation"
    COUNTRY_CONDITIONS = "country_conditions"
    ONE_YEAR_EXCEPTION = "one_year_exception"


class Event(_Model):
    """One harm, threat or act on the timeline."""

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="stable id, e.g. e1")
    when: When = Field(description="when it happened (or began)")
    until: When | None = Field(default=None, description="when it ended (a detention), if it did")
    place: str = Field(default="", description="city and country, or where (e.g. 'online')")
    actors: list[Actor] = Field(default_factory=list, description="who acted")
    actor_detail: str = Field(default="", description="which unit, office or person")
    kinds: list[Harm] = Field(default_factory=list, description="what happened")
    summary: str = Field(default="", description="what happened, in the applicant's words")
    summary_en: str = Field(default="", description="the same in English")
    harmed: list[str] = Field(
        default_factory=lambda: [APPLICANT],
        description="whom it harmed: 'applicant' or people's names",
    )
    witnesses: list[str] = Field(default_factory=list, description="who saw or knows of it")
    grounds: list[Ground] = Field(default_factory=list, description="why: the protected grounds")
    evidence: list[str] = Field(default_factory=list, description="ids of evidence for it")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.until is not None and self.until.latest() < self.when.earliest():
            raise ValueError(
                f"event {self.id}: it ends ({self.until}) before it begins ({self.when})"
            )
        return self

    @property
    def days(self) -> tuple[int, int] | None:
        """How many days it lasted, as a range (the dates may be approximate), if it ended."""
        if self.until is None:
            return None
        shortest = max(0, (self.until.earliest() - self.when.latest()).days) + 1
        longest = (self.until.latest() - self.when.earliest()).days + 1
        return (shortest, longest)


class DocumentKind(StrEnum):
    PASSPORT = "passport"
    IDENTITY = "identity"
    RELATIONSHIP = "relationship"
    STATEMENT = "statement"
    MEDICAL = "medical"
    OFFICIAL = "official"
    MEDIA = "media"
    COUNTRY_CONDITIONS = "country_conditions"
    PHOTO = "photo"
    OTHER = "other"


class Translation(_Model):
    """The English translation of a foreign-language document, and who certifies it.

    Instructions Part 1 §VI ("Translations"): a full English translation, certified by the
    translator as complete and accurate, and a certification that the translator is competent
    to translate from the language into English. Refugio generates that certificate.
    """

    file: str = Field(description="the translation: a path (CLI) or a stored file's id (web)")
    translator: str = Field(description="the translator's full name")
    address: str = Field(default="", description="the translator's address")
    phone: str = Field(default="", description="the translator's telephone number")
    date: dt.date | None = Field(default=None, description="date of the certificate")


class Evidence(_Model):
    """One document or photo offered as evidence."""

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="stable id, e.g. x1")
    title: str = Field(description="short title for the exhibit index")
    description: str = Field(default="", description="what it shows, for the exhibit index")
    kind: DocumentKind = DocumentKind.OTHER
    file: str = Field(description="the document: a path (CLI) or a stored file's id (web)")
    language: str = Field(
        default="en",
        description="language of the document (BCP 47, e.g. 'en', 'ru', 'zh'; 'zxx': no text)",
    )
    date: When | None = Field(default=None, description="date of the document, if it has one")
    place: str = Field(default="", description="where it was issued or taken")
    issued_by: str = Field(default="", description="who issued or wrote it")
    person: str = Field(
        default=APPLICANT, description="whom it is about: 'applicant' or a family member's name"
    )
    people: list[str] = Field(default_factory=list, description="other people it names")
    events: list[str] = Field(default_factory=list, description="ids of the events it supports")
    elements: list[Element] = Field(default_factory=list, description="what it corroborates")
    translation: Translation | None = None

    @property
    def needs_translation(self) -> bool:
        # "zxx" (BCP 47: no linguistic content): a photo or a map has nothing to translate.
        # English as refugio.claim.languages decides it ("enq", Enga, is not English).
        return not (is_english(self.language) or self.language.strip().lower() == "zxx")


class Section(StrEnum):
    """The parts of the declaration, in the order it is told (issue 5, point 2)."""

    BACKGROUND = "background"
    BELIEFS = "beliefs"
    HARMS = "harms"
    GROUNDS = "grounds"
    RETURN = "return"
    PROTECTION = "protection"
    FAMILY = "family"
    JOURNEY = "journey"
    ONE_YEAR = "one_year"


class Paragraph(_Model):
    """One paragraph of the declaration, in the applicant's language and in English."""

    section: Section
    event: str | None = Field(default=None, description="the event it tells, if any")
    key: str = Field(
        default="",
        max_length=64,
        description="which drafted text it is (e.g. 'background.0'); empty for one a person added",
    )
    native: str = Field(default="", description="in the applicant's language")
    english: str = Field(default="", description="in English")
    edited: bool = Field(
        default=False, description="changed by a person: a redraft keeps it as it is"
    )


class Interpreter(_Model):
    """Who read the declaration to the applicant in their language (the certificate)."""

    name: str
    address: str = ""
    phone: str = ""
    language: str = Field(description="the language read in, e.g. 'Russian'")


class Dossier(_Model):
    """Everything about a claim beyond the I-589 answers."""

    language: str = Field(
        default="en", description="the applicant's language for the declaration (BCP 47)"
    )
    language_name: str = Field(default="", description="its name in English, e.g. 'Russian'")
    events: list[Event] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    declaration: list[Paragraph] = Field(default_factory=list)
    interpreter: Interpreter | None = None

    @model_validator(mode="after")
    def _both_ways(self) -> Self:
        """A link between an event and a piece of evidence is kept on both sides, whichever side
        a file or a page named it on: the timeline lists its evidence, the exhibit index its
        events, and neither may miss one."""
        events, items = {e.id: e for e in self.events}, {x.id: x for x in self.evidence}
        for event in self.events:
            for x_id in event.evidence:
                if x_id in items and event.id not in items[x_id].events:
                    items[x_id].events = [*items[x_id].events, event.id]
        for item in self.evidence:
            for e_id in item.events:
                if e_id in events and item.id not in events[e_id].evidence:
                    events[e_id].evidence = [*events[e_id].evidence, item.id]
        return self

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def item(self, evidence_id: str) -> Evidence | None:
        return next((x for x in self.evidence if x.id == evidence_id), None)

    def timeline(self) -> list[Event]:
        """The events in the order they happened (approximate dates by their earliest day)."""
        return sorted(self.events, key=lambda e: e.when.sort_key())

    def problems(self) -> list[str]:
        """Broken links and duplicate ids, each naming the item; empty when whole."""
        found: list[str] = []
        for kind, ids in (
            ("event", [e.id for e in self.events]),
            ("evidence", [x.id for x in self.evidence]),
        ):
            seen: set[str] = set()
            for i in ids:
                if i in seen:
                    found.append(f"{kind} {i}: the id is used twice")
                seen.add(i)
        events = {e.id for e in self.events}
        items = {x.id for x in self.evidence}
        for e in self.events:
            found += [
                f"event {e.id}: evidence {x} does not exist" for x in e.evidence if x not in items
            ]
        for x in self.evidence:
            found += [
                f"evidence {x.id}: event {e} does not exist" for e in x.events if e not in events
            ]
        found += [
            f"evidence {x.id}: it has an English translation, but its language is "
            f"'{x.language}': give the language of the document itself"
            for x in self.evidence
            if x.translation is not None and not x.needs_translation
        ]
        for n, p in enumerate(self.declaration, 1):
            if p.event is not None and p.event not in events:
                found.append(f"declaration paragraph {n}: event {p.event} does not exist")
        return found
