"""Formats of identifiers and US addresses (Part A.I, items 1, 2, 8, 9 and 19.B; Part A.II;
Part E), with normalisers the filler can reuse.

The form's boxes set the limits: the A-Number box holds 9 characters, the ZIP box 5, the area
code 3 and the I-94 box 11 (widget /MaxLen, shared/notes/pdf-filling.md, pitfall 8).

"none", "not applicable" and "unknown" are accepted wherever a value is asked for: they are the
answers the instructions want instead of a blank (Part 1 §V, p. 5).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from refugio.check.finding import Finding, Text, error, phrase, warning
from refugio.model import Address, Application

__all__ = [
    "STATE_CODES",
    "formats",
    "is_na_word",
    "normalize_a_number",
    "normalize_i94",
    "normalize_ssn",
    "normalize_state",
]

NA_WORDS = frozenset({"none", "n/a", "na", "not applicable", "unknown"})

# USPS Publication 28, Appendix B: the 50 states, DC, the inhabited territories and the
# military "states" (Armed Forces Americas, Europe, Pacific). The freely associated states
# (FM, MH, PW) are not the United States, where the applicant must reside (form, item 8).
_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
)
STATE_CODES = frozenset(_STATES.split()) | {"DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"}

# "[0-9]", never "\d": "\d" also matches Arabic-Indic and other non-ASCII digits.
_A_NUMBER = re.compile(r"[0-9]{7,9}")
_I94 = re.compile(r"[0-9A-Z]{11}")
_SSN = re.compile(r"[0-9]{9}")
_ZIP = re.compile(r"[0-9]{5}")
_ZIP_PLUS_4 = re.compile(r"[0-9]{5}-?[0-9]{4}")
_SEPARATORS = re.compile(r"[\s\-.()]")


def is_na_word(value: str) -> bool:
    return value.strip().casefold() in NA_WORDS


def normalize_a_number(value: str) -> str | None:
    """The digits of an A-Number ("A-201-555-019" -> "201555019"), or None if not 7-9 digits."""
    digits = _SEPARATORS.sub("", value)
    digits = digits[1:] if digits[:1] in ("A", "a") else digits
    return digits if _A_NUMBER.fullmatch(digits) else None


def normalize_i94(value: str) -> str | None:
    """An I-94 number in capitals without spaces, or None if not 11 letters and digits."""
    compact = re.sub(r"\s", "", value).upper()
    return compact if _I94.fullmatch(compact) else None


def normalize_ssn(value: str) -> str | None:
    """The nine digits of a Social Security Number ("219-09-9999" -> "219099999"), or None."""
    digits = _SEPARATORS.sub("", value)
    return digits if _SSN.fullmatch(digits) else None


def normalize_state(value: str) -> str | None:
    code = value.strip().upper()
    return code if code in STATE_CODES else None


def _ssn_problem(digits: str) -> Text | None:
    # SSA, "Social Security Number Randomization" (2011): area numbers 000, 666 and 900-999,
    # group 00 and serial 0000 are never assigned. 9xx is the ITIN range, a common mix-up.
    if digits[0] == "9":
        return phrase("begins with 9: that is an ITIN, not a Social Security Number")
    if digits[:3] in ("000", "666") or digits[3:5] == "00" or digits[5:] == "0000":
        return phrase("is not a number the Social Security Administration issues")
    return None


def _identifiers(prefix: str, a_number: str, ssn: str, i94: str) -> Iterator[Finding]:
    if a_number.strip() and not is_na_word(a_number) and normalize_a_number(a_number) is None:
        yield error(
            f"{prefix}.a_number",
            'A-Number must be 7 to 9 digits (a leading "A" and dashes are allowed): %(value)s',
            value=repr(a_number),
        )
    if ssn.strip() and not is_na_word(ssn):
        digits = normalize_ssn(ssn)
        problem = (
            _ssn_problem(digits) if digits else phrase("must be 9 digits (dashes are allowed)")
        )
        if problem:
            yield error(
                f"{prefix}.ssn",
                "Social Security Number %(problem)s: %(value)s",
                problem=problem,
                value=repr(ssn),
            )
    if i94.strip() and not is_na_word(i94) and normalize_i94(i94) is None:
        yield error(
            f"{prefix}.i94_number",
            "I-94 number must be 11 letters and digits: %(value)s",
            value=repr(i94),
        )


def _zip(path: str, value: str) -> Iterator[Finding]:
    code = value.strip()
    if not code or is_na_word(code) or _ZIP.fullmatch(code):
        return
    if _ZIP_PLUS_4.fullmatch(code):
        yield warning(path, "the form's ZIP code box holds 5 digits: give %(zip)s", zip=code[:5])
    else:
        yield error(path, "ZIP code must be 5 digits: %(value)s", value=repr(value))


def _phone(prefix: str, address: Address) -> Iterator[Finding]:
    area, number = address.phone_area_code, address.phone_number
    if blank_area := not area.strip():
        if number.strip():  # both blank is the required-answers rule's business
            yield error(f"{prefix}.phone_area_code", "telephone area code is blank")
    elif not is_na_word(area) and not re.fullmatch(r"[0-9]{3}", _SEPARATORS.sub("", area)):
        yield error(
            f"{prefix}.phone_area_code",
            "telephone area code must be 3 digits: %(value)s",
            value=repr(area),
        )
    if not number.strip():
        if not blank_area:
            yield error(f"{prefix}.phone_number", "telephone number is blank")
    elif not is_na_word(number) and not re.fullmatch(r"[0-9]{7}", _SEPARATORS.sub("", number)):
        yield error(
            f"{prefix}.phone_number",
            "telephone number must be 7 digits (the area code has its own box): %(value)s",
            value=repr(number),
        )


def _address(prefix: str, address: Address) -> Iterator[Finding]:
    state = address.state
    if state.strip() and not is_na_word(state) and normalize_state(state) is None:
        yield error(
            f"{prefix}.state",
            "state must be a two-letter US state or territory code (e.g. NY, PR, AE): %(value)s",
            value=repr(state),
        )
    yield from _zip(f"{prefix}.zip_code", address.zip_code)
    yield from _phone(prefix, address)


def formats(app: Application, today: dt.date) -> Iterator[Finding]:
    """Identifiers (A-Number, SSN, I-94) and US addresses have the shape the form expects."""
    a = app.applicant
    yield from _identifiers("applicant", a.a_number, a.ssn, a.i94_number)
    yield from _address("applicant.residence", a.residence)
    if a.mailing_address is not None:
        yield from _address("applicant.mailing_address", a.mailing_address)
    if app.spouse is not None:
        s = app.spouse
        yield from _identifiers("spouse", s.a_number, s.ssn, s.i94_number)
    for i, child in enumerate(app.children):
        yield from _identifiers(f"children[{i}]", child.a_number, child.ssn, child.i94_number)
    if app.preparer is not None:
        yield from _address("preparer.address", app.preparer.address)
