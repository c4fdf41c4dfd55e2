"""Low-level operations on the form PDF: widgets, page copies, XFA removal, atomic save."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pikepdf

from refugio.atomic import write_atomically
from refugio.errors import EditionError, FillError

__all__ = [
    "Widget",
    "copy_page",
    "open_blank",
    "remove_page",
    "save_atomically",
    "strip_xfa",
    "widgets",
]

# Field attributes a widget may inherit from its parent fields (PDF 32000-1, 12.7.3.1).
_INHERITABLE = ("/FT", "/Ff", "/DA", "/Q", "/MaxLen", "/DV", "/TU")


@dataclass
class Widget:
    name: str  # full qualified field name
    page: int  # 0-based page index
    obj: pikepdf.Object  # the widget annotation dictionary

    def attr(self, key: str) -> pikepdf.Object | None:
        node: pikepdf.Object | None = self.obj
        while node is not None:
            if key in node:
                return node[key]
            node = node.get("/Parent")
        return None

    @cached_property
    def is_text(self) -> bool:
        return self.attr("/FT") == pikepdf.Name.Tx

    @cached_property
    def flags(self) -> int:
        ff = self.attr("/Ff")
        return int(ff) if ff is not None else 0

    @cached_property
    def max_len(self) -> int:
        ml = self.attr("/MaxLen")
        return int(ml) if ml is not None else 0

    @cached_property
    def size(self) -> tuple[float, float]:
        rect = pikepdf.Rectangle(self.obj.Rect)  # type: ignore[call-overload]
        return abs(rect.width), abs(rect.height)

    @property
    def on_state(self) -> pikepdf.Name:
        """The checkbox's own "on" appearance name (/Y, /1, /M …; pdf-filling.md pitfall 9)."""
        names = [k for k in self.obj.AP.N if k != "/Off"]
        if len(names) != 1:
            raise FillError(f"checkbox {self.name} has no single 'on' state: {names}")
        return pikepdf.Name(str(names[0]))


def open_blank(path: Path) -> pikepdf.Pdf:
    """Open a blank form, encrypted (as USCIS publishes it) or not."""
    try:
        # The published blanks use an empty user password (pdf-filling.md, pitfall 5).
        return pikepdf.open(path, password="")
    except FileNotFoundError as exc:
        raise EditionError(
            f"{path}: no such file; download the blank from uscis.gov/i-589"
        ) from exc
    except pikepdf.PasswordError as exc:
        raise EditionError(
            f"{path}: the PDF needs a password; use the blank from uscis.gov"
        ) from exc
    except pikepdf.PdfError as exc:
        raise EditionError(f"{path}: not a readable PDF ({exc})") from exc


def full_name(obj: pikepdf.Object) -> str:
    parts = []
    node: pikepdf.Object | None = obj
    while node is not None:
        if "/T" in node:
            parts.append(str(node.T))
        node = node.get("/Parent")
    return ".".join(reversed(parts))


def widgets(pdf: pikepdf.Pdf) -> list[Widget]:
    """Every widget with its full name and page, in page order then the page's /Annots order."""
    order: dict[tuple[int, int], tuple[int, int]] = {}
    for index, page in enumerate(pdf.pages):
        for k, annot in enumerate(page.obj.get("/Annots", [])):
            order[annot.objgen] = (index, k)
    found: list[tuple[tuple[int, int], Widget]] = []
    # Names are built top-down over the field tree: one pass instead of a walk up per widget.
    acro = pdf.Root.get("/AcroForm")  # absent in a flattened copy: no widgets
    stack: list[tuple[pikepdf.Object, str]] = [
        (f, "") for f in (acro.get("/Fields", []) if acro is not None else [])
    ]
    while stack:
        node, prefix = stack.pop()
        name = (
            f"{prefix}.{node.T}"
            if prefix and "/T" in node
            else (str(node.T) if "/T" in node else prefix)
        )
        kids = node.get("/Kids")
        if kids is not None:
            stack.extend((kid, name) for kid in kids)
        if node.get("/Subtype") == pikepdf.Name.Widget and node.objgen in order:
            where = order[node.objgen]
            found.append((where, Widget(name, where[0], node)))
    found.sort(key=lambda pair: pair[0])
    return [w for _, w in found]


def strip_xfa(pdf: pikepdf.Pdf) -> None:
    """Remove the XFA form and the usage-rights signature (pdf-filling.md, pitfalls 1-2).

    With /XFA present Adobe Reader shows the (empty) XFA form and ignores the AcroForm values;
    /Perms /UR3 is invalidated by any change and makes Reader warn about "extended features".
    """
    acro = pdf.Root.AcroForm
    for key in ("/XFA", "/NeedAppearances"):
        if key in acro:
            del acro[key]
    if "/Perms" in pdf.Root:
        del pdf.Root["/Perms"]


def copy_page(pdf: pikepdf.Pdf, index: int, insert_at: int, field_prefix: str) -> list[Widget]:
    """Insert a copy of page ``index`` whose widgets are new fields under ``field_prefix``.

    Copies never share field objects with the original (pdf-filling.md, pitfall 10): each copied
    widget becomes a kid of a new top-level field named ``field_prefix``, keeping its own last
    name part, with the attributes it used to inherit written onto it.
    """
    src = pdf.pages[index].obj
    parent = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String(field_prefix), Kids=[]))
    page_dict = pikepdf.Dictionary(
        {k: v for k, v in src.items() if k not in ("/Annots", "/StructParents", "/Parent")}
    )
    page_obj = pdf.make_indirect(page_dict)
    annots = []
    made = []
    seen: set[str] = set()
    for annot in src.get("/Annots", []):
        if annot.get("/Subtype") != pikepdf.Name.Widget:
            continue
        w = Widget(full_name(annot), index, annot)
        copy = pikepdf.Dictionary(
            {
                k: v
                for k, v in annot.items()
                if k not in ("/Parent", "/P", "/StructParent", "/T", "/V")
            }
        )
        node = annot.get("/Parent")  # one walk up the parents for every inherited attribute
        while node is not None:
            for key in _INHERITABLE:
                if key in node and key not in copy:
                    copy[key] = node[key]
            node = node.get("/Parent")
        part = str(annot.T)
        if part in seen:
            raise FillError(f"page {index + 1} has two widgets named {part}")
        seen.add(part)
        copy.T = pikepdf.String(part)
        copy.Parent = parent
        copy.P = page_obj
        ind = pdf.make_indirect(copy)
        parent.Kids.append(ind)
        annots.append(ind)
        made.append((w.name, ind))
    page_obj.Annots = pikepdf.Array(annots)
    pdf.pages.insert(insert_at, pikepdf.Page(page_obj))
    pdf.Root.AcroForm.Fields.append(parent)
    return [Widget(orig, insert_at, ind) for orig, ind in made]


def remove_page(pdf: pikepdf.Pdf, index: int) -> None:
    """Remove an unused page and its fields from the field tree."""
    page = pdf.pages[index].obj
    for annot in page.get("/Annots", []):
        node = annot
        while True:
            parent = node.get("/Parent")
            kids = parent.Kids if parent is not None else pdf.Root.AcroForm.Fields
            for k in range(len(kids)):
                if kids[k].objgen == node.objgen:
                    del kids[k]
                    break
            if parent is None or len(parent.Kids) > 0:
                break
            node = parent
    del pdf.pages[index]


def save_atomically(pdf: pikepdf.Pdf, out: Path) -> None:
    """Write ``out`` completely or not at all: temp file, fsync, rename, fsync the directory."""
    out = Path(out)
    directory = out.parent if str(out.parent) else Path(".")
    if not directory.is_dir():
        raise FillError(f"{out}: the folder {directory} does not exist")
    # Existing streams are copied as they are (decoding and recompressing them doubles the
    # time); the new appearance streams are compressed. refugio.atomic makes the file 0600: a
    # filled I-589 is confidential (8 CFR 208.6).
    try:
        write_atomically(
            out,
            lambda fh: pdf.save(
                fh,
                encryption=False,
                compress_streams=True,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
            ),
            suffix=".pdf.part",
        )
    except OSError as exc:
        raise FillError(f"{out}: cannot write the PDF ({exc.strerror or exc})") from exc
