"""Specimen documents for the fictional example dossiers: the demo and the tests need files.

The example dossier (``examples/dossiers/*.json``) names evidence files that do not exist: real
documents of real people must never be in the repository, and invented ones that look genuine
should not be either. Each specimen is a plain page that says, in large letters, that it is a
fictional specimen, followed by what the dossier says of the document. A photo is a grey PNG.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from refugio.claim.model import DocumentKind, Dossier, Evidence
from refugio.claim.typeset import Pages

__all__ = ["specimen", "translation_specimen", "write_specimens"]

# A sentence in the document's language, so the packet shows foreign text beside its
# translation; languages not listed get the English sentence.
_SAMPLE = {
    "zh": "这是一份虚构的样本文件，仅用于演示。",
    "ru": "Это вымышленный образец документа, только для демонстрации.",
    "es": "Este es un documento de muestra ficticio, solo para demostración.",
    "ps": "دا یو خیالي نمونه سند دی، یوازې د ښودنې لپاره.",
    "ar": "هذه وثيقة نموذجية خيالية للعرض فقط.",
}
_ENGLISH = "This is a fictional specimen document, for demonstration only."


def specimen(item: Evidence) -> bytes:
    """The specimen of ``item``: a PNG for a photo, a one-page PDF otherwise."""
    if item.kind == DocumentKind.PHOTO:
        return _photo(item)
    doc = Pages()
    doc.heading("FICTIONAL SPECIMEN", size=20, centre=True)
    doc.heading(item.title, centre=True)
    language = item.language.split("-")[0].lower()
    doc.text(_SAMPLE.get(language, _ENGLISH), size=12)
    for label, value in _facts(item):
        doc.text(f"{label}: {value}")
    return _pdf(doc)


def translation_specimen(item: Evidence) -> bytes:
    """The English translation of a foreign-language specimen."""
    doc = Pages()
    doc.heading("FICTIONAL SPECIMEN — ENGLISH TRANSLATION", size=16, centre=True)
    doc.heading(item.title, centre=True)
    doc.text(_ENGLISH, size=12)
    for label, value in _facts(item):
        doc.text(f"{label}: {value}")
    return _pdf(doc)


def write_specimens(dossier: Dossier, folder: Path) -> list[Path]:
    """Write every evidence file (and translation) the dossier names, under ``folder``."""
    written = []
    for item in dossier.evidence:
        written.append(_write(folder / item.file, specimen(item)))
        if item.translation is not None:
            written.append(_write(folder / item.translation.file, translation_specimen(item)))
    return written


def _facts(item: Evidence) -> list[tuple[str, str]]:
    facts = [
        ("Issued by", item.issued_by),
        ("Date", str(item.date) if item.date else ""),
        ("Place", item.place),
        ("About", item.description),
    ]
    return [(label, value) for label, value in facts if value]


def _pdf(doc: Pages) -> bytes:
    out = io.BytesIO()
    doc.build().save(out)
    return out.getvalue()


def _photo(item: Evidence) -> bytes:
    image = Image.new("RGB", (800, 600), (200, 200, 200))
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "FICTIONAL SPECIMEN PHOTO", fill=(0, 0, 0))
    draw.text((40, 80), item.title.encode("ascii", "replace").decode(), fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
