"""Form editions as data: which I-589 editions Refugio knows, their field maps, and detection.

A field map (``data/i589-YYYY-MM-DD.json``) accounts for every widget of one edition: either
the model path whose value goes into it, or the reason it stays blank (officer parts, signature
boxes, barcodes). The edition of a PDF is read from the PDF itself — the barcode field value
``I-589|01/20/25|1`` (2023 and later) or the page footer ("Edition 01/20/25", "Rev. 08/25/20") —
never trusted from a file name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pikepdf

from refugio.errors import EditionError, FieldMapError

__all__ = [
    "DEFAULT_EDITION",
    "EDITIONS",
    "Edition",
    "MapEntry",
    "detect_edition",
    "get_edition",
]


@dataclass(frozen=True)
class MapEntry:
    """What one widget receives: a model path (and, for a checkbox, the value that ticks it)."""

    name: str
    path: str | None
    item: str = ""
    on: Any = None
    blank: str | None = None

    @property
    def is_checkbox(self) -> bool:
        return self.on is not None


@dataclass(frozen=True)
class Edition:
    """One published edition of Form I-589."""

    key: str  # e.g. "2025-01-20"
    label: str  # as printed on the form, e.g. "01/20/25"
    filename: str  # the blank's conventional file name in the forms directory

    def field_map(self) -> FieldMap:
        return _load_map(self.key)


@dataclass(frozen=True)
class FieldMap:
    edition: str
    pages: int
    supplement_a_page: int
    supplement_b_page: int
    entries: dict[str, MapEntry]


# Newest first. Sources: the blanks published at uscis.gov/i-589 (shared/forms/README.md).
EDITIONS: dict[str, Edition] = {
    e.label: e
    for e in (
        Edition("2025-01-20", "01/20/25", "i-589-ed-2025-01-20-blank.pdf"),
        Edition("2023-03-01", "03/01/23", "i-589-ed-2023-03-01-blank.pdf"),
        Edition("2020-08-25", "08/25/20", "i-589-ed-2020-08-25-blank.pdf"),
    )
}
DEFAULT_EDITION = "01/20/25"


def get_edition(label_or_key: str) -> Edition:
    """Look up an edition by its printed label ("01/20/25") or key ("2025-01-20")."""
    for e in EDITIONS.values():
        if label_or_key in (e.label, e.key):
            return e
    known = ", ".join(EDITIONS)
    raise EditionError(f"unknown I-589 edition {label_or_key!r} (known: {known})")


@cache
def _load_map(key: str) -> FieldMap:
    res = resources.files("refugio.editions") / "data" / f"i589-{key}.json"
    try:
        raw = json.loads(res.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FieldMapError(f"field map for edition {key} cannot be read: {exc}") from exc
    entries = {}
    for name, spec in raw["widgets"].items():
        entries[name] = MapEntry(
            name=name,
            path=spec.get("path"),
            item=spec.get("item", ""),
            on=spec.get("on"),
            blank=spec.get("blank"),
        )
    return FieldMap(
        edition=raw["edition"],
        pages=int(raw["pages"]),
        supplement_a_page=int(raw["supplement_a_page"]),
        supplement_b_page=int(raw["supplement_b_page"]),
        entries=entries,
    )


_BARCODE = re.compile(r"^I-589\|(\d\d/\d\d/\d\d)\|\d+$")
_FOOTER = re.compile(rb"\((?:Form I-589\s+Edition\s+|Rev\.\s*)(\d\d/\d\d/\d\d)")


def detect_edition(pdf: pikepdf.Pdf) -> Edition:
    """Tell which I-589 edition ``pdf`` is, from its barcode field or its first page's footer."""
    found = _edition_from_barcode(pdf) or _edition_from_footer(pdf)
    if found is None:
        raise EditionError(
            "this PDF is not a known edition of Form I-589: no I-589 barcode field and no "
            "'Form I-589 Edition' footer; download the blank from uscis.gov/i-589"
        )
    if found not in EDITIONS:
        raise EditionError(
            f"this is Form I-589 edition {found}, which Refugio has no field map for "
            f"(known: {', '.join(EDITIONS)}); a new edition needs a reviewed map"
        )
    return EDITIONS[found]


def _edition_from_barcode(pdf: pikepdf.Pdf) -> str | None:
    acro = pdf.Root.get("/AcroForm")
    if acro is None or len(pdf.pages) == 0:
        return None
    for annot in pdf.pages[0].obj.get("/Annots", []):
        value = annot.get("/V")
        if isinstance(value, pikepdf.String):
            m = _BARCODE.match(str(value))
            if m:
                return m.group(1)
    return None


def _edition_from_footer(pdf: pikepdf.Pdf) -> str | None:
    if len(pdf.pages) == 0:
        return None
    contents = pdf.pages[0].obj.get("/Contents")
    if contents is None:
        return None
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    for stream in streams:
        m = _FOOTER.search(stream.read_bytes())
        if m:
            return m.group(1).decode("ascii")
    return None
