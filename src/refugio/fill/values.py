"""From the application model to the flat values the field maps name, formatted for the form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from refugio.model import Application, Child

__all__ = ["child_values", "describe", "flatten", "format_value", "item_of", "list_lengths"]

_MONTH_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
# Identifiers are written as digits only: the boxes hold 9 characters (A-Number, SSN) and the
# instructions ask for the number without the "A" prefix or dashes.
_DIGITS_ONLY = ("a_number", "ssn", "phone_area_code", "phone_number")


def flatten(app: Application) -> dict[str, Any]:
    """Every leaf of ``app`` by path (``children[2].last_name``), plus the ``derived.*`` values."""
    flat: dict[str, Any] = {}
    _walk(app, "", flat)
    flat["applicant.other_names"] = ", ".join(n for n in app.applicant.other_names if n)
    flat["derived.full_name"] = app.full_name
    flat["derived.not_married"] = app.spouse is None
    flat["derived.has_children"] = bool(app.children)
    flat["derived.total_children"] = str(len(app.children)) if app.children else ""
    return flat


def _walk(node: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            _walk(getattr(node, name), f"{prefix}{name}" if not prefix else f"{prefix}.{name}", out)
    elif isinstance(node, list) and (not node or isinstance(node[0], BaseModel)):
        for i, item in enumerate(node):
            _walk(item, f"{prefix}[{i}]", out)
    else:
        out[prefix] = node


def list_lengths(app: Application) -> dict[str, int]:
    """Length of every list of models by path (``background.residences`` → 12)."""
    out: dict[str, int] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name), f"{prefix}.{name}" if prefix else name)
        elif isinstance(node, list) and node and isinstance(node[0], BaseModel):
            out[prefix] = len(node)
            for i, item in enumerate(node):
                walk(item, f"{prefix}[{i}]")

    walk(app, "")
    return out


def child_values(child: Child) -> dict[str, Any]:
    return {name: getattr(child, name) for name in Child.model_fields}


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
        return digits if digits.isdigit() else text
    if leaf == "marital_status":
        return text.capitalize()
    # A single text box holds one line; a narrative box wraps (the caller decides).
    return text


def item_of(path: str) -> str:
    """The form item a model path belongs to, from the model's descriptions.

    ``applicant.entries[1].status_expires`` → "Part A.I, item 19.C, row 2: date the status
    expires, if any".
    """
    model: Any = Application
    label, row, item = path, "", ""
    for part in path.split("."):
        name, _, index = part.partition("[")
        info = model.model_fields.get(name) if hasattr(model, "model_fields") else None
        if info is None:
            break
        desc = info.description or ""
        if ": " in desc and desc.startswith(("Part", "Page", "Supplement")):
            item, label = desc.split(": ", 1)
        else:
            label = desc or name
        if index:
            row = f", row {int(index.rstrip(']')) + 1}"
        model = _inner_model(info.annotation)
    return f"{item or 'Part A'}{row}: {label}"


def _inner_model(annotation: Any) -> Any:
    """The model class inside ``X``, ``X | None`` or ``list[X]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def describe(model: type[BaseModel], name: str) -> str:
    """A column's label for continuation pages: the field description without its item."""
    desc = model.model_fields[name].description or name
    return desc.split(": ", 1)[-1]
