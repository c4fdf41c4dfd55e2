"""Uploaded evidence checked and cleaned before it is stored (issue 4, point 6; issue 5).

``inspect(data, declared_name)`` decides what a file is from its bytes alone — PDF, JPEG or PNG;
the name's extension is never trusted — refuses what must not be kept with a message in plain
words (``UploadError``), and returns the cleaned bytes (``Checked``). The user's file name is
never kept: ``server_name()`` makes the name a file is stored under, and a download is always
called ``document.<ext>`` (8 CFR 208.6: a name like "arrest-warrant-Tehran.pdf" on a disk or in a
browser's download list tells too much). OWASP ASVS 5.0, V5 (file handling).

Cleaning removes what could identify or endanger the applicant, or act when the file is opened:

- **PDF** (pikepdf, already used by the filler): rewritten whole by qpdf, so earlier revisions
  of an edited file (text that was "deleted" but kept) are gone too. Document metadata goes —
  the Info dictionary and XMP (author, the computer's user name, the software, dates) — and so
  do JavaScript, embedded and attached files, automatic actions (open actions, ``/AA``) and
  actions that leave the document (launch a program, open a web address, submit a form). A PDF
  that needs a password to open is refused (we cannot read it, and neither could the
  officer); a PDF that only restricts printing or copying (an owner password) is written
  without the restriction: the representative must be able to print the evidence. A damaged
  PDF is refused rather than repaired by guessing, so that nothing is silently lost.

- **Images are decoded and encoded again with Pillow** rather than stripped segment by segment.
  Pillow is no new package (pikepdf depends on it; it is now also a direct dependency with its
  own bounds). A new encoding keeps the pixels and nothing else: every EXIF, XMP, IPTC,
  comment, thumbnail and maker-note block goes, including kinds a hand-written stripper would
  not know about; bytes hidden after the image (a ZIP or script appended to a JPEG, a
  "polyglot") are dropped; and decoding the whole image is itself the check that it is an
  image. The price: a JPEG is compressed a second time — with the original's own quantisation
  tables, so the loss is small — and an image cannot be kept bit for bit. GPS positions in a
  phone photo can locate the applicant's family; that outweighs bit-exactness. The EXIF
  orientation is applied to the pixels before EXIF goes, so a phone photo still stands upright;
  an embedded colour profile is applied (converted to sRGB) and then dropped.

Limits (ASVS 5.0, 5.2): 20 MB per file by default, and 50 million pixels per image (a small
PNG can decode to gigabytes: a "decompression bomb"); PDF streams are never decoded here, so a
compressed PDF bomb is not expanded either.
"""

from __future__ import annotations

import enum
import io
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin

from refugio.errors import UploadError

__all__ = [
    "MAX_BYTES",
    "MAX_PIXELS",
    "Checked",
    "Kind",
    "UploadError",
    "inspect",
    "server_name",
]

MAX_BYTES = 20 * 1024 * 1024
# A 48-megapixel phone photo passes; a bomb of 100,000 × 100,000 pixels does not. Decoded, 50
# million RGB pixels take 150 MB of memory for a moment.
MAX_PIXELS = 50_000_000


_MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}


class Kind(enum.Enum):
    """The kinds of file accepted, each with the type and name it is served with."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    # Made by Refugio (the filing packet), stored in the same sealed way; ``inspect`` never
    # returns it, so no upload is ever taken as one.
    ZIP = "zip"

    @property
    def mime_type(self) -> str:
        return _MIME[self.value]

    @property
    def download_name(self) -> str:
        """The same generic name for every file of a kind: never the user's file name."""
        return "document." + {"jpeg": "jpg"}.get(self.value, self.value)


@dataclass(frozen=True)
class Checked:
    """A file that passed ``inspect``: its kind and its cleaned bytes (nothing of its name)."""

    kind: Kind
    data: bytes = field(repr=False)


def server_name() -> str:
    """A new random name to store a file under: 128 bits, so names cannot be guessed or
    enumerated, and nothing of the user's file name or of the case is in it."""
    return secrets.token_hex(16)


def inspect(
    data: bytes,
    declared_name: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> Checked:
    """Check an uploaded file and return its cleaned bytes; UploadError says what is wrong.

    ``declared_name`` (the name the browser sent) is deliberately not used to decide anything:
    an extension says what a file claims to be, not what it is. It is accepted so callers pass
    what they have and the decision to ignore it is made here, once.
    """
    del declared_name
    _check_size(len(data), max_bytes)
    kind = _sniff(data)
    if kind is Kind.PDF:
        return Checked(kind, _clean_pdf(data))
    return Checked(kind, _clean_image(data, kind, max_pixels))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise UploadError("This file is empty: choose the file again and upload it.")
    if size > max_bytes:
        raise UploadError(
            f"This file is too big ({_megabytes(size)} MB; the limit is "
            f"{_megabytes(max_bytes)} MB): scan it at a lower resolution or split it into "
            "parts, and upload them one by one."
        )


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _sniff(data: bytes) -> Kind:
    """The kind from the file's first bytes (its "magic number"), never from its name."""
    # Readers accept a PDF header anywhere in the first 1,024 bytes (ISO 32000-2, annex I
    # note); the rewrite below drops whatever comes before it.
    if b"%PDF-" in data[:1024]:
        return Kind.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(_PNG_SIGNATURE):
        return Kind.PNG
    raise UploadError(
        "This file is not a PDF, a JPEG or a PNG image. Save or export it as one of those (a "
        "Word document as PDF, an iPhone photo as JPEG) and upload it again."
    )


# --- PDF -----------------------------------------------------------------------------------

_LOCKED_PDF = "This PDF is password-protected: remove the password and upload it again."
_DAMAGED = (
    "This PDF is damaged and cannot be read completely: open it, save or print it as a new "
    "PDF, and upload that."
)
# Keys removed from every dictionary of the document, and why:
_DROPPED_KEYS = (
    "/AA",  # automatic actions (on open, close, print, page view): can run JavaScript
    "/JS",  # JavaScript itself
    "/Metadata",  # XMP, of the document, a page or an image: author, software, dates, paths
    "/PieceInfo",  # private data of the program that made the file (e.g. Illustrator)
    "/EF",  # the bytes of an embedded file: a hiding place for anything
    "/AF",  # PDF 2.0 "associated files": embedded files by another name
)
# Actions that run code or reach outside the document when clicked or opened: a web address
# tells a server that this file is being read, and by whom; launch runs a program.
_RISKY_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/RichMediaExecute",
    }
)
# Annotations that carry a file, media or a player: removed with their content.
_RISKY_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"})
# Anything qpdf or pikepdf raises on a malformed document, whichever object it trips on.
_PDF_FAILURES = (pikepdf.PdfError, ValueError, TypeError, KeyError, IndexError, RecursionError)


def _clean_pdf(data: bytes) -> bytes:
    try:
        # No recovery: a file whose cross-reference table must be rebuilt is damaged, and a
        # rebuilt one may be missing pages without saying so.
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            if len(pdf.pages) == 0:
                raise UploadError(_DAMAGED)
            _strip_document(pdf)
            out = io.BytesIO()
            # Streams are copied as they are (never decoded: no PDF bomb is expanded); a new
            # /ID computed from the content replaces the one that could link the file to the
            # program or computer that made it; no encryption (omitted encryption is removed).
            pdf.save(
                out,
                deterministic_id=True,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                encryption=False,
            )
            if pdf.get_warnings():  # qpdf replaced a broken object by null while writing
                raise UploadError(_DAMAGED)
    except pikepdf.PasswordError:
        raise UploadError(_LOCKED_PDF) from None
    except _PDF_FAILURES:
        raise UploadError(_DAMAGED) from None
    return out.getvalue()


def _strip_document(pdf: pikepdf.Pdf) -> None:
    """Remove metadata, scripts, embedded files and outside actions (see _DROPPED_KEYS)."""
    if "/Info" in pdf.trailer:  # the document information dictionary: author, title, dates
        del pdf.trailer["/Info"]
    root = pdf.Root
    # The open action goes whatever it is: the document opens at its first page, as a scanned
    # document would; an action there runs without a click.
    for key in ("/OpenAction", "/Collection"):  # Collection: a "portfolio" of embedded files
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    acroform = root.get("/AcroForm")
    # XFA forms carry their own scripts; the AcroForm fields, and their values, stay.
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        del acroform["/XFA"]
    for obj in _reachable(pdf.trailer):
        _strip_object(obj)


def _reachable(start: pikepdf.Object) -> Iterator[pikepdf.Dictionary | pikepdf.Stream]:
    """Every dictionary and stream reachable from ``start``, each once; iterative, so a deeply
    nested hostile file cannot exhaust the stack."""
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [start]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream):
            continue  # numbers, names, strings: pikepdf gives most as Python values
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(obj)
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            yield obj
            stack.extend(obj[key] for key in list(obj.keys()))


def _strip_object(obj: pikepdf.Dictionary | pikepdf.Stream) -> None:
    for key in _DROPPED_KEYS:
        if key in obj:
            del obj[key]
    for key in ("/A", "/OpenAction"):
        if key in obj and _is_risky_action(obj[key]):
            del obj[key]
    if "/Next" in obj:  # the actions chained after this one
        following = obj["/Next"]
        if isinstance(following, pikepdf.Array):
            kept = [a for a in following if not _is_risky_action(a)]
            obj["/Next"] = pikepdf.Array(kept)
        elif _is_risky_action(following):
            del obj["/Next"]
    annots = obj.get("/Annots")
    if isinstance(annots, pikepdf.Array):
        kept = [a for a in annots if _subtype(a) not in _RISKY_ANNOTATIONS]
        obj["/Annots"] = pikepdf.Array(kept)


def _is_risky_action(action: pikepdf.Object) -> bool:
    return isinstance(action, pikepdf.Dictionary) and str(action.get("/S", "")) in _RISKY_ACTIONS


def _subtype(annotation: pikepdf.Object) -> str:
    if isinstance(annotation, pikepdf.Dictionary):
        return str(annotation.get("/Subtype", ""))
    return ""


# --- images --------------------------------------------------------------------------------

_UNREADABLE = (
    "This image cannot be read: it may be damaged or incomplete. Take or export it again "
    "and upload it."
)
_FORMATS = {Kind.JPEG: ("JPEG",), Kind.PNG: ("PNG",)}  # JPEG includes MPO


def _clean_image(data: bytes, kind: Kind, max_pixels: int) -> bytes:
    with warnings.catch_warnings():
        # Pillow warns about odd but readable files (corrupt EXIF, …): not our concern, and
        # the EXIF goes anyway. Its own bomb warning becomes an error.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=_FORMATS[kind]) as source:
                _check_pixels(source, max_pixels)
                if kind is Kind.PNG and getattr(source, "n_frames", 1) > 1:
                    raise UploadError("This image is animated: upload a still image.")
                # An MPO (many phone cameras) is a JPEG followed by previews or depth maps:
                # the first image is the photo.
                source.load()
                return _encode(source, kind)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UploadError(_too_many_pixels(max_pixels)) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            # Pillow's way of saying truncated, corrupt or not this format.
            raise UploadError(_UNREADABLE) from None


def _too_many_pixels(max_pixels: int) -> str:
    return (
        f"This image has too many pixels (the limit is {max_pixels / 1e6:g} million): resize "
        "it and upload it again."
    )


def _check_pixels(image: Image.Image, max_pixels: int) -> None:
    """Read from the header, before a single pixel is decoded."""
    if image.width * image.height > max_pixels:
        raise UploadError(_too_many_pixels(max_pixels))


def _encode(source: Image.Image, kind: Kind) -> bytes:
    """The pixels of ``source`` in a new file of the same kind, with no metadata at all."""
    upright = ImageOps.exif_transpose(source)  # the phone's rotation, applied to the pixels
    pixels = _in_srgb(upright)
    transparency = source.info.get("transparency")
    dpi = source.info.get("dpi")  # the print size of a scan: a measure, not metadata
    # Pillow's savers copy some metadata from ``info`` (a JPEG's comment, a PNG's colour
    # profile); an empty ``info`` leaves them nothing to copy.
    pixels.info = {}
    options: dict[str, object] = {}
    if dpi:
        options["dpi"] = dpi
    out = io.BytesIO()
    if kind is Kind.JPEG:
        options.update(_jpeg_quality(source, pixels))
        pixels.save(out, "JPEG", optimize=True, **options)
    else:
        if transparency is not None:
            options["transparency"] = transparency
        pixels.save(out, "PNG", **options)
    return out.getvalue()


def _jpeg_quality(source: Image.Image, pixels: Image.Image) -> dict[str, object]:
    """Compress again with the source's own quantisation tables and chroma subsampling, so the
    second compression loses little; a generic quality where the colours had to change."""
    tables = getattr(source, "quantization", None)
    if not tables or pixels.mode != source.mode:
        return {"quality": 90}
    options: dict[str, object] = {"qtables": tables}
    sampling = JpegImagePlugin.get_sampling(source)
    if sampling != -1:
        options["subsampling"] = sampling
    return options


def _in_srgb(image: Image.Image) -> Image.Image:
    """The image converted from its embedded colour profile to sRGB, so the profile (which can
    name the device that made it) can go without changing the colours; the image unchanged
    when it has no profile or one that cannot be applied."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        converted = ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image
