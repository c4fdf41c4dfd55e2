"""Model paths ("children[2].date_of_birth"): the form item they belong to and their form order.

Both are read from the model's own field descriptions, which start with the item
("Part A.I, item 12: date of birth"; the spouse and child blocks get theirs through the JSON
Schema), so an item number is written once, in refugio.model, and never copied here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from refugio.model import Application

__all__ = ["describe", "item_for", "label_for", "na_word", "order_key"]

_TOKEN = re.compile(r"([a-z0-9_]+)(?:\[([0-9]+)\])?")
_ITEM_NUMBER = re.compile(r"\bitems? ([0-9]+)(?:\.([A-Z]))?")
_CHILD = re.compile(r"children\[([0-9]+)\]")
_FORMAT_HINT = re.compile(r"\s*\((?:YYYY-MM|YYYY-MM-DD)[^)]*\)")

OrderKey = tuple[tuple[int, str, int, int], ...]


@dataclass(frozen=True)
class _Field:
    prefix: str  # "Part A.I, item 12", "Part D", or "" when the description names no part
    label: str  # what the description says after the prefix: "date of birth"
    model: type[BaseModel] | None  # the nested model, if the field holds one
    rank: tuple[int, str, int]  # (item number, item letter, declaration position)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is None and isinstance(annotation, type):
        return annotation if issubclass(annotation, BaseModel) else None
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


@functools.cache
def _fields(cls: type[BaseModel]) -> dict[str, _Field]:
    # The schema, not FieldInfo, because the spouse and child item numbers are only put into
    # the descriptions when the schema is generated (refugio.model._cite).
    schema = cls.model_json_schema()["properties"]
    fields: dict[str, _Field] = {}
    for position, (name, info) in enumerate(cls.model_fields.items()):
        description = schema.get(name, {}).get("description") or info.description or ""
        prefix = description.split(":", 1)[0] if description.startswith(("Part ", "Page ")) else ""
        number = _ITEM_NUMBER.search(prefix)
        rank = (int(number[1]), number[2] or "", position) if number else (0, "", position)
        label = description.split(": ", 1)[-1] if ": " in description else description or name
        # "(YYYY-MM or 'present')" tells a JSON author the format; a reader sees mm/yyyy.
        label = _FORMAT_HINT.sub("", label)
        fields[name] = _Field(prefix, label, _model_of(info.annotation), rank)
    return fields


def _walk(path: str) -> list[tuple[_Field, int]]:
    steps: list[tuple[_Field, int]] = []
    model: type[BaseModel] | None = Application
    for part in path.split("."):
        token = _TOKEN.fullmatch(part)
        if token is None or model is None or token[1] not in _fields(model):
            raise ValueError(f"not a path of the application model: {path!r}")
        field = _fields(model)[token[1]]
        steps.append((field, int(token[2]) if token[2] is not None else -1))
        model = field.model
    return steps


def item_for(path: str) -> str:
    """The form item of a model path, e.g. "Part A.II, child 3, item 8"."""
    prefixes = [field.prefix for field, _ in _walk(path) if field.prefix]
    numbered = [p for p in prefixes if _ITEM_NUMBER.search(p)]
    # The shallowest numbered item wins: "Part A.I, item 8" for the residence rather than the
    # generic "Address" of its street; without a number, the deepest part ("Part D").
    item = numbered[0] if numbered else (prefixes[-1] if prefixes else "")
    item = item.replace("spouse item", "spouse, item")
    child = _CHILD.match(path)
    if child is not None:
        n = int(child[1]) + 1
        item = (
            item.replace("child item", f"child {n}, item")
            if "child item" in item
            else (f"Part A.II, child {n}")
        )
    return item


def label_for(path: str) -> str:
    """What the form asks at ``path``, without its item: "date the status expires, if any"."""
    return _walk(path)[-1][0].label


def describe(path: str) -> str:
    """Item, row and question: "Part A.I, item 19.C, row 2: date the status expires, if any".

    Used where an answer is continued on Supplement B, so the reader finds its box.
    """
    item = item_for(path)
    rows = [index for _field, index in _walk(path)[:-1] if index >= 0]
    if rows and not path.startswith("children["):  # a child's number is in its item already
        item = f"{item}, row {rows[-1] + 1}"
    return f"{item}: {label_for(path)}"


# Identifiers take "NONE" when the applicant has none; other empty answers "N/A" (instructions,
# Part 1 §V: never leave an answer blank). `fill --na` writes it, `check` announces it.
_NONE_LEAVES = frozenset(
    {
        "a_number",
        "ssn",
        "i94_number",
        "uscis_online_account_number",
        "passport_number",
        "travel_document_number",
        "other_names",
    }
)


def na_word(path: str) -> str:
    """What stands in an empty answer at ``path``: "NONE" for a number, else "N/A"."""
    return "NONE" if path.rsplit(".", 1)[-1] in _NONE_LEAVES else "N/A"


def order_key(path: str) -> OrderKey:
    """Sort key putting paths in form order (item numbers first, then declaration order)."""
    return tuple((*field.rank, index) for field, index in _walk(path))
