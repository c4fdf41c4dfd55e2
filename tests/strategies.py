"""Hypothesis strategies for arbitrary valid :class:`refugio.model.Application` objects.

``applications()`` is the one most tests want. The building blocks (``plain_text``, ``narratives``,
``native_names``...) are public so a test can build a narrower case.

What the generated values look like:

* text is mostly printable Latin (ASCII with accented letters and typographic punctuation), now
  and then a letter of another left-to-right script (Greek, Cyrillic, Ethiopic, CJK, Hangul...;
  ``wide=False`` turns that off); it never contains control or format characters, never has
  leading, trailing or doubled spaces, and is never whitespace only: empty or visible;
* other names, assistants and the like are never empty strings (an empty list item means
  nothing);
* narratives (Part B/C explanations) run from empty to about 6,000 characters and contain "\\n"
  (single and blank-line paragraph breaks), the only control character anywhere;
* identifiers have the shape the form asks for when they are present (A-Number 9 digits, SSN 9
  digits the SSA could issue, I-94 11 characters, phone 3 + 7 digits) and are otherwise empty;
  every US address has a real two-letter state code and a 5-digit ZIP code; a telephone is
  both boxes or neither, and the preparer always has one;
* dates fall in 1900-2099; month-years are ``YYYY-MM``, and ``present`` appears only as the end of
  the first residence or job (the model accepts it anywhere; the form only means it there);
* lists: 0-9 children, 0-7 entries, 0-12 residences, jobs, schools and siblings;
* ``signature.native_alphabet_name`` is sometimes empty, sometimes Latin text and often one of
  :data:`NATIVE_NAMES` (Han, Arabic-script, Cyrillic, Ge'ez, Devanagari, Gurmukhi).

All names in :data:`NATIVE_NAMES` are invented.
"""

from __future__ import annotations

import datetime as dt
import string
import unicodedata
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from refugio.model import (
    AdditionalInformation,
    Address,
    Applicant,
    Application,
    Assistant,
    Background,
    Child,
    Claim,
    Employment,
    Entry,
    FamilyMember,
    Grounds,
    MailingAddress,
    Preparer,
    Residence,
    School,
    Signature,
    Spouse,
    YesNo,
)

__all__ = [
    "NATIVE_NAMES",
    "STATE_CODES",
    "addresses",
    "applicants",
    "applications",
    "children",
    "dates",
    "digits",
    "month_years",
    "narratives",
    "native_names",
    "plain_text",
    "spouses",
    "ssns",
    "yes_no",
]

# Invented names, by script. Each is a plausible full name, not a real person's.
NATIVE_NAMES: dict[str, tuple[str, ...]] = {
    "han": (
        "岑立衡",  # simplified = traditional
        "邱婉玲",
        "谭慕清",
        "欧阳静澜",  # two-character surname
        "賴雅筑",  # traditional
        "龔書瑋",  # traditional, dense strokes
        "祁晓枫",
    ),
    "arabic": (
        "سلمى عبد الرحيم النجار",
        "يوسف منصور الحداد",
    ),
    "persian": (
        "پرستو رحیمی نژاد",
        "کاوه گلشیری",
    ),
    "pashto": (
        "ویس احمد زړور",  # ړ
        "سپوږمۍ کاروخېل",  # ږ ۍ ې
        "ګل مینه پښتونیار",  # ګ ښ
    ),
    "urdu": (
        "ثمینہ اکرم بھٹی",  # ہ ھ ٹ
        "فرحان علی چغتائی",
    ),
    "cyrillic": (
        "Анастасия Вадимовна Кречетова",
        "Олеся Григорівна Ткачук",  # Ukrainian і
        "Алесь Шчаглоў",  # Belarusian ў
        "Айгерім Сәрсенбайқызы",  # Kazakh ә қ
    ),
    "geez": (
        "ብርሃኑ ወልደማርያም ጌታቸው",  # Amharic
        "ሳባ ገብረሂወት ተኽለ",  # Tigrinya ኽ
        "ፀሐይ ኃይሌ ደምሴ",
    ),
    "devanagari": (
        "अनुराधा विश्वकर्मा",
        "क्षितिज श्रीवास्तव",  # conjuncts क्ष, श्र
        "सुनिता कुमारी थापा",
    ),
    "gurmukhi": (
        "ਗੁਰਨੂਰ ਕੌਰ ਬਰਾੜ",
        "ਤਰਨਜੀਤ ਸਿੰਘ ਢਿੱਲੋਂ",  # addak ੱ, tippi ੰ
    ),
}


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


STATE_CODES: tuple[str, ...] = _split(
    """
    AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
    NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP
    """
)

# --- characters and text ------------------------------------------------------------------------

_ASCII = string.ascii_letters + string.digits + ".,-'/#()&:;!?\"@+"
_LATIN_EXTRA = "ÁÉÍÓÚÑÜÇÀÈÂÊÔÃÕÅÆØÄÖáéíóúñüçàèâêôãõåæøäößœłńśźżčšžřěůğışəđțș’‘“”–—…€°§«»¿¡"
# Words for text fields: names, places, form vocabulary, diacritics, digits and punctuation.
_WORDS: tuple[str, ...] = _split(
    """
    Maria José Nguyen Müller O'Hare St. Apt. #12 Suite 4-B P.O. Box 1187 c/o Ave. Rd. N.W.
    São Paulo Łódź Ñuñoa Zürich Đặng Bùi Şahin Çelik Ærø Øvergaard Kraków Malmö Curaçao Réunion
    Quetzaltenango Tegucigalpa Mazār-i-Sharīf Addis Ababa Asmara Kyiv Tbilisi Lahore Kabul Herat
    Wenzhou Dongguan Ludhiana Kathmandu Yaoundé Bogotá Mérida Port-au-Prince Rangoon Damascus
    B-2 F-1 J-1 EWI parole TPS D/S A-Number I-94 N/A none unknown self-employed (concurrent)
    Hernández-García Al-Khatib Ben-David van der Berg de la Cruz MacDonald Ó Briain D'Souza
    farmer teacher engineer journalist nurse driver tailor student merchant mechanic accountant
    police army gang militia detained beaten threatened fled hid returned crossed released
    1987 2004 2019 12/05 3,000 100% 5th 2nd #7 "quoted" (brackets) semi; colon: dash—en–dash
    Ms. Mr. Dr. Esq. Jr. II III «guillemets» ¿qué? ¡sí! 25°C §4 €20 naïve façade coöperate
    """
)


def _letters(*ranges: tuple[int, int]) -> str:
    return "".join(
        chr(c)
        for lo, hi in ranges
        for c in range(lo, hi + 1)
        if unicodedata.category(chr(c)) in ("Lu", "Ll", "Lo")
    )


# Letters from other scripts, now and then mixed into ordinary fields. A fixed pool rather than
# st.characters(categories=...): that strategy costs several times more per character.
# Left-to-right scripts only: a right-to-left letter inside Latin text makes a bidirectional
# string whose visual order (what text extraction of a filled PDF returns) differs from its
# logical order, so "is this value in the PDF" stops being checkable. Right-to-left text comes
# whole, in the native-alphabet name.
_WIDE = _letters(
    (0x0391, 0x03C9),  # Greek
    (0x0410, 0x044F),  # Cyrillic
    (0x0531, 0x0586),  # Armenian
    (0x0905, 0x0939),  # Devanagari
    (0x0E01, 0x0E2E),  # Thai
    (0x10D0, 0x10FA),  # Georgian
    (0x1200, 0x1357),  # Ethiopic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, ...)
    (0x3041, 0x3096),  # Hiragana
    (0x4E00, 0x4FFF),  # CJK
    (0xAC00, 0xAD00),  # Hangul
)


def _alphabet(wide: bool) -> st.SearchStrategy[str]:
    parts: list[st.SearchStrategy[str]] = [
        st.sampled_from(_ASCII),
        st.sampled_from(_ASCII),
        st.sampled_from(_ASCII),
        st.sampled_from(_LATIN_EXTRA),
    ]
    if wide:
        parts.append(st.sampled_from(_WIDE))
    return st.one_of(parts)


def _builds(model: type[Any], **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``st.builds`` for a model, refusing to leave any field to its default: a field added to
    the model must get a strategy here, or every generated application would leave it blank."""
    missing = set(model.model_fields) - set(fields)
    if missing:
        raise TypeError(f"no strategy for {model.__name__} fields {sorted(missing)}")
    return st.builds(model, **fields)


def _tidy(text: str) -> str:
    return " ".join(text.split())


def plain_text(
    max_size: int = 40, *, wide: bool = True, min_size: int = 0
) -> st.SearchStrategy[str]:
    """One line: words from a mostly-Latin alphabet, single spaces, empty or visible.

    Most words come from :data:`_WORDS` (one choice each, which keeps a whole application cheap
    to generate and shrink); the rest are drawn character by character.
    """
    vocab = st.sampled_from(_WORDS)
    word = st.one_of(vocab, vocab, st.text(_alphabet(wide), min_size=1, max_size=10))
    n_words = max(1, max_size // 4)
    line = st.lists(word, min_size=1, max_size=n_words).map(" ".join)
    # Words never contain spaces, so the line is visible; cutting it may leave an edge space.
    visible = line.map(lambda s: _tidy(s[:max_size]))
    if min_size > 0:
        return visible
    return st.one_of(st.just(""), visible)


def _build_narrative(
    sentences: list[str], target: int, breaks: list[int], blank_lines: bool
) -> str:
    if not sentences or target == 0:
        return ""
    sep = "\n\n" if blank_lines else "\n"
    out: list[str] = []
    length = 0
    i = 0
    while length < target:
        para_len = breaks[i % len(breaks)]
        para = " ".join(sentences[(i + k) % len(sentences)] for k in range(para_len))
        out.append(para)
        length += len(para) + len(sep)
        i += 1
    text = sep.join(out)[:target]
    # Truncation may end on a space or a break; keep every line free of edge spaces.
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def narratives(max_chars: int = 6000, *, wide: bool = True) -> st.SearchStrategy[str]:
    """Free text with line breaks, from empty to about ``max_chars`` characters.

    Long texts are made by cycling a few drawn sentences up to a drawn length, so a 6,000-char
    narrative costs Hypothesis a few dozen choices rather than 6,000.
    """
    sentence = plain_text(80, wide=wide, min_size=1)
    long = st.builds(
        _build_narrative,
        st.lists(sentence, min_size=1, max_size=6),
        st.one_of(st.integers(1, 300), st.integers(1, max_chars)),
        st.lists(st.integers(1, 5), min_size=1, max_size=4),
        st.booleans(),
    )
    return st.one_of(st.just(""), plain_text(60, wide=wide, min_size=1), long)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(string.digits, min_size=n, max_size=n)


def ssns() -> st.SearchStrategy[str]:
    """Nine digits the Social Security Administration could issue: area 001-899 except 666,
    group 01-99, serial 0001-9999."""
    return st.builds(
        lambda area, group, serial: f"{area:03d}{group:02d}{serial:04d}",
        st.integers(1, 899).filter(lambda area: area != 666),
        st.integers(1, 99),
        st.integers(1, 9999),
    )


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(""), strategy)


def _or_none(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def dates() -> st.SearchStrategy[dt.date]:
    return st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))


def month_years() -> st.SearchStrategy[str]:
    return st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1900, 2099), st.integers(1, 12))


_BOOL_OR_NONE = _or_none(st.booleans())


def _i94() -> st.SearchStrategy[str]:
    letter_form = st.builds(
        lambda a, b, c: a + b + c,
        digits(9),
        st.sampled_from(string.ascii_uppercase),
        digits(1),
    )
    return st.one_of(digits(11), letter_form)


def _passport_number() -> st.SearchStrategy[str]:
    return st.text(string.ascii_uppercase + string.digits, min_size=6, max_size=9)


def native_names(*, wide: bool = True) -> st.SearchStrategy[str]:
    """A name in a native alphabet: one of NATIVE_NAMES, Latin text, or empty."""
    samples = [name for names in NATIVE_NAMES.values() for name in names]
    return st.one_of(st.sampled_from(samples), st.just(""), plain_text(40, wide=wide, min_size=1))


# --- blocks -------------------------------------------------------------------------------------


def _address_strategy(
    model: type[Any], wide: bool, *, phone_required: bool = False, **extra: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """A US address: always a state and a ZIP code (the form requires them); the telephone is
    both boxes or neither, and always given for the preparer (Part E asks for it)."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "street": plain_text(40, wide=wide),
        "apartment": _optional(
            st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=5)
        ),
        "city": plain_text(25, wide=wide),
        "state": st.sampled_from(STATE_CODES),
        "zip_code": digits(5),
        **extra,
    }
    phone = st.tuples(digits(3), digits(7))
    if not phone_required:
        phone = st.one_of(st.just(("", "")), phone)
    missing = set(model.model_fields) - set(fields) - {"phone_area_code", "phone_number"}
    if missing:
        raise TypeError(f"no strategy for {model.__name__} fields {sorted(missing)}")
    return st.builds(
        lambda f, p: model(**f, phone_area_code=p[0], phone_number=p[1]),
        st.fixed_dictionaries(fields),
        phone,
    )


def addresses(*, wide: bool = True, phone_required: bool = False) -> st.SearchStrategy[Address]:
    return _address_strategy(Address, wide, phone_required=phone_required)


def _mailing_addresses(wide: bool) -> st.SearchStrategy[MailingAddress]:
    return _address_strategy(MailingAddress, wide, in_care_of=plain_text(40, wide=wide))


def _entries(wide: bool) -> st.SearchStrategy[Entry]:
    return _builds(
        Entry,
        date=_or_none(dates()),
        place=plain_text(40, wide=wide),
        status=plain_text(20, wide=wide),
        status_expires=_or_none(dates()),
    )


def applicants(*, wide: bool = True) -> st.SearchStrategy[Applicant]:
    t = plain_text
    return _builds(
        Applicant,
        a_number=_optional(digits(9)),
        ssn=_optional(ssns()),
        uscis_online_account_number=_optional(digits(12)),
        last_name=t(30, wide=wide),
        first_name=t(30, wide=wide),
        middle_name=t(20, wide=wide),
        other_names=st.lists(t(30, wide=wide, min_size=1), max_size=4),
        residence=addresses(wide=wide),
        mailing_address=_or_none(_mailing_addresses(wide)),
        sex=_or_none(st.sampled_from(["male", "female"])),
        marital_status=_or_none(st.sampled_from(["single", "married", "divorced", "widowed"])),
        date_of_birth=_or_none(dates()),
        city_and_country_of_birth=t(40, wide=wide),
        present_nationality=t(20, wide=wide),
        nationality_at_birth=t(20, wide=wide),
        race_ethnic_or_tribal_group=t(20, wide=wide),
        religion=t(20, wide=wide),
        immigration_court=_or_none(st.sampled_from(["never", "now", "past"])),
        last_departure_date=_or_none(dates()),
        i94_number=_optional(_i94()),
        entries=st.lists(_entries(wide), max_size=7),
        passport_country=t(20, wide=wide),
        passport_number=_optional(_passport_number()),
        travel_document_number=_optional(_passport_number()),
        passport_expiration=_or_none(dates()),
        native_language=t(30, wide=wide),
        fluent_in_english=_BOOL_OR_NONE,
        other_languages=t(30, wide=wide),
    )


def _relative_fields(wide: bool) -> dict[str, st.SearchStrategy[Any]]:
    t = plain_text
    return {
        "a_number": _optional(digits(9)),
        "passport_number": _optional(_passport_number()),
        "ssn": _optional(ssns()),
        "last_name": t(30, wide=wide),
        "first_name": t(30, wide=wide),
        "middle_name": t(20, wide=wide),
        "date_of_birth": _or_none(dates()),
        "city_and_country_of_birth": t(40, wide=wide),
        "nationality": t(20, wide=wide),
        "race_ethnic_or_tribal_group": t(20, wide=wide),
        "sex": _or_none(st.sampled_from(["male", "female"])),
        "in_us": _BOOL_OR_NONE,
        "location": t(40, wide=wide),
        "place_of_last_entry": t(40, wide=wide),
        "date_of_last_entry": _or_none(dates()),
        "i94_number": _optional(_i94()),
        "status_when_last_admitted": t(20, wide=wide),
        "current_status": t(20, wide=wide),
        "authorized_stay_expires": _or_none(dates()),
        "in_immigration_court": _BOOL_OR_NONE,
        "include_in_application": _BOOL_OR_NONE,
    }


def spouses(*, wide: bool = True) -> st.SearchStrategy[Spouse]:
    return _builds(
        Spouse,
        other_names=plain_text(40, wide=wide),
        date_of_marriage=_or_none(dates()),
        place_of_marriage=plain_text(40, wide=wide),
        previous_arrival_date=_or_none(dates()),
        **_relative_fields(wide),
    )


def children(*, wide: bool = True) -> st.SearchStrategy[Child]:
    return _builds(
        Child,
        marital_status=_or_none(st.sampled_from(["single", "married", "divorced", "widowed"])),
        **_relative_fields(wide),
    )


def _first_may_be_present(
    make: Callable[[bool], st.SearchStrategy[Any]], max_size: int
) -> st.SearchStrategy[list[Any]]:
    """Lists whose first element alone may end ``present``."""
    non_empty = st.tuples(make(True), st.lists(make(False), max_size=max_size - 1)).map(
        lambda t: [t[0], *t[1]]
    )
    return st.one_of(st.just([]), non_empty)


def _end(present_ok: bool) -> st.SearchStrategy[str | None]:
    if present_ok:
        return st.one_of(st.none(), month_years(), st.just("present"))
    return _or_none(month_years())


def _residences(wide: bool) -> Callable[[bool], st.SearchStrategy[Residence]]:
    def make(present_ok: bool) -> st.SearchStrategy[Residence]:
        return _builds(
            Residence,
            street=plain_text(50, wide=wide),
            city=plain_text(25, wide=wide),
            province=plain_text(25, wide=wide),
            country=plain_text(20, wide=wide),
            start=_or_none(month_years()),
            end=_end(present_ok),
        )

    return make


def _jobs(wide: bool) -> Callable[[bool], st.SearchStrategy[Employment]]:
    def make(present_ok: bool) -> st.SearchStrategy[Employment]:
        return _builds(
            Employment,
            employer=plain_text(60, wide=wide),
            occupation=plain_text(30, wide=wide),
            start=_or_none(month_years()),
            end=_end(present_ok),
        )

    return make


def _schools(wide: bool) -> st.SearchStrategy[School]:
    return _builds(
        School,
        name=plain_text(40, wide=wide),
        type=plain_text(20, wide=wide),
        location=plain_text(40, wide=wide),
        start=_or_none(month_years()),
        end=_or_none(month_years()),
    )


def _family_members(wide: bool) -> st.SearchStrategy[FamilyMember]:
    return _builds(
        FamilyMember,
        full_name=plain_text(40, wide=wide),
        city_and_country_of_birth=plain_text(40, wide=wide),
        current_location=plain_text(40, wide=wide),
        deceased=st.booleans(),
    )


def _backgrounds(wide: bool) -> st.SearchStrategy[Background]:
    return _builds(
        Background,
        last_addresses_before_us=st.lists(_residences(wide)(False), max_size=2),
        residences=_first_may_be_present(_residences(wide), 12),
        education=st.lists(_schools(wide), max_size=12),
        employment=_first_may_be_present(_jobs(wide), 12),
        mother=_or_none(_family_members(wide)),
        father=_or_none(_family_members(wide)),
        siblings=st.lists(_family_members(wide), max_size=12),
    )


def yes_no(*, wide: bool = True) -> st.SearchStrategy[YesNo]:
    return _builds(YesNo, answer=_BOOL_OR_NONE, explanation=narratives(wide=wide))


def _claims(wide: bool) -> st.SearchStrategy[Claim]:
    yn = yes_no(wide=wide)
    return _builds(
        Claim,
        grounds=_builds(
            Grounds,
            race=st.booleans(),
            religion=st.booleans(),
            nationality=st.booleans(),
            political_opinion=st.booleans(),
            particular_social_group=st.booleans(),
            torture_convention=st.booleans(),
        ),
        past_harm=yn,
        fear_of_return=yn,
        arrested_abroad=yn,
        organizations=yn,
        organizations_continuing=yn,
        fear_of_torture=yn,
    )


def _additional(wide: bool) -> st.SearchStrategy[AdditionalInformation]:
    yn = yes_no(wide=wide)
    return _builds(
        AdditionalInformation,
        prior_applications=yn,
        travel_through_other_countries=_BOOL_OR_NONE,
        status_in_other_countries=_BOOL_OR_NONE,
        other_countries_explanation=narratives(wide=wide),
        caused_harm=yn,
        returned=yn,
        filing_after_one_year=yn,
        crimes=yn,
    )


def _signatures(wide: bool) -> st.SearchStrategy[Signature]:
    return _builds(
        Signature,
        native_alphabet_name=native_names(wide=wide),
        family_assisted=_BOOL_OR_NONE,
        assistants=st.lists(
            _builds(
                Assistant,
                name=plain_text(40, wide=wide),
                relationship=plain_text(15, wide=wide),
            ),
            max_size=3,
        ),
        prepared_by_other=_BOOL_OR_NONE,
        received_counsel_list=_BOOL_OR_NONE,
        date_signed=_or_none(dates()),
    )


def _preparers(wide: bool) -> st.SearchStrategy[Preparer]:
    return _builds(
        Preparer,
        name=plain_text(40, wide=wide),
        address=addresses(wide=wide, phone_required=True),
        g28_attached=st.booleans(),
        bar_number=_optional(
            st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=10)
        ),
        uscis_online_account_number=_optional(digits(12)),
    )


def applications(*, wide: bool = True) -> st.SearchStrategy[Application]:
    """Arbitrary valid applications (see the module docstring for their shape)."""
    return _builds(
        Application,
        cat_withholding=st.booleans(),
        applicant=applicants(wide=wide),
        spouse=_or_none(spouses(wide=wide)),
        children=st.lists(children(wide=wide), max_size=9),
        background=_backgrounds(wide),
        claim=_claims(wide),
        additional=_additional(wide),
        signature=_signatures(wide),
        preparer=_or_none(_preparers(wide)),
    )
