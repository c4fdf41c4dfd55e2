"""Exhibits: tab pages, continuous page numbers and the index (issue 5, point 5).

Each piece of evidence becomes an exhibit, lettered A, B, … Z, AA, AB … in the order given:

1. a **tab page** — "EXHIBIT C", the title and what it shows — which is also the cover page of
   the document, so it carries the applicant's name and A-Number (the page header) and lines
   for the signature and date (instructions Part 1 §V, NOTE: "Put your A-Number …, name …,
   signature, and date … on the cover page of any supporting documents");
2. the document's own pages (an image becomes one Letter page, scaled to fit);
3. for a document in another language, its full English translation and a **translator's
   certificate** of competence and accuracy (instructions Part 1 §VI, "Translations";
   8 CFR 103.2(b)(3)), with the translator's name, address, signature and date.

Every page of every exhibit is then stamped at the bottom right with a continuous number,
"Cen — 000123" (Bates numbering), so that the officer, the applicant and the representative can
cite any page. The prefix is plain ASCII ("Nguyễn" → "Nguyen"): the stamp is drawn with a
standard font that has no "ễ", and the index must cite the very label the pages carry. The
**index** lists each exhibit's letter, title, description, who issued it, when and where, its
page range, and in words the events and the elements of the claim it supports — never the
dossier's internal ids.

Stamping appends one small content stream per page that draws the number with the standard
Helvetica font: no page is rendered, merged or decoded, so 300 pages take milliseconds. The
page's own content is wrapped in ``q … Q`` first, so a document whose content leaves the
graphics state changed (a scaled or mirrored coordinate system, white fill colour) cannot move,
shrink or hide the number; a rotated page is stamped in its displayed orientation.

Where a document Refugio was not given belongs in a package (a photograph, a G-28, a copy of a
passport or a birth certificate), :class:`Placeholders` prints a sheet that says what to put
there, and to remove the sheet before filing.

Input files are PDF, JPEG or PNG bytes already checked and cleaned by ``refugio.uploads``.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import warnings
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

import pikepdf
from PIL import Image

from refugio.claim.languages import language_name
from refugio.claim.model import Dossier, Element, Event, Evidence, Harm
from refugio.claim.typeset import LETTER, Pages
from refugio.claim.wording import and_list, cap, date_words, when_words
from refugio.errors import DossierError, PacketError
from refugio.fill.layout import LEADING

__all__ = [
    "Exhibit",
    "Exhibits",
    "Item",
    "Placeholders",
    "bates_label",
    "bates_prefix",
    "build_exhibits",
    "exhibit_letter",
    "index_pages",
    "language_of",
    "stamp_pages",
]

Progress = Callable[[str, int, int], None]

IMAGE_MARGIN = 36.0  # half an inch around an image: inside any printer's unprintable edge
STAMP_SIZE = 9.0
STAMP_RIGHT = 30.0  # points from the right edge of the displayed page to the number's end
STAMP_BASELINE = 18.0  # points from its bottom edge


@dataclass(frozen=True)
class Item:
    """The inputs of one exhibit: the evidence entry and its file(s), as bytes."""

    evidence: Evidence
    document: bytes
    translation: bytes | None = None
    section: str = ""  # the index heading it is listed under ("" for none)


@dataclass(frozen=True)
class Exhibit:
    """Where one exhibit ended up: its letter and page numbers (Bates numbers, inclusive)."""

    letter: str
    evidence: Evidence
    section: str
    first: int  # the tab page
    document: tuple[int, int]
    translation: tuple[int, int] | None = None
    certificate: tuple[int, int] | None = None

    @property
    def last(self) -> int:
        ends = [self.document[1]]
        ends += [r[1] for r in (self.translation, self.certificate) if r is not None]
        return max(ends)

    @property
    def pages(self) -> int:
        return self.last - self.first + 1


@dataclass
class Exhibits:
    """The stamped exhibit pages, in order, and where each exhibit is.

    ``pdf`` refers to the source documents: they stay open (in the caller's ``ExitStack``)
    until every PDF made from these pages has been saved.
    """

    pdf: pikepdf.Pdf
    exhibits: list[Exhibit]
    prefix: str
    start: int

    def label(self, number: int) -> str:
        return bates_label(self.prefix, number)

    def indices(self, exhibit: Exhibit) -> range:
        """The 0-based positions of the exhibit's pages in ``pdf``."""
        return range(exhibit.first - self.start, exhibit.last - self.start + 1)

    def describe(self, chosen: Sequence[Exhibit]) -> str:
        """ "Exhibits A–C (pages Cen — 000001 to 000012)", for consecutive exhibits."""
        first, last = chosen[0], chosen[-1]
        letters = f"s {first.letter}–{last.letter}" if len(chosen) > 1 else f" {first.letter}"
        return f"Exhibit{letters} (pages {self.label(first.first)} to {last.last:06d})"


def exhibit_letter(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA, 27 → AB … (as columns of a spreadsheet are lettered)."""
    n += 1
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("A") + r) + letters
    return letters


def bates_label(prefix: str, number: int) -> str:
    """The stamp on a page, e.g. "Cen — 000123"."""
    return f"{prefix} — {number:06d}" if prefix else f"{number:06d}"


def bates_prefix(*names: str) -> str:
    """The first of ``names`` that keeps a Latin letter once written in plain ASCII
    ("Nguyễn" → "Nguyen", "Đặng" → "Dang"), so written; "Exhibit" when none does (a name
    written only in another script: the caller passes the A-Number next)."""
    for name in names:
        folded = "".join(_LATIN.get(c, c) for c in unicodedata.normalize("NFKD", name))
        plain = " ".join(re.sub(r"[^A-Za-z0-9 '.-]", "", folded).split())
        if re.search(r"[A-Za-z]", plain):
            return plain
    return "Exhibit"


# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = dict(zip("ĐđØøŁłıĦħŦŧƏə", "DdOoLliHhTtEe", strict=True)) | {
    "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th",
}  # fmt: skip


def language_of(x: Evidence, given: Mapping[str, str] | None = None) -> str:
    """The English name of the language of ``x`` (refugio.claim.languages); DossierError
    naming the evidence for a tag Refugio does not know."""
    try:
        return language_name(x.language, given)
    except DossierError as exc:
        raise DossierError(f"evidence {x.id} ({x.title}): {exc}") from None


# --- building ------------------------------------------------------------------------------


def build_exhibits(
    items: Sequence[Item],
    *,
    header: str,
    prefix: str,
    stack: ExitStack,
    start: int = 1,
    progress: Progress | None = None,
    languages: Mapping[str, str] | None = None,
) -> Exhibits:
    """The exhibits of ``items``: tab pages, documents, translations and certificates,
    numbered from ``start``. ``header`` (name and A-Number) heads every page Refugio writes;
    ``prefix`` (made plain ASCII by :func:`bates_prefix`) begins every page number;
    ``languages`` names languages the table lacks, by tag (the dossier's own).

    Raises DossierError naming the evidence whose language is unknown, PacketError naming
    the evidence when a file cannot be read or a translation is missing.
    """
    named: dict[str, str] = {}
    for item in items:
        x = item.evidence
        if not x.needs_translation:
            continue
        named[x.id] = language_of(x, languages)
        if item.translation is None or x.translation is None:
            raise PacketError(
                f"evidence {x.id} ({x.title}): the document is in {named[x.id]} and has no "
                "English translation (instructions Part 1 §VI, Translations)"
            )
    prefix = bates_prefix(prefix) if prefix.strip() else ""
    letters = [exhibit_letter(n) for n in range(len(items))]
    tabs, tab_ranges = _typeset_each(header, items, letters, _tab_page)
    certified = [(i, it) for i, it in enumerate(items) if it.evidence.needs_translation]

    def certificate(doc: Pages, item: Item, letter: str) -> None:
        _certificate(doc, item, letter, named[item.evidence.id])

    certs, cert_ranges = _typeset_each(
        header, [it for _, it in certified], [letters[i] for i, _ in certified], certificate
    )
    cert_of = {i: cert_ranges[k] for k, (i, _) in enumerate(certified)}
    out = stack.enter_context(pikepdf.new())
    stack.enter_context(tabs)
    stack.enter_context(certs)
    placed: list[Exhibit] = []
    for n, item in enumerate(items):
        placed.append(
            _place(out, item, letters[n], start, stack, tabs, tab_ranges[n], certs, cert_of.get(n))
        )
        if progress is not None:
            progress("exhibits", n + 1, len(items))
    stamp_pages(out, (bates_label(prefix, start + k) for k in range(len(out.pages))))
    return Exhibits(out, placed, prefix, start)


def _place(
    out: pikepdf.Pdf,
    item: Item,
    letter: str,
    start: int,
    stack: ExitStack,
    tabs: pikepdf.Pdf,
    tab: range,
    certs: pikepdf.Pdf,
    cert: range | None,
) -> Exhibit:
    def number() -> int:
        return start + len(out.pages)

    first = number()
    out.pages.extend(tabs.pages[tab.start : tab.stop])
    doc_first = number()
    _append_file(out, item.document, stack, f"evidence {item.evidence.id}")
    document = (doc_first, number() - 1)
    translation = certificate = None
    if item.evidence.needs_translation and item.translation is not None:
        t_first = number()
        _append_file(out, item.translation, stack, f"evidence {item.evidence.id} (translation)")
        translation = (t_first, number() - 1)
        if cert is not None:
            c_first = number()
            out.pages.extend(certs.pages[cert.start : cert.stop])
            certificate = (c_first, number() - 1)
    return Exhibit(letter, item.evidence, item.section, first, document, translation, certificate)


def _typeset_each(
    header: str,
    items: Sequence[Item],
    letters: Sequence[str],
    write: Callable[[Pages, Item, str], None],
) -> tuple[pikepdf.Pdf, list[range]]:
    """One typeset document for all tab pages (or all certificates): the fonts are subset
    once, not once per exhibit. Returns it and the page range of each item."""
    doc = Pages(header=header, footer=_no_footer)
    ranges = []
    for item, letter in zip(items, letters, strict=True):
        if doc.pages[-1].boxes:
            doc.new_page()
        first = len(doc.pages) - 1
        write(doc, item, letter)
        ranges.append(range(first, len(doc.pages)))
    pdf = doc.build() if items else pikepdf.new()
    return pdf, ranges


def _no_footer(number: int, total: int) -> str:
    return ""  # the Bates number is the page number


def _tab_page(doc: Pages, item: Item, letter: str) -> None:
    x = item.evidence
    doc.fill_page([f"EXHIBIT {letter}"], 28.0)
    doc.space(28.0 * LEADING + 24.0)
    doc.heading(x.title, 15.0, centre=True)
    if x.description:
        doc.text(x.description)
    doc.space(36.0)
    # Instructions Part 1 §V, NOTE: signature and date on the cover page of each document.
    doc.rule("Signature of applicant")
    doc.rule("Date")


def _certificate(doc: Pages, item: Item, letter: str, language: str) -> None:
    x = item.evidence
    t = x.translation
    if t is None:  # build_exhibits refuses this before anything is typeset
        raise PacketError(f"evidence {x.id}: no translator is named")
    doc.heading("CERTIFICATE OF TRANSLATION", 14.0, centre=True)
    doc.text(f"Exhibit {letter}: {x.title}")
    doc.text(
        f"I, {t.translator}, certify that I am competent to translate from {language} into "
        f"English, and that the English translation of the document in Exhibit {letter} is "
        "complete and accurate to the best of my knowledge and ability."
    )
    doc.text(
        "Form I-589 instructions (04/09/19), Part 1 §VI, Translations; 8 CFR 103.2(b)(3).",
        size=8.0,
    )
    doc.space(12.0)
    doc.text(f"Name of translator: {t.translator}")
    if t.address:
        doc.text(f"Address: {t.address}")
    else:
        doc.rule("Address of translator")
    if t.phone:
        doc.text(f"Telephone: {t.phone}")
    doc.space(18.0)
    doc.rule("Signature of translator")
    if t.date is not None:
        doc.text(f"Date: {date_words(t.date)}")
    else:
        doc.rule("Date")


# --- placeholder sheets ----------------------------------------------------------------------


class Placeholders:
    """Sheets standing where something goes that Refugio cannot print — a photograph, a G-28,
    a copy of a passport or a certificate it was not given — each typeset once, each saying
    REMOVE THIS SHEET BEFORE FILING. A missing copy makes an application incomplete (Part 1
    §XI, item 4): the sheet is there so that its absence cannot go unseen."""

    def __init__(self, stack: ExitStack, header: str) -> None:
        self.stack, self.header = stack, header
        self.made: dict[tuple[str, ...], pikepdf.Pdf] = {}

    def sheet(self, title: str, lines: list[str]) -> pikepdf.Pdf:
        key = (title, *lines)
        if key not in self.made:
            doc = Pages(header=self.header, footer=lambda n, t: "REMOVE THIS SHEET BEFORE FILING")
            doc.fill_page([title], 22.0)
            doc.space(60.0)
            for line in lines:
                doc.text(line, size=11.0)
            self.made[key] = self.stack.enter_context(doc.build())
        return self.made[key]

    def photo(self, person: str, where: str) -> pikepdf.Pdf:
        return self.sheet(
            "PHOTOGRAPH",
            [
                f"Staple one passport-style photograph of {person} {where}.",
                "The photograph must have been taken no more than 30 days before filing. "
                "Print the person's complete name and A-Number (if any) in pencil on its back.",
                "Then remove this sheet. (Form I-589 instructions, Part 1 §VI, item 4; §X.)",
            ],
        )

    def g28(self, copy: bool) -> pikepdf.Pdf:
        return self.sheet(
            "A COPY OF FORM G-28" if copy else "FORM G-28",
            [
                f"Put {'a copy of ' if copy else ''}Form G-28, Notice of Entry of Appearance as "
                "Attorney or Accredited Representative, signed by the applicant and the "
                "attorney or representative, in place of this sheet.",
                "(Form I-589 instructions, Part 1 §X; 8 CFR 292.4(a).)",
            ],
        )

    def insert(self, person: str, wanted: list[str]) -> pikepdf.Pdf:
        """ "INSERT HERE": for ``person``, each of ``wanted`` ("one copy of …")."""
        return self.sheet(
            "INSERT HERE",
            [
                f"For {person}, put in place of this sheet:",
                *(f"- {w}" for w in wanted),
                "Without these copies the application is incomplete and is returned "
                "(Form I-589 instructions, Part 1 §XI, item 4). Then remove this sheet.",
            ],
        )


# --- files ---------------------------------------------------------------------------------


def _append_file(out: pikepdf.Pdf, data: bytes, stack: ExitStack, what: str) -> None:
    head = data[:1024]
    if b"%PDF-" in head:
        src = _open_pdf(data, what)
        stack.enter_context(src)
        out.pages.extend(src.pages)
    elif data.startswith(b"\xff\xd8\xff") or data.startswith(_PNG):
        out.pages.append(_image_page(out, data, what))
    else:
        raise PacketError(f"{what}: not a PDF, JPEG or PNG file")


def _open_pdf(data: bytes, what: str) -> pikepdf.Pdf:
    try:
        src = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise PacketError(f"{what}: the PDF is password-protected") from None
    except (pikepdf.PdfError, ValueError) as exc:
        raise PacketError(f"{what}: the PDF cannot be read ({exc})") from None
    if len(src.pages) == 0:
        src.close()
        raise PacketError(f"{what}: the PDF has no pages")
    return src


_PNG = b"\x89PNG\r\n\x1a\n"


def _image_page(pdf: pikepdf.Pdf, data: bytes, what: str) -> pikepdf.Page:
    """One Letter page with the image scaled to fit inside the margins, centred."""
    try:
        image, width, height = _image_xobject(pdf, data)
    except (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError):
        raise PacketError(f"{what}: the image cannot be read") from None
    room_w, room_h = LETTER[0] - 2 * IMAGE_MARGIN, LETTER[1] - 2 * IMAGE_MARGIN
    scale = min(room_w / width, room_h / height)
    w, h = width * scale, height * scale
    x, y = (LETTER[0] - w) / 2, (LETTER[1] - h) / 2
    content = f"q {w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /Im0 Do Q".encode("ascii")
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, LETTER[0], LETTER[1]],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
        Contents=pikepdf.Stream(pdf, content),
    )
    return pikepdf.Page(page)


def _image_xobject(pdf: pikepdf.Pdf, data: bytes) -> tuple[pikepdf.Stream, int, int]:
    if data.startswith(_PNG):
        direct = _png_direct(pdf, data)
        if direct is not None:
            return direct
        return _decoded(pdf, data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=("JPEG",)) as im:
            size, mode = im.size, im.mode
    if mode not in _JPEG_SPACES:  # CMYK (often stored inverted) and the rare others
        return _decoded(pdf, data)
    # The JPEG as it is (DCTDecode): no decoding, no second compression.
    return _xobject(pdf, data, size, _JPEG_SPACES[mode], Filter=pikepdf.Name.DCTDecode), *size


_JPEG_SPACES = {"L": pikepdf.Name.DeviceGray, "RGB": pikepdf.Name.DeviceRGB}


def _xobject(
    pdf: pikepdf.Pdf, raw: bytes, size: tuple[int, int], space: pikepdf.Name, **extra: object
) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, raw)
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = size
    stream.ColorSpace = space
    stream.BitsPerComponent = 8
    for key, value in extra.items():
        stream[f"/{key}"] = value
    return stream


def _png_direct(pdf: pikepdf.Pdf, data: bytes) -> tuple[pikepdf.Stream, int, int] | None:
    """An 8-bit grey or RGB PNG without transparency goes in as its own compressed data:
    PDF's Flate filter with the PNG predictors reads it as it is (as img2pdf does)."""
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"tRNS":  # a transparent colour: flattened onto white by Pillow instead
            return None
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        return None
    width, height, depth, colour, _compression, _filter, interlace = header
    if depth != 8 or colour not in (0, 2) or interlace:
        return None
    colours = 1 if colour == 0 else 3
    parms = pikepdf.Dictionary(Predictor=15, Colors=colours, BitsPerComponent=8, Columns=width)
    space = pikepdf.Name.DeviceGray if colours == 1 else pikepdf.Name.DeviceRGB
    stream = _xobject(
        pdf, b"".join(idat), (width, height), space,
        Filter=pikepdf.Name.FlateDecode, DecodeParms=parms,
    )  # fmt: skip
    return stream, width, height


def _decoded(pdf: pikepdf.Pdf, data: bytes) -> tuple[pikepdf.Stream, int, int]:
    """Any other image: decoded by Pillow, transparency flattened onto white paper."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as im:
            im.load()
            pixels = _opaque(im)
    space = pikepdf.Name.DeviceGray if pixels.mode == "L" else pikepdf.Name.DeviceRGB
    raw = zlib.compress(pixels.tobytes(), 6)
    stream = _xobject(pdf, raw, pixels.size, space, Filter=pikepdf.Name.FlateDecode)
    return stream, *pixels.size


def _opaque(im: Image.Image) -> Image.Image:
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        paper = Image.new("RGB", im.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if im.mode in ("1", "L", "I", "I;16", "F"):
        return im.convert("L")
    return im.convert("RGB")


# --- stamping ------------------------------------------------------------------------------

# Advance widths of Helvetica (Adobe's AFM, per 1000 units) for WinAnsi 32-126: the stamp is
# right-aligned, so its width must be known without embedding a font.
_HELVETICA = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 "
    "833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 "
    "556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 "
    "334 260 334 584"
)
_WIDTHS = {32 + i: int(w) for i, w in enumerate(_HELVETICA.split())} | {0x97: 1000}
_FONT_NAME = "/RfgBates"


def stamp_pages(pdf: pikepdf.Pdf, labels: Iterable[str]) -> None:
    """Stamp ``labels`` in order on the pages of ``pdf``, at the bottom right of each page as
    it is displayed (rotation and crop box honoured)."""
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    # One shared "q" opens every page: the original content runs inside q … Q.
    opener = pikepdf.Stream(pdf, b"q\n")
    for page, label in zip(pdf.pages, labels, strict=False):
        _stamp(pdf, page, label, font, opener)


def _stamp(
    pdf: pikepdf.Pdf,
    page: pikepdf.Page,
    label: str,
    font: pikepdf.Object,
    opener: pikepdf.Stream,
) -> None:
    obj = page.obj
    x0, y0, x1, y1 = _visible_box(obj)
    rotate = int(_inherited(obj, "/Rotate") or 0) % 360
    shown_width = (x1 - x0) if rotate in (0, 180) else (y1 - y0)
    text = label.encode("cp1252", "replace")
    width = sum(_WIDTHS.get(b, 556) for b in text) * STAMP_SIZE / 1000
    x = shown_width - STAMP_RIGHT - width
    name = _font_resource(obj, font)
    escaped = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    cm = _shown_to_user(rotate, x0, y0, x1, y1)
    stamp = (
        f"\nQ q {cm} cm BT {name} {STAMP_SIZE:g} Tf 0 g 0 Tr "
        f"{x:.2f} {STAMP_BASELINE:.2f} Td (".encode("ascii")
        + escaped
        + b") Tj ET Q\n"
    )
    page.contents_add(opener, prepend=True)
    page.contents_add(pikepdf.Stream(pdf, stamp))


def _shown_to_user(rotate: int, x0: float, y0: float, x1: float, y1: float) -> str:
    """The matrix from coordinates on the page as displayed (origin at its bottom left) to the
    page's own coordinates. /Rotate turns the page clockwise for display."""
    matrix = {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x1, y0),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, -1, 1, 0, x0, y1),
    }.get(rotate, (1, 0, 0, 1, x0, y0))  # not a multiple of 90: invalid, shown unrotated
    return " ".join(f"{v:g}" if isinstance(v, int) else f"{v:.3f}" for v in matrix)


def _visible_box(obj: pikepdf.Object) -> tuple[float, float, float, float]:
    box = _inherited(obj, "/CropBox") or _inherited(obj, "/MediaBox")
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        return (0.0, 0.0, LETTER[0], LETTER[1])  # no usable box: readers assume Letter too
    a, b, c, d = (float(v) for v in box)
    return (min(a, c), min(b, d), max(a, c), max(b, d))


def _inherited(obj: pikepdf.Object, key: str) -> pikepdf.Object | None:
    """A page attribute, from the page or the nearest /Pages node above it (ISO 32000 7.7.3.4)."""
    node: pikepdf.Object | None = obj
    for _ in range(64):  # a malformed tree could loop
        if node is None:
            return None
        if key in node:
            value: pikepdf.Object = node[key]
            return value
        node = node.get("/Parent")
    return None


def _font_resource(obj: pikepdf.Object, font: pikepdf.Object) -> str:
    """Our font's name in the page's resources, added there (never renaming theirs)."""
    if "/Resources" not in obj:
        inherited = _inherited(obj, "/Resources")
        copied = pikepdf.Dictionary()
        if isinstance(inherited, pikepdf.Dictionary):
            for key in inherited.keys():  # noqa: SIM118 (a shallow copy; keys are str)
                copied[str(key)] = inherited[str(key)]
        obj.Resources = copied
    resources = obj.Resources
    if "/Font" not in resources:
        resources.Font = pikepdf.Dictionary()
    fonts = resources.Font
    name, n = _FONT_NAME, 1
    while name in fonts and fonts[name].objgen != font.objgen:
        n += 1
        name = f"{_FONT_NAME}{n}"
    fonts[name] = font
    return name


# --- index ---------------------------------------------------------------------------------


def index_pages(exhibits: Exhibits, dossier: Dossier, header: str) -> Pages:
    """The index of exhibits: letter, title, description, page range, and what each supports."""
    doc = Pages(header=header, footer=_index_footer)
    doc.heading("INDEX OF EXHIBITS", centre=True)
    if exhibits.exhibits:
        first, last = exhibits.exhibits[0].first, exhibits.exhibits[-1].last
        doc.text(
            "Every exhibit page is numbered at the bottom right, continuously from "
            f"{exhibits.label(first)} to {exhibits.label(last)}."
        )
    section = None
    for ex in exhibits.exhibits:
        if ex.section != section:
            section = ex.section
            if section:
                doc.heading(section, 11.0)
        _index_entry(doc, ex, exhibits, dossier)
    doc.space(12.0)
    # Instructions Part 1 §X, NOTE: additional pages carry name, A-Number, signature and date.
    doc.rule("Signature of applicant")
    doc.rule("Date")
    return doc


def _index_footer(number: int, total: int) -> str:
    return f"Index of exhibits, page {number} of {total}"


def _index_entry(doc: Pages, ex: Exhibit, exhibits: Exhibits, dossier: Dossier) -> None:
    def span(r: tuple[int, int]) -> str:
        a, b = exhibits.label(r[0]), f"{r[1]:06d}"
        return a if r[0] == r[1] else f"{a}–{b}"

    x = ex.evidence
    doc.text(f"Exhibit {ex.letter}. {x.title}", size=10.5)
    lines = [x.description] if x.description else []
    issued = [f"issued by {x.issued_by}" if x.issued_by else "", f"in {x.place}" if x.place else ""]
    origin = " ".join(p for p in issued if p)
    if x.date is not None:
        origin = ", ".join(p for p in (origin, f"dated {when_words(x.date)}") if p)
    if origin:
        lines.append(cap(origin) + ".")
    parts = [f"document {span(ex.document)}"]
    if ex.translation is not None:
        parts.append(f"English translation {span(ex.translation)}")
    if ex.certificate is not None:
        parts.append(f"translator's certificate {span(ex.certificate)}")
    lines.append(f"Pages {span((ex.first, ex.last))}: tab page, " + "; ".join(parts) + ".")
    if x.needs_translation:
        given = {dossier.language: dossier.language_name}
        lines.append(f"Original in {language_of(x, given)}, with its English translation.")
    events = [_event_words(e) for e in map(dossier.event, x.events) if e is not None]
    if events:
        lines.append("Supports the account of " + and_list(events) + ".")
    if x.elements:
        lines.append("Corroborates " + and_list([_ELEMENTS[e] for e in x.elements]) + ".")
    doc.text("\n".join(lines), size=9.0, indent=18.0)


def _event_words(event: Event) -> str:
    """ "the detention and beating of June 3, 2025 (Dongguan, China)"."""
    kinds = [_HARMS.get(k, k.value.replace("_", " ")) for k in dict.fromkeys(event.kinds)]
    when = f"of {when_words(event.when)}"
    if event.until is not None:
        when = f"from {when_words(event.when)} to {when_words(event.until)}"
    where = f" ({event.place})" if event.place else ""
    return f"the {and_list(kinds) or 'events'} {when}{where}"


_HARMS = {
    Harm.DEVICE_HACKING: "hacking of phones or computers",
    Harm.FAMILY_PRESSURE: "pressure on the family",
    Harm.BUSINESS_PRESSURE: "pressure on business partners",
    Harm.INTERPOL_NOTICE: "INTERPOL notice",
    Harm.DISMISSAL: "dismissal from work",
    Harm.OTHER: "events",
}

# The elements of the claim (refugio.claim.model.Element) as an officer reads them.
_ELEMENTS = {
    Element.IDENTITY: "the applicant's identity",
    Element.RELATIONSHIP: "the family relationship",
    Element.PAST_PERSECUTION: "past persecution",
    Element.NEXUS: "the reason for the harm (nexus)",
    Element.WELL_FOUNDED_FEAR: "a well-founded fear of future persecution",
    Element.STATE_PROTECTION: "that the state cannot or will not protect the applicant",
    Element.NO_RELOCATION: "that relocating within the country is not a safe option",
    Element.COUNTRY_CONDITIONS: "the conditions in the country",
    Element.ONE_YEAR_EXCEPTION: "an exception to the one-year filing deadline",
}
