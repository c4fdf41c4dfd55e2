"""The I-589 application model: every answer the applicant or preparer gives.

One class per block of the form, in form order. Every leaf carries a description that names its
form item ("Part A.I, item 12"): the JSON Schema printed by ``refugio schema``, the checker's
messages and the interview (issue 3) all read it from here, so the questions exist once.

Lists are unbounded and narratives have no length limit: what does not fit on the printed form
goes to Supplement A/B pages (instructions, Part 1 §V; issue 2, point 5).

Parts F and G (asylum officer, immigration judge) are completed at the interview or hearing and
are deliberately absent.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = [
    "AdditionalInformation",
    "Address",
    "Applicant",
    "Application",
    "Assistant",
    "Background",
    "Child",
    "Claim",
    "Employment",
    "Entry",
    "FamilyMember",
    "Grounds",
    "MailingAddress",
    "MonthYear",
    "Preparer",
    "Residence",
    "School",
    "Signature",
    "Spouse",
    "YesNo",
]

_MONTH_YEAR = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _month_year(value: str) -> str:
    if value != "present" and not _MONTH_YEAR.match(value):
        raise ValueError("expected YYYY-MM (e.g. 2019-04) or 'present'")
    return value


MonthYear = Annotated[
    str,
    AfterValidator(_month_year),
    Field(json_schema_extra={"pattern": r"^(\d{4}-(0[1-9]|1[0-2])|present)$"}),
]
"""A month and year as ``YYYY-MM`` (the form asks for "Mo/Yr"), or ``present``."""


def _f(item: str, text: str, **kw: Any) -> Any:
    """A field whose description starts with its form item, e.g. "Part A.I, item 12"."""
    return Field(description=f"{item}: {text}", **kw)


class _Model(BaseModel):
    # Unknown keys are refused so a typo in a case file is an error, not a silently lost answer.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


Sex = Literal["male", "female"]
MaritalStatus = Literal["single", "married", "divorced", "widowed"]


class Address(_Model):
    """A US address with an optional telephone number."""

    street: str = _f("Address", "street number and name", default="")
    apartment: str = _f("Address", "apartment number", default="")
    city: str = _f("Address", "city", default="")
    state: str = _f("Address", "two-letter US state or territory code", default="")
    zip_code: str = _f("Address", "five-digit ZIP code", default="")
    phone_area_code: str = _f("Address", "telephone area code (3 digits)", default="")
    phone_number: str = _f("Address", "telephone number (7 digits)", default="")


class MailingAddress(Address):
    in_care_of: str = _f("Part A.I, item 9", "in care of (if applicable)", default="")


class Entry(_Model):
    """One entry into the United States (Part A.I, item 19.C), most recent first."""

    date: dt.date | None = _f("Part A.I, item 19.C", "date of entry")
    place: str = _f("Part A.I, item 19.C", "place of entry (port, city and state)", default="")
    status: str = _f("Part A.I, item 19.C", "status at entry (e.g. B-2, EWI, parole)", default="")
    status_expires: dt.date | None = _f(
        "Part A.I, item 19.C", "date the status expires, if any", default=None
    )


class Applicant(_Model):
    """Part A.I: information about you."""

    a_number: str = _f(
        "Part A.I, item 1", "Alien Registration Number (A-Number), if any", default=""
    )
    ssn: str = _f("Part A.I, item 2", "US Social Security Number, if any", default="")
    uscis_online_account_number: str = _f(
        "Part A.I, item 3", "USCIS online account number, if any", default=""
    )
    last_name: str = _f("Part A.I, item 4", "complete last name")
    first_name: str = _f("Part A.I, item 5", "first name")
    middle_name: str = _f("Part A.I, item 6", "middle name", default="")
    other_names: list[str] = _f(
        "Part A.I, item 7", "other names used (maiden name and aliases)", default_factory=list
    )
    residence: Address = _f(
        "Part A.I, item 8",
        "residence in the US (where you physically reside)",
        default_factory=Address,
    )
    mailing_address: MailingAddress | None = _f(
        "Part A.I, item 9", "mailing address in the US, if different from item 8", default=None
    )
    sex: Sex | None = _f("Part A.I, item 10", "sex", default=None)
    marital_status: MaritalStatus | None = _f("Part A.I, item 11", "marital status", default=None)
    date_of_birth: dt.date | None = _f("Part A.I, item 12", "date of birth", default=None)
    city_and_country_of_birth: str = _f(
        "Part A.I, item 13", "city and country of birth", default=""
    )
    present_nationality: str = _f(
        "Part A.I, item 14", "present nationality (citizenship)", default=""
    )
    nationality_at_birth: str = _f("Part A.I, item 15", "nationality at birth", default="")
    race_ethnic_or_tribal_group: str = _f(
        "Part A.I, item 16", "race, ethnic or tribal group", default=""
    )
    religion: str = _f("Part A.I, item 17", "religion", default="")
    immigration_court: Literal["never", "now", "past"] | None = _f(
        "Part A.I, item 18",
        "never been in immigration court proceedings (never), now in proceedings (now), "
        "or not now but have been in the past (past)",
        default=None,
    )
    last_departure_date: dt.date | None = _f(
        "Part A.I, item 19.A", "when you last left your country", default=None
    )
    i94_number: str = _f("Part A.I, item 19.B", "current I-94 number, if any", default="")
    entries: list[Entry] = _f(
        "Part A.I, item 19.C", "each entry into the US, most recent first", default_factory=list
    )
    passport_country: str = _f(
        "Part A.I, item 20", "country that issued your last passport or travel document", default=""
    )
    passport_number: str = _f("Part A.I, item 21", "passport number", default="")
    travel_document_number: str = _f("Part A.I, item 21", "travel document number", default="")
    passport_expiration: dt.date | None = _f("Part A.I, item 22", "expiration date", default=None)
    native_language: str = _f(
        "Part A.I, item 23", "native language (include dialect, if applicable)", default=""
    )
    fluent_in_english: bool | None = _f(
        "Part A.I, item 24", "are you fluent in English?", default=None
    )
    other_languages: str = _f("Part A.I, item 25", "other languages you speak fluently", default="")


class _Relative(_Model):
    a_number: str = Field(default="", description="Alien Registration Number (A-Number), if any")
    passport_number: str = Field(default="", description="passport or ID card number, if any")
    ssn: str = Field(default="", description="US Social Security Number, if any")
    last_name: str = Field(description="complete last name")
    first_name: str = Field(description="first name")
    middle_name: str = Field(default="", description="middle name")
    date_of_birth: dt.date | None = Field(default=None, description="date of birth")
    city_and_country_of_birth: str = Field(default="", description="city and country of birth")
    nationality: str = Field(default="", description="nationality (citizenship)")
    race_ethnic_or_tribal_group: str = Field(default="", description="race, ethnic or tribal group")
    sex: Sex | None = Field(default=None, description="sex")
    in_us: bool | None = Field(default=None, description="is this person in the US?")
    location: str = Field(default="", description="where this person is, if not in the US")
    place_of_last_entry: str = Field(default="", description="place of last entry into the US")
    date_of_last_entry: dt.date | None = Field(
        default=None, description="date of last entry into the US"
    )
    i94_number: str = Field(default="", description="I-94 number, if any")
    status_when_last_admitted: str = Field(
        default="", description="status when last admitted (visa type, if any)"
    )
    current_status: str = Field(default="", description="current status")
    authorized_stay_expires: dt.date | None = Field(
        default=None, description="expiration date of authorized stay, if any"
    )
    in_immigration_court: bool | None = Field(
        default=None, description="in immigration court proceedings?"
    )
    include_in_application: bool | None = Field(
        default=None, description="if in the US, to be included in this application?"
    )


# Item numbers of the spouse and child blocks differ (Part A.II); these tables put the right
# number into each description so every schema leaf names its form item.
_SPOUSE_ITEMS = {
    "a_number": 1,
    "passport_number": 2,
    "date_of_birth": 3,
    "ssn": 4,
    "last_name": 5,
    "first_name": 6,
    "middle_name": 7,
    "other_names": 8,
    "date_of_marriage": 9,
    "place_of_marriage": 10,
    "city_and_country_of_birth": 11,
    "nationality": 12,
    "race_ethnic_or_tribal_group": 13,
    "sex": 14,
    "in_us": 15,
    "location": 15,
    "place_of_last_entry": 16,
    "date_of_last_entry": 17,
    "i94_number": 18,
    "status_when_last_admitted": 19,
    "current_status": 20,
    "authorized_stay_expires": 21,
    "in_immigration_court": 22,
    "previous_arrival_date": 23,
    "include_in_application": 24,
}
_CHILD_ITEMS = {
    "a_number": 1,
    "passport_number": 2,
    "marital_status": 3,
    "ssn": 4,
    "last_name": 5,
    "first_name": 6,
    "middle_name": 7,
    "date_of_birth": 8,
    "city_and_country_of_birth": 9,
    "nationality": 10,
    "race_ethnic_or_tribal_group": 11,
    "sex": 12,
    "in_us": 13,
    "location": 13,
    "place_of_last_entry": 14,
    "date_of_last_entry": 15,
    "i94_number": 16,
    "status_when_last_admitted": 17,
    "current_status": 18,
    "authorized_stay_expires": 19,
    "in_immigration_court": 20,
    "include_in_application": 21,
}


def _cite(items: dict[str, int], who: str) -> Any:
    def fix(schema: dict[str, Any]) -> None:
        for name, prop in schema.get("properties", {}).items():
            if name in items:
                prop["description"] = (
                    f"Part A.II, {who} item {items[name]}: {prop.get('description', '')}"
                )

    return fix


class Spouse(_Relative):
    """Part A.II: your spouse."""

    model_config = ConfigDict(json_schema_extra=_cite(_SPOUSE_ITEMS, "spouse"))

    other_names: str = Field(default="", description="other names used (include maiden name)")
    date_of_marriage: dt.date | None = Field(default=None, description="date of marriage")
    place_of_marriage: str = Field(default="", description="place of marriage")
    previous_arrival_date: dt.date | None = Field(
        default=None, description="if previously in the US, date of previous arrival"
    )


class Child(_Relative):
    """Part A.II (and Supplement A): one child, regardless of age, location or marital status."""

    model_config = ConfigDict(json_schema_extra=_cite(_CHILD_ITEMS, "child"))

    marital_status: MaritalStatus | None = Field(default=None, description="marital status")


class Residence(_Model):
    """A foreign or US address with the months lived there (Part A.III, items 1 and 2)."""

    street: str = _f("Part A.III, items 1-2", "number and street", default="")
    city: str = _f("Part A.III, items 1-2", "city or town", default="")
    province: str = _f("Part A.III, items 1-2", "department, province or state", default="")
    country: str = _f("Part A.III, items 1-2", "country", default="")
    start: MonthYear | None = _f("Part A.III, items 1-2", "from (YYYY-MM)", default=None)
    end: MonthYear | None = _f("Part A.III, items 1-2", "to (YYYY-MM or 'present')", default=None)


class School(_Model):
    name: str = _f("Part A.III, item 3", "name of school")
    type: str = _f("Part A.III, item 3", "type of school", default="")
    location: str = _f("Part A.III, item 3", "location (address)", default="")
    start: MonthYear | None = _f("Part A.III, item 3", "attended from (YYYY-MM)", default=None)
    end: MonthYear | None = _f("Part A.III, item 3", "attended to (YYYY-MM)", default=None)


class Employment(_Model):
    employer: str = _f("Part A.III, item 4", "name and address of employer")
    occupation: str = _f("Part A.III, item 4", "your occupation", default="")
    start: MonthYear | None = _f("Part A.III, item 4", "from (YYYY-MM)", default=None)
    end: MonthYear | None = _f("Part A.III, item 4", "to (YYYY-MM or 'present')", default=None)


class FamilyMember(_Model):
    full_name: str = _f("Part A.III, item 5", "full name")
    city_and_country_of_birth: str = _f(
        "Part A.III, item 5", "city/town and country of birth", default=""
    )
    current_location: str = _f("Part A.III, item 5", "current location (if living)", default="")
    deceased: bool = _f("Part A.III, item 5", "deceased", default=False)


class Background(_Model):
    """Part A.III: information about your background."""

    last_addresses_before_us: list[Residence] = _f(
        "Part A.III, item 1",
        "last address where you lived before coming to the US; if that is not the country where "
        "you fear persecution, also the last address in that country",
        default_factory=list,
    )
    residences: list[Residence] = _f(
        "Part A.III, item 2",
        "residences during the past 5 years, present address first",
        default_factory=list,
    )
    education: list[School] = _f(
        "Part A.III, item 3", "schools attended, most recent first", default_factory=list
    )
    employment: list[Employment] = _f(
        "Part A.III, item 4",
        "employment during the past 5 years, present first",
        default_factory=list,
    )
    mother: FamilyMember | None = _f("Part A.III, item 5", "mother", default=None)
    father: FamilyMember | None = _f("Part A.III, item 5", "father", default=None)
    siblings: list[FamilyMember] = _f(
        "Part A.III, item 5", "brothers and sisters", default_factory=list
    )


class YesNo(_Model):
    """A yes/no question with its explanation (the form asks for one after "yes")."""

    answer: bool | None = Field(default=None, description="yes (true) or no (false)")
    explanation: str = Field(default="", description="explanation, required after yes")


def _yes_no(item: str, question: str) -> Any:
    return Field(default_factory=YesNo, description=f"{item}: {question}")


class Grounds(_Model):
    """Part B, item 1: why you are applying (check all that apply)."""

    race: bool = _f("Part B, item 1", "race", default=False)
    religion: bool = _f("Part B, item 1", "religion", default=False)
    nationality: bool = _f("Part B, item 1", "nationality", default=False)
    political_opinion: bool = _f("Part B, item 1", "political opinion", default=False)
    particular_social_group: bool = _f(
        "Part B, item 1", "membership in a particular social group", default=False
    )
    torture_convention: bool = _f("Part B, item 1", "Torture Convention", default=False)


class Claim(_Model):
    """Part B: information about your application."""

    grounds: Grounds = _f("Part B, item 1", "grounds of the claim", default_factory=Grounds)
    past_harm: YesNo = _yes_no(
        "Part B, item 1.A",
        "have you, your family, or close friends or colleagues ever experienced harm or "
        "mistreatment or threats in the past by anyone?",
    )
    fear_of_return: YesNo = _yes_no(
        "Part B, item 1.B", "do you fear harm or mistreatment if you return to your home country?"
    )
    arrested_abroad: YesNo = _yes_no(
        "Part B, item 2",
        "have you or your family members ever been accused, charged, arrested, detained, "
        "interrogated, convicted and sentenced, or imprisoned in any country other than the US?",
    )
    organizations: YesNo = _yes_no(
        "Part B, item 3.A",
        "have you or your family members ever belonged to or been associated with any "
        "organizations or groups in your home country?",
    )
    organizations_continuing: YesNo = _yes_no(
        "Part B, item 3.B",
        "do you or your family members continue to participate in any way in these organizations?",
    )
    fear_of_torture: YesNo = _yes_no(
        "Part B, item 4",
        "are you afraid of being subjected to torture in your home country or any other country "
        "to which you may be returned?",
    )


class AdditionalInformation(_Model):
    """Part C: additional information about your application."""

    prior_applications: YesNo = _yes_no(
        "Part C, item 1",
        "have you or your family ever applied to the US Government for refugee status, asylum, "
        "or withholding of removal?",
    )
    travel_through_other_countries: bool | None = _f(
        "Part C, item 2.A",
        "after leaving the country of claimed persecution, did you or your spouse or children "
        "travel through or reside in any other country before entering the US?",
        default=None,
    )
    status_in_other_countries: bool | None = _f(
        "Part C, item 2.B",
        "have you or your family ever applied for or received any lawful status in any country "
        "other than the one from which you are now claiming asylum?",
        default=None,
    )
    other_countries_explanation: str = _f(
        "Part C, items 2.A-2.B",
        "for each person: the countries, length of stay, status and "
        "reasons for not seeking protection there",
        default="",
    )
    caused_harm: YesNo = _yes_no(
        "Part C, item 3",
        "have you, your spouse or children ever ordered, incited, assisted or otherwise "
        "participated in causing harm or suffering to any person because of race, religion, "
        "nationality, membership in a particular social group or political opinion?",
    )
    returned: YesNo = _yes_no(
        "Part C, item 4",
        "after you left the country where you were harmed or fear harm, did you return there?",
    )
    filing_after_one_year: YesNo = _yes_no(
        "Part C, item 5",
        "are you filing more than 1 year after your last arrival in the US? If yes, explain "
        "(changed or extraordinary circumstances, 8 CFR 208.4(a)(4)-(5))",
    )
    crimes: YesNo = _yes_no(
        "Part C, item 6",
        "have you or any family member included in the application ever committed any crime or "
        "been arrested, charged, convicted or sentenced for any crimes in the US?",
    )


class Assistant(_Model):
    name: str = _f("Part D", "name of the spouse, parent or child who assisted")
    relationship: str = _f("Part D", "relationship to you", default="")


class Signature(_Model):
    """Part D: your signature (the applicant signs by hand; the signature box stays blank)."""

    native_alphabet_name: str = _f("Part D", "your name in your native alphabet", default="")
    family_assisted: bool | None = _f(
        "Part D",
        "did your spouse, parent or children assist you in completing this application?",
        default=None,
    )
    assistants: list[Assistant] = _f(
        "Part D", "if yes, name and relationship of each", default_factory=list
    )
    prepared_by_other: bool | None = _f(
        "Part D",
        "did someone other than your spouse, parent or children prepare this application? "
        "(if yes, complete Part E)",
        default=None,
    )
    received_counsel_list: bool | None = _f(
        "Part D",
        "have you been provided with a list of persons who may be available to assist you, at "
        "little or no cost, with your asylum claim?",
        default=None,
    )
    date_signed: dt.date | None = _f("Part D", "date of signature", default=None)


class Preparer(_Model):
    """Part E: the person preparing the form, if other than applicant, spouse, parent or child."""

    name: str = _f("Part E", "complete name of preparer")
    address: Address = _f(
        "Part E", "address and daytime telephone of preparer", default_factory=Address
    )
    g28_attached: bool = _f(
        "Part E", "attorney or accredited representative: Form G-28 is attached", default=False
    )
    bar_number: str = _f("Part E", "attorney state bar number, if applicable", default="")
    uscis_online_account_number: str = _f(
        "Part E", "attorney or accredited representative USCIS online account number", default=""
    )


class Application(_Model):
    """A complete Form I-589 application."""

    model_config = ConfigDict(
        json_schema_extra={"$comment": "Refugio I-589 application; fictional data only in examples"}
    )

    cat_withholding: bool = _f(
        "Page 1, box above Part A",
        "also apply for withholding of removal under the Convention Against Torture",
        default=False,
    )
    applicant: Applicant = Field(description="Part A.I: information about you")
    spouse: Spouse | None = Field(
        default=None, description="Part A.II: your spouse (none if not married)"
    )
    children: list[Child] = Field(
        default_factory=list,
        description="Part A.II and Supplement A: all your children regardless of age, location "
        "or marital status",
    )
    background: Background = Field(
        default_factory=Background, description="Part A.III: information about your background"
    )
    claim: Claim = Field(
        default_factory=Claim, description="Part B: information about your application"
    )
    additional: AdditionalInformation = Field(
        default_factory=AdditionalInformation,
        description="Part C: additional information about your application",
    )
    signature: Signature = Field(default_factory=Signature, description="Part D: your signature")
    preparer: Preparer | None = Field(
        default=None, description="Part E: declaration of the person preparing the form, if any"
    )

    @property
    def full_name(self) -> str:
        """The applicant's complete name in reading order ("Liheng Cen"; Part D)."""
        a = self.applicant
        return " ".join(p for p in (a.first_name, a.middle_name, a.last_name) if p)

    @property
    def name_as_in_part_a(self) -> str:
        """The name in the order of Part A.I, items 4-6 ("Cen, Liheng"), for the supplements.

        Every supplement page carries the name exactly as in Part A.I (instructions, Part 1 §V),
        so that a page separated from the form is matched to the right applicant.
        """
        a = self.applicant
        given = " ".join(p for p in (a.first_name, a.middle_name) if p)
        return ", ".join(p for p in (a.last_name, given) if p)
