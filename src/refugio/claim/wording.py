"""The facts of a claim in plain first-person English, for the declaration and Part B.

Every sentence is built from fields and says no more than they do: a date remembered as
"March 2016" is written "in March 2016", never "on March 1, 2016"; "around 2014" keeps its
"around" (refugio.claim.model.When); a deed with no recorded actor is told in the passive
rather than given an invented subject; a person the form knows is called by the relation it
records ("my wife Qiu Wanling", Part A.II). Dates are written the US way ("June 3, 2025"):
the reader is a US asylum officer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from refugio.claim.model import APPLICANT, Actor, Event, Harm, When
from refugio.model import Application

__all__ = [
    "ACTORS",
    "CHILD",
    "SPOUSE",
    "STATE",
    "Names",
    "and_list",
    "cap",
    "date_words",
    "dated",
    "event_text",
    "lower_first",
    "month_year",
    "number_word",
    "page_header",
    "period",
    "person",
    "pronoun",
    "relation",
    "when_at",
    "when_words",
    "who_acted",
]

_MONTHS = (
    *("", "January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


# -- words --------------------------------------------------------------------------------------


def and_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c" (empty items left out)."""
    items = [i for i in items if i]
    if len(items) < 3:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def cap(text: str) -> str:
    """The first letter upper-case, the rest as written (unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """ "Owner, chairman" -> "owner, chairman", but "CEO" stays "CEO"."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def number_word(n: int) -> str:
    """ "six" up to ten, digits above."""
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def date_words(day: dt.date) -> str:
    """ "June 3, 2025"."""
    return f"{_MONTHS[day.month]} {day.day}, {day.year}"


def when_words(when: When) -> str:
    """A remembered date in words, no closer than it is known: "June 2025", "around 2014"."""
    if when.month and when.day:
        text = date_words(dt.date(when.year, when.month, when.day))
    elif when.month:
        text = f"{_MONTHS[when.month]} {when.year}"
    else:
        text = str(when.year)
    return f"around {text}" if when.around else text


def when_at(when: When) -> str:
    """The date with its preposition: "on June 3, 2025", "in June 2025", "around 2014"."""
    if when.around:
        return when_words(when)
    return ("on " if when.day else "in ") + when_words(when)


def month_year(value: str) -> str:
    """A Part A.III month ("2019-04" or "present") in words."""
    if value == "present":
        return "the present"
    year, month = value.split("-")
    return f"{_MONTHS[int(month)]} {year}"


def period(start: str | None, end: str | None) -> tuple[str, bool]:
    """("from May 2019 to June 2021", False), or ("since May 2026", True) while it goes on."""
    if end == "present":
        return (f"since {month_year(start)}" if start else "", True)
    if start and end:
        return (f"from {month_year(start)} to {month_year(end)}", False)
    if start:
        return (f"from {month_year(start)}", False)
    return (f"until {month_year(end)}" if end else "", False)


def dated(start: str | None, end: str | None, past: str, ongoing: str, rest: str) -> str:
    """ "From May 2019 to June 2021 I lived at …" or "Since May 2026 I have lived at …"."""
    when, goes_on = period(start, end)
    said = f"I {ongoing if goes_on else past}" + (f" {rest}" if rest else "")
    return cap(f"{when} {said}." if when else f"{said}.")


# -- people -------------------------------------------------------------------------------------


def _key(name: str) -> frozenset[str]:
    return frozenset(re.split(r"[\s,]+", name.casefold().strip())) - {""}


class Names:
    """How the declaration calls a person the form knows: "my wife Qiu Wanling"."""

    def __init__(self, app: Application) -> None:
        self.known: dict[frozenset[str], str] = {}
        if app.spouse is not None:
            s = app.spouse
            self._add(s.first_name, s.middle_name, s.last_name, sex=s.sex, kin=SPOUSE)
        for c in app.children:
            self._add(c.first_name, c.middle_name, c.last_name, sex=c.sex, kin=CHILD)
        b = app.background
        for member, kin in ((b.mother, "mother"), (b.father, "father")):
            if member is not None:
                self.known.setdefault(_key(member.full_name), kin)
        for sibling in b.siblings:  # Part A.III gives no sex: "brother" would be a guess
            self.known.setdefault(_key(sibling.full_name), "sibling")

    def _add(self, first: str, middle: str, last: str, sex: str | None, kin: _Kin) -> None:
        # With and without the middle name: people are mostly named without it.
        for name in (person(first, middle, last), person(first, last)):
            self.known.setdefault(_key(name), relation(sex, *kin))

    def of(self, name: str) -> str:
        """The name as written, after the relation the form gives: "my son Cen Mingyu"."""
        kin = self.known.get(_key(name))
        return f"my {kin} {name}" if kin else name


_Kin = tuple[str, str, str]  # what a woman, a man or a person of unknown sex is called
SPOUSE = ("wife", "husband", "spouse")
CHILD = ("daughter", "son", "child")


def person(*names: str) -> str:
    """Name parts in reading order, the empty ones left out."""
    return " ".join(n for n in names if n)


def relation(sex: str | None, female: str, male: str, other: str) -> str:
    """ "wife", "husband" or "spouse" as the form records the sex (never guessed)."""
    return female if sex == "female" else male if sex == "male" else other


def pronoun(sex: str | None, name: str) -> str:
    """ "She", "He", or the name itself when the form records no sex."""
    return "She" if sex == "female" else "He" if sex == "male" else name


# -- events -------------------------------------------------------------------------------------

ACTORS = {
    Actor.POLICE: "the police",
    Actor.SECURITY_SERVICES: "the security services",
    Actor.MILITARY: "the military",
    Actor.PARTY_OFFICIALS: "party officials",
    Actor.GOVERNMENT_OFFICIALS: "government officials",
    Actor.PROSECUTORS_OR_COURTS: "prosecutors or courts",
    Actor.ARMED_GROUP: "an armed group",
    Actor.GANG: "a gang",
    Actor.COMMUNITY_OR_FAMILY: "people from my community or family",
}
# The actors who are the state itself (as opposed to those it may not control; 8 CFR 208.13).
STATE = (
    Actor.POLICE,
    Actor.SECURITY_SERVICES,
    Actor.MILITARY,
    Actor.GOVERNMENT_OFFICIALS,
    Actor.PROSECUTORS_OR_COURTS,
)

# (active, passive) for deeds done to the people harmed: "detained me" / "I was detained".
_VERBS = {
    Harm.THREAT: ("threatened", "threatened"),
    Harm.DETENTION: ("detained", "detained"),
    Harm.INTERROGATION: ("interrogated", "interrogated"),
    Harm.BEATING: ("beat", "beaten"),
    Harm.TORTURE: ("tortured", "tortured"),
    Harm.SEXUAL_VIOLENCE: ("sexually assaulted", "sexually assaulted"),
    Harm.PROSECUTION: ("prosecuted", "prosecuted"),
    Harm.KILLING: ("killed", "killed"),
    Harm.OTHER: ("harmed", "harmed"),
}
# (active, passive) phrases for the other kinds; {obj} "me", {subj} "I", {be} "was", {poss} "my".
_PHRASES = {
    Harm.SURVEILLANCE: ("kept {obj} under surveillance", "{subj} {be} kept under surveillance"),
    Harm.DEVICE_HACKING: ("broke into {poss} devices", "{poss} devices were broken into"),
    Harm.INTERPOL_NOTICE: (
        "sought an Interpol notice against {obj}",
        "an Interpol notice was sought against {obj}",
    ),
    Harm.EXTRADITION_REQUEST: ("requested {poss} extradition", "{poss} extradition was requested"),
    Harm.TRAVEL_BAN: ("banned {obj} from travelling", "{subj} {be} banned from travelling"),
    Harm.CONFISCATION: ("confiscated {poss} property", "{poss} property was confiscated"),
    Harm.DISMISSAL: ("dismissed {obj} from work", "{subj} {be} dismissed from work"),
    Harm.DISAPPEARANCE: ("made {obj} disappear", "{subj} {be} made to disappear"),
}
# Pressure on the applicant's family or business partners: the people named in ``harmed`` are
# the ones pressured; the applicant among them means "my family" / "my business".
_PRESSURE = {Harm.FAMILY_PRESSURE: "my family", Harm.BUSINESS_PRESSURE: "my business"}
_PRESSURED = ("put pressure on", "put under pressure")


@dataclass(frozen=True)
class _Who:
    """The people an event harmed, as object, subject and possessive."""

    me: bool
    others: list[str]

    @property
    def obj(self) -> str:
        return and_list([*self.others, "me" if self.me else ""])

    @property
    def subj(self) -> str:
        return and_list([*self.others, "I" if self.me else ""])

    @property
    def be(self) -> str:
        return "were" if len(self.others) + self.me > 1 else "was"

    @property
    def poss(self) -> str:
        return and_list([*(f"{o}'s" for o in self.others), "my" if self.me else ""])

    def fill(self, template: str) -> str:
        return template.format(obj=self.obj, subj=self.subj, be=self.be, poss=self.poss)


def who_acted(event: Event) -> str:
    named = [ACTORS[a] for a in dict.fromkeys(event.actors) if a in ACTORS]
    if not named:
        return ""
    detail = f" ({event.actor_detail.strip()})" if event.actor_detail.strip() else ""
    return and_list(named) + detail


def _pressure(kind: Harm, who: _Who, passive: bool) -> str:
    """Pressure on "my family" (or "my business") when the applicant is among the harmed,
    and on the people named beside."""
    mine = _PRESSURE[kind]
    if passive:
        be = "were" if who.others else "was"
        return f"{and_list([mine, *who.others])} {be} put under pressure"
    others = f" and on {and_list(who.others)}" if who.others else ""
    return f"put pressure on {mine}{others}"


def _deeds(event: Event, names: Names) -> str:
    """ "the police detained and beat me", or "I was detained and beaten" when no one is named
    as having acted; empty when the event names no deed or no one harmed."""
    kinds = list(dict.fromkeys(event.kinds))
    if not kinds or not event.harmed:
        return ""
    who = _Who(APPLICANT in event.harmed, [names.of(h) for h in event.harmed if h != APPLICANT])
    subject = who_acted(event)
    passive = not subject or _shared_act(event)
    # Without the applicant among them, pressure falls on the people named: a plain verb.
    plain = {**_VERBS, **({} if who.me else dict.fromkeys(_PRESSURE, _PRESSURED))}
    verbs = [plain[k][passive] for k in kinds if k in plain]
    parts = []
    if verbs:
        parts.append(
            f"{who.subj} {who.be} {and_list(verbs)}" if passive else f"{and_list(verbs)} {who.obj}"
        )
    for k in kinds:
        if k in _PHRASES:
            parts.append(who.fill(_PHRASES[k][passive]))
        elif k in _PRESSURE and k not in plain:
            parts.append(_pressure(k, who, passive))
    clause = and_list(parts)
    return clause if passive else f"{subject} {clause}"


# Acts of a state as a whole (a red notice, an extradition request): with several actors on
# the event, no one of them is said to have done it ("the police and the courts requested my
# extradition" would be false); the sentence is passive and names those responsible after it.
_STATE_ACTS = frozenset({Harm.INTERPOL_NOTICE, Harm.EXTRADITION_REQUEST})


def _shared_act(event: Event) -> bool:
    named = {a for a in event.actors if a not in (Actor.UNKNOWN, Actor.OTHER)}
    return len(named) > 1 and any(k in _STATE_ACTS for k in event.kinds)


def _where(place: str) -> str:
    place = place.strip()
    if not place:
        return ""
    first = place.split(" ", 1)[0].lower()
    return (
        place if first in {"online", "in", "at", "near", "outside", "by", "on"} else f"in {place}"
    )


def event_text(event: Event, names: Names) -> str:
    """One event told in plain first-person sentences, from its fields only."""
    when = (
        f"from {when_words(event.when)} to {when_words(event.until)}"
        if event.until
        else when_at(event.when)
    )
    lead = ", ".join(p for p in (when, _where(event.place)) if p)
    deeds = _deeds(event, names)
    subject, detail = who_acted(event), event.actor_detail.strip()
    out = []
    if deeds:
        out.append(cap(f"{lead}, {deeds}."))
    if event.summary_en.strip():
        out.append(event.summary_en.strip())
    if not deeds:
        out.append(f"This happened {lead}.")
    if not (deeds and subject) or _shared_act(event):  # who acted is not said yet
        if subject:
            out.append(f"Those responsible were {subject}.")
        elif detail:
            out.append(f"This was done by {detail}.")
        elif Actor.UNKNOWN in event.actors:
            out.append("I do not know who did this.")
    if event.days and event.days[0] == event.days[1] > 1:
        out.append(f"It lasted {event.days[0]} days.")
    witnesses = [names.of(w) for w in event.witnesses if w != APPLICANT]
    if witnesses:
        verb = "saw or knows" if len(witnesses) == 1 else "saw or know"
        out.append(cap(f"{and_list(witnesses)} {verb} of it."))
    return " ".join(out)


def page_header(application: Application) -> str:
    """The header of every page Refugio writes for the application: the name exactly as in
    Part A.I and the A-Number, "none" if there is none (instructions Part 1 §V, NOTE; §X,
    NOTE), e.g. "Cen, Liheng  ·  A-Number: none"."""
    a_number = application.applicant.a_number.strip() or "none"
    return f"{application.name_as_in_part_a}  ·  A-Number: {a_number}"
