"""From the application model to the flat values the field maps name, formatted for the form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from refugio.model import Application

__all__ = ["flatten", "format_value", "list_lengths"]

_MONTH_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
# Identifiers are written as digits only: the boxes hold 9 characters (A-Number, SSN) and the
# instructions ask for the number without the "A" prefix or dashes.
_DIGITS_ONLY = ("a_number", "ssn", "phone_area_code", "phone_number")


def flatten(app: Application) -> dict[str, Any]:
    """Every leaf of ``app`` by path (``children[2].last_name``), plus the ``derived.*`` values."""
    flat: dict[str, Any] = {}
    _walk(app, "", flat, {})
    flat["applicant.other_names"] = ", ".join(n for n in app.applicant.other_names if n)
    flat["derived.full_name"] = app.full_name
    # "I am not married" only when the applicant said so (Part A.I item 11): an unanswered
    # status must not tick a box that asserts a fact.
    flat["derived.not_married"] = app.applicant.marital_status in ("single", "divorced", "widowed")
    flat["derived.has_children"] = bool(app.children)
    flat["derived.total_children"] = str(len(app.children)) if app.children else ""
    return flat


def _walk(node: Any, prefix: str, out: dict[str, Any], lengths: dict[str, int]) -> None:
    """Leaves into ``out`` by path; the length of every non-empty list of models into
    ``lengths``."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            path = f"{prefix}.{name}" if prefix else name
            _walk(getattr(node, name), path, out, lengths)
    elif isinstance(node, list) and (not node or isinstance(node[0], BaseModel)):
        if node:
            lengths[prefix] = len(node)
        for i, item in enumerate(node):
            _walk(item, f"{prefix}[{i}]", out, lengths)
    else:
        out[prefix] = node


def list_lengths(app: Application) -> dict[str, int]:
    """Length of every list of models by path (``background.residences`` → 12)."""
    lengths: dict[str, int] = {}
    _walk(app, "", {}, lengths)
    return lengths


def format_value(path: str, value: Any) -> str:
    """The text a box shows for ``value``: dates mm/dd/yyyy, months mm/yyyy, ids as digits."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    leaf = path.rsplit(".", 1)[-1]
    if leaf in ("start", "end"):
        if text == "present":
            return "PRESENT"
        m = _MONTH_YEAR.match(text)
        if m:
            return f"{m.group(2)}/{m.group(1)}"
    if leaf in _DIGITS_ONLY:
        digits = re.sub(r"[\s\-A]", "", text, flags=re.IGNORECASE)
        if leaf == "phone_number" and len(digits) == 7 and digits.isdigit():
            return f"{digits[:3]}-{digits[3:]}"  # as printed on the form: 555-0147
        return digits if digits.isdigit() else text
    if leaf == "marital_status":
        return text.capitalize()
    # A single text box holds one line; a narrative box wraps (the caller decides).
    return text
