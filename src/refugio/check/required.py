"""Rule 1: no question is left blank.

The instructions want every question answered, with "none", "not applicable" or "unknown" where
that is the answer (Part 1 §V, p. 5); an application without a response to each question is
returned as incomplete (§XI, item 1, p. 9), as USCIS did systematically from October 2019 to
April 2021. So a blank is an *error* where the applicant must supply the answer, and a *warning*
where having nothing is normal (no A-Number, no other names...): `refugio fill --na` writes N/A
into those boxes.

Each block of the form is a table of (attribute, label, kind) in form order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel

from refugio.check.finding import Finding, Text, error, phrase, warning
from refugio.model import Address, Application, Residence, YesNo
from refugio.paths import na_word

__all__ = ["REQUIRED", "blank", "required"]

Kind = Literal["required", "na"]
Spec = tuple[str, Text, Kind]

REQ: Kind = "required"
NA: Kind = "na"

_APPLICANT: tuple[Spec, ...] = (
    ("a_number", phrase("A-Number"), NA),
    ("ssn", phrase("Social Security Number"), NA),
    ("uscis_online_account_number", phrase("USCIS online account number"), NA),
    ("last_name", phrase("last name"), REQ),
    ("first_name", phrase("first name"), REQ),
    ("middle_name", phrase("middle name"), NA),
    ("other_names", phrase("other names used"), NA),
    ("sex", phrase("sex"), REQ),
    ("marital_status", phrase("marital status"), REQ),
    ("date_of_birth", phrase("date of birth"), REQ),
    ("city_and_country_of_birth", phrase("city and country of birth"), REQ),
    ("present_nationality", phrase("present nationality"), REQ),
    ("nationality_at_birth", phrase("nationality at birth"), REQ),
    ("race_ethnic_or_tribal_group", phrase("race, ethnic or tribal group"), REQ),
    ("religion", phrase("religion"), REQ),
    ("immigration_court", phrase("immigration court proceedings (never, now or in the past)"), REQ),
    ("last_departure_date", phrase("date you last left your country"), REQ),
    # Instructions p. 5: 'If you did not receive Form I-94, write "None."'
    ("i94_number", phrase("I-94 number"), NA),
    ("entries", phrase("entries into the US"), REQ),
    ("passport_country", phrase("country that issued your last passport or travel document"), NA),
    ("passport_expiration", phrase("passport expiration date"), NA),
    ("native_language", phrase("native language"), REQ),
    ("fluent_in_english", phrase("whether you are fluent in English"), REQ),
    ("other_languages", phrase("other languages you speak fluently"), NA),
)
# Instructions p. 5: 'If you entered without being inspected ... write "No Inspection"'.
_ENTRY: tuple[Spec, ...] = (
    ("date", phrase("date of entry"), REQ),
    ("place", phrase("place of entry"), REQ),
    ("status", phrase("status at entry"), REQ),
)
_RELATIVE: tuple[Spec, ...] = (
    ("a_number", phrase("A-Number"), NA),
    ("passport_number", phrase("passport or ID card number"), NA),
    ("ssn", phrase("Social Security Number"), NA),
    ("last_name", phrase("last name"), REQ),
    ("first_name", phrase("first name"), REQ),
    ("middle_name", phrase("middle name"), NA),
    ("date_of_birth", phrase("date of birth"), REQ),
    ("city_and_country_of_birth", phrase("city and country of birth"), REQ),
    ("nationality", phrase("nationality"), REQ),
    ("race_ethnic_or_tribal_group", phrase("race, ethnic or tribal group"), REQ),
    ("sex", phrase("sex"), REQ),
    ("in_us", phrase("whether this person is in the US"), REQ),
)
_SPOUSE: tuple[Spec, ...] = (
    ("other_names", phrase("other names used"), NA),
    ("date_of_marriage", phrase("date of marriage"), REQ),
    ("place_of_marriage", phrase("place of marriage"), REQ),
)
_CHILD: tuple[Spec, ...] = (("marital_status", phrase("marital status"), REQ),)
# Blocks 16-24 (spouse) and 14-21 (child): "Yes (Complete Blocks ...)".
_RELATIVE_IN_US: tuple[Spec, ...] = (
    ("place_of_last_entry", phrase("place of last entry"), REQ),
    ("date_of_last_entry", phrase("date of last entry"), REQ),
    ("i94_number", phrase("I-94 number"), NA),
    ("status_when_last_admitted", phrase("status when last admitted"), REQ),
    ("current_status", phrase("current status"), REQ),
    ("authorized_stay_expires", phrase("expiration date of authorized stay"), NA),
    ("in_immigration_court", phrase("whether in immigration court proceedings"), REQ),
    ("include_in_application", phrase("whether to include this person in the application"), REQ),
)
_SPOUSE_IN_US: tuple[Spec, ...] = (
    ("previous_arrival_date", phrase("date of previous arrival"), NA),
)
_RELATIVE_ABROAD: tuple[Spec, ...] = (("location", phrase("location (not in the US)"), REQ),)
_ADDRESS: tuple[Spec, ...] = (
    ("street", phrase("street number and name"), REQ),
    ("apartment", phrase("apartment number"), NA),
    ("city", phrase("city"), REQ),
    ("state", phrase("state"), REQ),
    ("zip_code", phrase("ZIP code"), REQ),
)
# Part A.III, item 1 asks for the street "if available"; item 2 does not.
_LAST_ADDRESS: tuple[Spec, ...] = (
    ("street", phrase("number and street"), NA),
    ("city", phrase("city or town"), REQ),
    ("province", phrase("department, province or state"), NA),
    ("country", phrase("country"), REQ),
    ("start", phrase("from (month and year)"), REQ),
    ("end", phrase("to (month and year)"), REQ),
)
_RESIDENCE: tuple[Spec, ...] = (("street", phrase("number and street"), REQ), *_LAST_ADDRESS[1:])
_SCHOOL: tuple[Spec, ...] = (
    ("name", phrase("name of school"), REQ),
    ("type", phrase("type of school"), REQ),
    ("location", phrase("location"), REQ),
    ("start", phrase("attended from"), REQ),
    ("end", phrase("attended to"), REQ),
)
_JOB: tuple[Spec, ...] = (
    ("employer", phrase("name and address of employer"), REQ),
    ("occupation", phrase("occupation"), REQ),
    ("start", phrase("from (month and year)"), REQ),
    ("end", phrase("to (month and year)"), REQ),
)
_BACKGROUND_LISTS: tuple[Spec, ...] = (
    ("education", phrase("education"), NA),
    ("employment", phrase("employment during the past 5 years"), NA),
)
# Part A.III, item 5: "unknown" is an answer for a parent's name, a blank is not.
_PARENTS_AND_SIBLINGS: tuple[Spec, ...] = (
    ("mother", phrase("mother"), REQ),
    ("father", phrase("father"), REQ),
    ("siblings", phrase("brothers and sisters"), NA),
)
_MEMBER: tuple[Spec, ...] = (
    ("full_name", phrase("full name"), REQ),
    ("city_and_country_of_birth", phrase("city and country of birth"), REQ),
)
_LOCATION: Spec = ("current_location", phrase("current location"), REQ)
_YES_NO = (
    (
        "claim",
        (
            "past_harm",
            "fear_of_return",
            "arrested_abroad",
            "organizations",
            "organizations_continuing",
            "fear_of_torture",
        ),
    ),
    (
        "additional",
        ("prior_applications", "caused_harm", "returned", "filing_after_one_year", "crimes"),
    ),
)
_SIGNATURE: tuple[Spec, ...] = (
    # Latin-alphabet natives write their name again: the box is a question like any other.
    (
        "native_alphabet_name",
        phrase("your name in your native alphabet (the same if it is Latin)"),
        REQ,
    ),
    ("family_assisted", phrase("whether your spouse, parent or children assisted you"), REQ),
    ("prepared_by_other", phrase("whether someone else prepared this application"), REQ),
    (
        "received_counsel_list",
        phrase("whether you received a list of free or low-cost legal help"),
        REQ,
    ),
)
_ASSISTANT: tuple[Spec, ...] = (
    ("name", phrase("name"), REQ),
    ("relationship", phrase("relationship"), REQ),
)


def _required_names() -> frozenset[str]:
    tables = [v for k, v in globals().items() if k.startswith("_") and isinstance(v, tuple)]
    names = {
        spec[0]
        for table in tables
        for spec in (table if table and isinstance(table[0], tuple) else (table,))
        if len(spec) == 3 and isinstance(spec[0], str) and spec[2] == REQ
    }
    # Yes/no questions (Part B, Part C) need their answer, and their explanation after "yes".
    # Part C, items 2.A-2.B: asked by name below, not through a table.
    asked = {"travel_through_other_countries", "status_in_other_countries"}
    return frozenset({*names, *asked, "answer", "explanation", "other_countries_explanation"})


REQUIRED: frozenset[str] = _required_names()
"""Attribute names the checker requires wherever they are asked (a blank is an error)."""


def blank(value: object) -> bool:
    """None, an empty or all-space string, or an empty list."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return value is None


def _blank(path: str, label: Text, kind: Kind, value: object) -> Finding:
    if kind == NA:
        return warning(
            path,
            "%(label)s is blank; `fill --na` will write %(word)s",
            label=label,
            word=na_word(path),
        )
    # Only a text box can take "none" or "unknown"; a name cannot be "not applicable".
    if isinstance(value, str) and not path.endswith("_alphabet_name"):
        return error(
            path,
            '%(label)s is unanswered (write "none", "not applicable" or "unknown" if that is '
            "the answer)",
            label=label,
        )
    return error(path, "%(label)s is unanswered", label=label)


def _check(obj: BaseModel, prefix: str, specs: Iterable[Spec]) -> Iterator[Finding]:
    for attr, label, kind in specs:
        value = getattr(obj, attr)
        if blank(value):
            yield _blank(f"{prefix}.{attr}", label, kind, value)


def _address(address: Address, prefix: str, phone: Kind) -> Iterator[Finding]:
    yield from _check(address, prefix, _ADDRESS)
    if blank(address.phone_area_code) and blank(address.phone_number):
        yield _blank(f"{prefix}.phone_number", phrase("telephone number"), phone, "")


def _applicant(app: Application) -> Iterator[Finding]:
    a = app.applicant
    yield from _check(a, "applicant", _APPLICANT)
    yield from _address(a.residence, "applicant.residence", phone=NA)
    if a.mailing_address is None:
        yield _blank("applicant.mailing_address", phrase("mailing address"), NA, None)
    else:
        yield from _address(a.mailing_address, "applicant.mailing_address", phone=NA)
        yield from _check(
            a.mailing_address,
            "applicant.mailing_address",
            (("in_care_of", phrase("in care of"), NA),),
        )
    for i, entry in enumerate(a.entries):
        yield from _check(entry, f"applicant.entries[{i}]", _ENTRY)
    if a.entries and a.entries[0].status_expires is None:  # the form has this box on row 1 only
        yield _blank("applicant.entries[0].status_expires", phrase("date status expires"), NA, None)
    if blank(a.passport_number) and blank(a.travel_document_number):  # item 21: either will do
        yield _blank(
            "applicant.passport_number", phrase("passport or travel document number"), NA, ""
        )


def _relative(
    person: BaseModel, prefix: str, own: tuple[Spec, ...], in_us_only: tuple[Spec, ...]
) -> Iterator[Finding]:
    yield from _check(person, prefix, (*_RELATIVE, *own))
    in_us = getattr(person, "in_us", None)
    if in_us is True:
        yield from _check(person, prefix, (*_RELATIVE_IN_US, *in_us_only))
    elif in_us is False:
        yield from _check(person, prefix, _RELATIVE_ABROAD)


def _family(app: Application) -> Iterator[Finding]:
    if app.spouse is not None:
        yield from _relative(app.spouse, "spouse", _SPOUSE, _SPOUSE_IN_US)
    for i, child in enumerate(app.children):
        yield from _relative(child, f"children[{i}]", _CHILD, ())


def _places(
    places: list[Residence], prefix: str, label: Text, specs: tuple[Spec, ...]
) -> Iterator[Finding]:
    if not places:
        yield _blank(prefix, label, REQ, places)
    for i, place in enumerate(places):
        yield from _check(place, f"{prefix}[{i}]", specs)


def _background(app: Application) -> Iterator[Finding]:
    b, prefix = app.background, "background"
    yield from _places(
        b.last_addresses_before_us,
        f"{prefix}.last_addresses_before_us",
        phrase("last address before coming to the US"),
        _LAST_ADDRESS,
    )
    yield from _places(
        b.residences,
        f"{prefix}.residences",
        phrase("residences during the past 5 years"),
        _RESIDENCE,
    )
    yield from _check(b, prefix, _BACKGROUND_LISTS)
    for i, school in enumerate(b.education):
        yield from _check(school, f"{prefix}.education[{i}]", _SCHOOL)
    for i, job in enumerate(b.employment):
        yield from _check(job, f"{prefix}.employment[{i}]", _JOB)
    yield from _family_members(app)


def _family_members(app: Application) -> Iterator[Finding]:
    b = app.background
    yield from _check(b, "background", _PARENTS_AND_SIBLINGS)
    members = [("mother", b.mother), ("father", b.father)]
    members += [(f"siblings[{i}]", sibling) for i, sibling in enumerate(b.siblings)]
    for name, member in members:
        if member is not None:
            # The form's "Deceased" box takes the place of a current location.
            specs = _MEMBER if member.deceased else (*_MEMBER, _LOCATION)
            yield from _check(member, f"background.{name}", specs)


def _yes_no(question: YesNo, path: str) -> Iterator[Finding]:
    if question.answer is None:
        yield error(f"{path}.answer", 'unanswered: check "yes" or "no"')
    elif question.answer and blank(question.explanation):
        yield error(
            f"{path}.explanation",
            'answered "yes" but not explained (the form asks for details after "yes")',
        )


def _claim(app: Application) -> Iterator[Finding]:
    grounds = app.claim.grounds
    if not any(getattr(grounds, name) for name in type(grounds).model_fields):
        yield error("claim.grounds", "no ground is checked: check at least one box")
    for section, names in _YES_NO:
        for name in names:
            yield from _yes_no(getattr(getattr(app, section), name), f"{section}.{name}")
    c = app.additional
    for name in ("travel_through_other_countries", "status_in_other_countries"):
        if getattr(c, name) is None:
            yield error(f"additional.{name}", 'unanswered: check "yes" or "no"')
    if (c.travel_through_other_countries or c.status_in_other_countries) and blank(
        c.other_countries_explanation
    ):
        yield error(
            "additional.other_countries_explanation",
            'answered "yes" but not explained (the form asks for details after "yes")',
        )


def _signature(app: Application) -> Iterator[Finding]:
    yield from _check(app.signature, "signature", _SIGNATURE)
    for i, assistant in enumerate(app.signature.assistants):
        yield from _check(assistant, f"signature.assistants[{i}]", _ASSISTANT)
    if app.preparer is not None:  # instructions p. 7: name, address and telephone number
        yield from _check(app.preparer, "preparer", (("name", phrase("name of preparer"), REQ),))
        yield from _address(app.preparer.address, "preparer.address", phone=REQ)


def required(app: Application, today: dt.date) -> Iterator[Finding]:
    """Every question has an answer (instructions, Part 1 §V, p. 5; §XI, p. 9)."""
    for section in (_applicant, _family, _background, _claim, _signature):
        yield from section(app)
