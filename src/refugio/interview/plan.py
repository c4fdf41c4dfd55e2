"""The interview plan: which answers of the model each screen asks, in form order, and when.

This is data, not questions: the question texts, form items and answer types are read from
``refugio.model`` (see ``refugio.interview.questions``), so a question exists once. What this
plan adds is what the model cannot say:

- how the answers are grouped into screens (one logical group of the form per screen);
- when a screen or question applies (the spouse only if married, an explanation only after
  "yes", a relative's entry details only if the relative is in the US, ...);
- two questions the form asks with a checkbox rather than a field: whether the mailing address
  differs from the residence (Part A.I, item 9) and whether the applicant has children
  (Part A.II, "I do not have any children"). An empty children list cannot otherwise tell
  "no children" from "not answered yet" (issue 2, closing note).

Paths are model paths ("applicant.marital_status"). A condition's path starting with "." is
relative to the object holding the question (the same child, the same yes/no question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["HELP", "PLAN", "Condition", "Step", "Toggle", "help_for", "step_by_slug"]


@dataclass(frozen=True)
class Condition:
    """The question or screen applies when the answer at ``path`` (or at any of ``or_paths``)
    is one of ``values``."""

    path: str
    values: tuple[str, ...]
    or_paths: tuple[str, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, *self.or_paths)


@dataclass(frozen=True)
class Toggle:
    """A yes/no question the form asks with a checkbox; its answer lives in the draft's meta."""

    key: str
    item: str
    label: str


@dataclass(frozen=True)
class Step:
    """One screen of the interview."""

    slug: str
    part: str  # "Part A.I": progress is counted per Part
    title: str
    root: str  # the model path the fields hang from ("" for the application itself)
    fields: tuple[str, ...] = ()  # attributes of the root, in order (empty for a list step)
    repeating: bool = False  # the root is a list: add, remove and reorder its entries
    noun: str = ""  # what one entry of a repeating step is ("child", "entry"), for its buttons
    show_if: Condition | None = None
    toggle: Toggle | None = None  # asked first; "yes" shows the fields (mailing address)
    intro: str = ""
    extra: dict[str, str] = field(default_factory=dict)


YES = ("yes",)
NO = ("no",)

# Inner conditions: which leaves of a sub-object apply given a sibling answer.
# Key: (model class name, attribute) -> condition on a sibling attribute.
INNER: dict[tuple[str, str], Condition] = {
    ("YesNo", "explanation"): Condition(".answer", YES),
    # Part A.II: "If in the U.S., complete blocks 16 to 24" (spouse), 14 to 21 (child);
    # "If not in the U.S., specify location".
    **{
        (cls, attr): Condition(".in_us", YES)
        for cls in ("Spouse", "Child")
        for attr in (
            "place_of_last_entry",
            "date_of_last_entry",
            "i94_number",
            "status_when_last_admitted",
            "current_status",
            "authorized_stay_expires",
            "in_immigration_court",
            "previous_arrival_date",
            "include_in_application",
        )
    },
    ("Spouse", "location"): Condition(".in_us", NO),
    ("Child", "location"): Condition(".in_us", NO),
    ("FamilyMember", "current_location"): Condition(".deceased", ("",)),
    # Part C, items 2.A-2.B: "If Yes to either or both questions (2.A and/or 2.B), provide ...".
    ("AdditionalInformation", "other_countries_explanation"): Condition(
        ".travel_through_other_countries", YES, or_paths=(".status_in_other_countries",)
    ),
}

MAILING = Toggle(
    "mailing_different",
    "Part A.I, item 9",
    "is your mailing address different from the address where you live (item 8)?",
)
HAS_CHILDREN = Toggle(
    "has_children",
    "Part A.II",
    "do you have any children, whatever their age, where they live or whether they are married?",
)

PLAN: tuple[Step, ...] = (
    Step(
        "start",
        "Page 1",
        "Before you start",
        "",
        ("cat_withholding",),
        intro="Every application is also an application for withholding of removal. Tick the "
        "box to apply for withholding under the Convention Against Torture as well.",
    ),
    Step(
        "identity",
        "Part A.I",
        "Your name and numbers",
        "applicant",
        (
            "last_name",
            "first_name",
            "middle_name",
            "other_names",
            "a_number",
            "ssn",
            "uscis_online_account_number",
        ),
    ),
    Step(
        "addresses",
        "Part A.I",
        "Where you live in the US",
        "applicant",
        ("residence", "mailing_address"),
        toggle=MAILING,
    ),
    Step(
        "personal",
        "Part A.I",
        "About you",
        "applicant",
        (
            "sex",
            "marital_status",
            "date_of_birth",
            "city_and_country_of_birth",
            "present_nationality",
            "nationality_at_birth",
            "race_ethnic_or_tribal_group",
            "religion",
        ),
    ),
    Step(
        "travel",
        "Part A.I",
        "Court proceedings and your journey",
        "applicant",
        ("immigration_court", "last_departure_date", "i94_number"),
    ),
    Step(
        "entries",
        "Part A.I",
        "Each entry into the US",
        "applicant.entries",
        repeating=True,
        noun="entry",
        intro="List every entry, the most recent first. If you entered without being inspected, "
        'write "No Inspection" as the status.',
    ),
    Step(
        "documents",
        "Part A.I",
        "Passport and languages",
        "applicant",
        (
            "passport_country",
            "passport_number",
            "travel_document_number",
            "passport_expiration",
            "native_language",
            "fluent_in_english",
            "other_languages",
        ),
    ),
    Step(
        "spouse",
        "Part A.II",
        "Your spouse",
        "spouse",
        (
            "last_name",
            "first_name",
            "middle_name",
            "other_names",
            "a_number",
            "passport_number",
            "ssn",
            "date_of_birth",
            "date_of_marriage",
            "place_of_marriage",
            "city_and_country_of_birth",
            "nationality",
            "race_ethnic_or_tribal_group",
            "sex",
            "in_us",
            "location",
            "place_of_last_entry",
            "date_of_last_entry",
            "i94_number",
            "status_when_last_admitted",
            "current_status",
            "authorized_stay_expires",
            "in_immigration_court",
            "previous_arrival_date",
            "include_in_application",
        ),
        show_if=Condition("applicant.marital_status", ("married",)),
    ),
    Step("has-children", "Part A.II", "Your children", "", (), toggle=HAS_CHILDREN),
    Step(
        "children",
        "Part A.II",
        "Each of your children",
        "children",
        repeating=True,
        noun="child",
        show_if=Condition("meta.has_children", YES),
        intro="List all your children, regardless of age, location or marital status.",
    ),
    Step(
        "last-address",
        "Part A.III",
        "Your last address before the US",
        "background.last_addresses_before_us",
        repeating=True,
        noun="address",
        intro="Your last address before coming to the US. If that is not in the country where "
        "you fear persecution, add your last address in that country as well.",
    ),
    Step(
        "residences",
        "Part A.III",
        "Where you lived in the past 5 years",
        "background.residences",
        repeating=True,
        noun="residence",
        intro="Every residence of the past 5 years, your present address first.",
    ),
    Step(
        "education",
        "Part A.III",
        "Your education",
        "background.education",
        repeating=True,
        noun="school",
        intro="Every school you attended, the most recent first.",
    ),
    Step(
        "employment",
        "Part A.III",
        "Your work in the past 5 years",
        "background.employment",
        repeating=True,
        noun="job",
        intro="Every job of the past 5 years, your present job first.",
    ),
    Step("parents", "Part A.III", "Your parents", "background", ("mother", "father")),
    Step(
        "siblings",
        "Part A.III",
        "Your brothers and sisters",
        "background.siblings",
        repeating=True,
        noun="sibling",
    ),
    Step("grounds", "Part B", "Why you are applying", "claim", ("grounds",)),
    Step("harm", "Part B", "Harm and fear", "claim", ("past_harm", "fear_of_return")),
    Step("arrests", "Part B", "Arrests and detention", "claim", ("arrested_abroad",)),
    Step(
        "organizations",
        "Part B",
        "Organizations",
        "claim",
        ("organizations", "organizations_continuing"),
    ),
    Step("torture", "Part B", "Fear of torture", "claim", ("fear_of_torture",)),
    Step("prior", "Part C", "Earlier applications", "additional", ("prior_applications",)),
    Step(
        "other-countries",
        "Part C",
        "Other countries",
        "additional",
        (
            "travel_through_other_countries",
            "status_in_other_countries",
            "other_countries_explanation",
        ),
    ),
    Step(
        "conduct", "Part C", "Harm to others and return", "additional", ("caused_harm", "returned")
    ),
    Step(
        "timing", "Part C", "Timing and crimes", "additional", ("filing_after_one_year", "crimes")
    ),
    Step(
        "signature",
        "Part D",
        "Your signature",
        "signature",
        (
            "native_alphabet_name",
            "family_assisted",
            "prepared_by_other",
            "received_counsel_list",
            "date_signed",
        ),
    ),
    Step(
        "assistants",
        "Part D",
        "Family members who helped you",
        "signature.assistants",
        repeating=True,
        noun="person",
        show_if=Condition("signature.family_assisted", YES),
    ),
    Step(
        "preparer",
        "Part E",
        "The person who prepared the form",
        "preparer",
        ("name", "address", "g28_attached", "bar_number", "uscis_online_account_number"),
        show_if=Condition("signature.prepared_by_other", YES),
    ),
)

_BY_SLUG = {step.slug: step for step in PLAN}


def step_by_slug(slug: str) -> Step | None:
    return _BY_SLUG.get(slug)


# Plain-words help for the questions that applicants and new staff most often get wrong. Keys are
# model paths without list positions ("applicant.entries.status"). Sources: the form
# instructions (Form I-589 instructions, edition 04/09/19, Part 1 §V and Part 2) as cited.
HELP: dict[str, str] = {
    "applicant.a_number": "The A-Number is on letters and cards from the Department of Homeland "
    "Security, such as a notice or a work permit. If you have none, leave this empty: the form "
    "will say NONE.",
    "applicant.ssn": "Only if you have a US Social Security Number.",
    "applicant.uscis_online_account_number": "Only if you opened an account on the USCIS website "
    "before. It is not your A-Number.",
    "applicant.last_name": "Your family name as on your passport or identity document, in the "
    "Latin alphabet. Your name in your own alphabet is asked at the end (Part D).",
    "applicant.other_names": "Every other name you have used: maiden name, nicknames, aliases and "
    "other spellings of your name.",
    "applicant.residence": "Where you actually live now, even if you receive mail elsewhere.",
    "applicant.race_ethnic_or_tribal_group": "The ethnic group, tribe or race you belong to. "
    'Write "Unknown" if you do not know.',
    "applicant.immigration_court": "Proceedings start when you receive a Notice to Appear "
    "(Form I-862) before an immigration judge.",
    "applicant.last_departure_date": "The day you last left the country where you fear harm.",
    "applicant.i94_number": "The number of your arrival record (Form I-94), if you received one. "
    "If not, leave this empty: the form will say NONE.",
    "applicant.entries.status": "For example B-2 (visitor), F-1 (student) or parole. If you "
    'entered without being inspected, write "No Inspection".',
    "applicant.native_language": 'Include the dialect, for example "Arabic (Levantine)".',
    "claim.grounds.particular_social_group": "People who share something they cannot change or "
    "should not have to change, such as their family. Ask your representative before ticking it.",
    "claim.grounds.torture_convention": "Tick it if you fear torture by, or with the consent of, "
    "officials of your country.",
    "claim.past_harm.explanation": "What happened, when, who did it and why you think it happened. "
    "Say which documents support it, or why you have none (instructions, Part 1 §V).",
    "claim.fear_of_return.explanation": "What you fear, who would harm you, and why.",
    "claim.arrested_abroad.explanation": "For each time: where, when, for how long, and why.",
    "claim.organizations.explanation": "For example political parties, student groups, unions, "
    "religious or human-rights groups, the press. Say what you did there and for how long.",
    "additional.filing_after_one_year.explanation": "You must normally apply within one year of "
    "your last arrival. Explain what changed, or what kept you from applying in time "
    "(8 CFR 208.4(a)(4)-(5)).",
    "signature.native_alphabet_name": "Your full name in the alphabet of your language, for "
    "example in Chinese characters or in Arabic script.",
    "signature.received_counsel_list": "A list of free or low-cost legal services, usually given "
    "with a Notice to Appear.",
    "preparer.g28_attached": "An attorney or accredited representative files Form G-28 with the "
    "application.",
}


def help_for(path: str) -> str:
    """The help text of a question at a model path ("children[2].in_us"), or ""."""
    return HELP.get(re.sub(r"\[[0-9]+\]", "", path), "")
