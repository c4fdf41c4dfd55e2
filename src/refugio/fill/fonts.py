"""Fonts for the filled form: Courier for English answers, embedded subsets for other scripts.

The form's own text fields ask for Courier (``/CourierNewPS-BoldMT 9 Tf``). English answers are
drawn with the standard Courier-Bold font in WinAnsi encoding: no embedding, exact metrics (every
glyph is 600/1000 wide) and text that any viewer extracts.

Everything WinAnsi cannot encode — the name "in your native alphabet" (Part D), or a Latin name
with letters such as "ễ" — is drawn with an embedded TrueType font that covers its script:
shaped by HarfBuzz (joined Arabic letters, Indic conjuncts, right-to-left order), subset by
HarfBuzz to the glyphs used (a Chinese name costs a few kilobytes instead of megabytes), with a
ToUnicode map and an /ActualText span so ``pdftotext`` returns the string that was typed
(pdf-filling.md, pitfall 4).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import uharfbuzz as hb

from refugio.errors import FontError

__all__ = [
    "COURIER",
    "FontFile",
    "Run",
    "find_font_files",
    "is_rtl_text",
    "is_winansi",
    "split_runs",
    "text_width",
]

COURIER = -1  # Run.font for the standard Courier-Bold; other values index load_fonts()
COURIER_WIDTH = 600  # per 1000 units, every glyph of Courier-Bold

# Fallback fonts in order of preference, each covering scripts the issue names. Noto CJK ships
# only CFF outlines in Debian; DroidSansFallbackFull has TrueType outlines for simplified and
# traditional Han, which embed as CIDFontType2 like the others.
FALLBACK_FONT_FILES = (
    "NotoSans-Regular.ttf",  # Latin extended, Cyrillic, Greek
    "NotoNaskhArabic-Regular.ttf",  # Arabic, Persian/Dari, Pashto, Urdu
    "NotoSansEthiopic-Regular.ttf",  # Ge'ez: Amharic, Tigrinya
    "NotoSansDevanagari-Regular.ttf",  # Hindi, Nepali, Marathi
    "NotoSansGurmukhi-Regular.ttf",  # Punjabi
    "DroidSansFallbackFull.ttf",  # Han (simplified and traditional), kana
    "NanumGothic.ttf",  # Hangul (Debian's Noto CJK is CFF only)
)
DEFAULT_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")


# Where Debian's packages put them (fonts-noto-core, fonts-droid-fallback); looked at first so
# the common case costs a few stat() calls instead of a walk over thousands of font files.
_DEBIAN_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/truetype/nanum",
)


@cache
def find_font_files() -> tuple[Path, ...]:
    """The installed fallback fonts, in preference order (REFUGIO_FONT_DIRS overrides)."""
    env = [d for d in os.environ.get("REFUGIO_FONT_DIRS", "").split(os.pathsep) if d]
    found: dict[str, Path] = {}
    for base in env or _DEBIAN_DIRS:
        for name in FALLBACK_FONT_FILES:
            if name not in found and (Path(base) / name).is_file():
                found[name] = Path(base) / name
    if len(found) < len(FALLBACK_FONT_FILES):
        for base in env or DEFAULT_FONT_DIRS:
            for root, _subdirs, files in os.walk(base):
                for name in files:
                    if name in FALLBACK_FONT_FILES and name not in found:
                        found[name] = Path(root) / name
    return tuple(found[n] for n in FALLBACK_FONT_FILES if n in found)


class FontFile:
    """One TrueType font on disk, loaded into HarfBuzz for coverage, measuring and subsetting."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.blob = hb.Blob.from_file_path(str(path))
        self.face = hb.Face(self.blob)
        self.font = hb.Font(self.face)
        self.upem = self.face.upem
        self.name = path.stem.replace(" ", "")

    def covers(self, ch: str) -> bool:
        return self.font.get_nominal_glyph(ord(ch)) is not None

    def advance(self, text: str) -> float:
        """Width of ``text`` in 1000-unit text space (shaped, so ligatures count right)."""
        buf = shape(self.font, text)
        return float(sum(p.x_advance for p in buf.glyph_positions) * 1000 / self.upem)


@cache
def load_fonts() -> list[FontFile]:
    """The fonts text is drawn with, by index: the preferred ones, then any others taken on.

    Append-only, so an index stays valid for the life of the process.
    """
    return [FontFile(p) for p in find_font_files()]


@cache
def _other_fonts() -> tuple[Path, ...]:
    """Every other Noto font installed, for scripts the preferred list does not name (Thai…)."""
    taken = set(FALLBACK_FONT_FILES)
    paths: list[Path] = []
    for base in _DEBIAN_DIRS:
        if os.path.isdir(base):
            paths += sorted(
                Path(base) / n
                for n in os.listdir(base)
                if n.startswith(("NotoSans", "NotoSerif"))
                and n.endswith("-Regular.ttf")
                and n not in taken
            )
    return tuple(paths)


def shape(font: hb.Font, text: str) -> hb.Buffer:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf)
    return buf


@dataclass
class Run:
    """A piece of one line drawn with one font (COURIER or an index into load_fonts())."""

    font: int
    text: str
    rtl: bool = False


# Characters WinAnsiEncoding (cp1252) can show, as one regex class: checking a whole string with
# one search is ~50x faster than encoding it character by character.
_WINANSI_CHARS = "".join(
    ch for ch in map(chr, range(0x20, 0x2123)) if ch.encode("cp1252", "ignore") and ch != "\x7f"
)
_NOT_WINANSI = re.compile("[^" + re.escape(_WINANSI_CHARS) + "]")


def is_winansi(text: str) -> bool:
    return _NOT_WINANSI.search(text) is None


def _winansi(ch: str) -> bool:
    return _NOT_WINANSI.match(ch) is None


def is_rtl_text(text: str) -> bool:
    """Whether the first strong letter of ``text`` is written right to left (its alignment)."""
    for ch in text:
        if ch.isalpha():
            return _is_rtl(ch)
    return False


def _is_rtl(ch: str) -> bool:
    # Hebrew, Arabic, Syriac, Thaana, NKo and the Arabic presentation forms.
    o = ord(ch)
    return 0x0590 <= o <= 0x08FF or 0xFB1D <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


_CHAR_FONT: dict[str, int] = {}


def _font_for(ch: str, fonts: list[FontFile]) -> int:
    if _winansi(ch):
        return COURIER
    if ch not in _CHAR_FONT:  # fonts only grow, so an answer once found stays right
        _CHAR_FONT[ch] = _find_font(ch, fonts)
    return _CHAR_FONT[ch]


def _find_font(ch: str, fonts: list[FontFile]) -> int:
    for i, f in enumerate(fonts):
        if f.covers(ch):
            return i
    loaded = {f.path for f in fonts}
    for path in _other_fonts():
        if path not in loaded:
            candidate = FontFile(path)
            if candidate.covers(ch):
                fonts.append(candidate)
                return len(fonts) - 1
    # Drawing the "missing glyph" instead would leave a box that looks empty while its text
    # extracts fine: refuse, and say which character.
    raise FontError(
        f"cannot draw {ch!r} (U+{ord(ch):04X}): no installed font covers it "
        "(Debian: fonts-noto-core, fonts-droid-fallback, fonts-nanum)"
    )


def split_runs(text: str) -> list[Run]:
    """Split a line into runs of one font each, in visual (left-to-right) order."""
    if is_winansi(text):
        return [Run(COURIER, text)]
    fonts = load_fonts()
    runs: list[Run] = []
    for ch in text:
        current = runs[-1] if runs else None
        # Spaces, digits and punctuation stay in a shaped run (a name is not cut at its spaces)
        # if its font has them: Ethiopic, Hebrew or Thai fonts have no ASCII digits.
        if (
            current is not None
            and current.font != COURIER
            and not ch.isalpha()
            and (ch == " " or fonts[current.font].covers(ch))
        ):
            current.text += ch
            continue
        key = _font_for(ch, fonts)
        if current is not None and current.font == key:
            current.text += ch
        else:
            runs.append(Run(key, ch))
    runs = _detach_spaces(runs)
    for r in runs:
        r.rtl = any(_is_rtl(c) for c in r.text)
    # A line whose first strong character is right-to-left reads right to left: its runs are
    # laid out in reverse order (a simplified Unicode bidi, enough for names).
    first_strong = next((c for c in text if c.isalpha()), "")
    if first_strong and _is_rtl(first_strong):
        runs.reverse()
    return runs


def _detach_spaces(runs: list[Run]) -> list[Run]:
    """Spaces around a shaped run become runs of their own, so reversing a right-to-left run
    never moves its trailing space to the wrong side ("Ali محمد Ali")."""
    out: list[Run] = []
    for run in runs:
        body = run.text.strip(" ")
        if run.font == COURIER or not body or body == run.text:
            out.append(run)
            continue
        lead = len(run.text) - len(run.text.lstrip(" "))
        trail = len(run.text) - len(run.text.rstrip(" "))
        if lead:
            out.append(Run(COURIER, " " * lead))
        out.append(Run(run.font, body))
        if trail:
            out.append(Run(COURIER, " " * trail))
    merged: list[Run] = []
    for run in out:
        if merged and merged[-1].font == run.font == COURIER:
            merged[-1].text += run.text
        else:
            merged.append(run)
    return merged


def run_width(run: Run, size: float) -> float:
    if run.font == COURIER:
        return len(run.text) * COURIER_WIDTH * size / 1000
    return load_fonts()[run.font].advance(run.text) * size / 1000


def text_width(text: str, size: float) -> float:
    if is_winansi(text):  # the common case, without building runs
        return len(text) * COURIER_WIDTH * size / 1000
    return sum(run_width(r, size) for r in split_runs(text))


@dataclass
class SubsetFont:
    """A font subset for one document: glyph ids, widths and the text each glyph stands for."""

    source: FontFile
    data: bytes
    font: hb.Font
    upem: int
    tag: str
    widths: dict[int, float] = field(default_factory=dict)
    to_unicode: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, source: FontFile, texts: list[str]) -> SubsetFont:
        inp = hb.SubsetInput()
        for text in texts:
            for ch in text:
                inp.unicode_set.add(ord(ch))
        face = hb.subset(source.face, inp)
        if face is None:
            raise FontError(f"cannot subset font {source.path}")
        data = face.blob.data
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])
        return cls(source=source, data=data, font=hb.Font(face), upem=face.upem, tag=tag)

    def glyphs(self, text: str, rtl: bool = False) -> Iterator[tuple[int, float, float, float]]:
        """(glyph id, advance, x offset, y offset) in 1000-unit text space, visual order.

        A right-to-left ligature (lam-alef, the Allah ligature) maps to its characters in
        reverse: extractors such as poppler reverse the whole visual run, ligature text
        included, to get back the logical order.
        """
        buf = shape(self.font, text)
        infos, positions = buf.glyph_infos, buf.glyph_positions
        clusters = sorted({i.cluster for i in infos})
        bounds = {
            c: (clusters[k + 1] if k + 1 < len(clusters) else len(text))
            for k, c in enumerate(clusters)
        }
        scale = 1000 / self.upem
        for info, pos in zip(infos, positions, strict=True):
            gid = info.codepoint
            self.widths.setdefault(gid, self.font.get_glyph_h_advance(gid) * scale)
            chars = text[info.cluster : bounds[info.cluster]]
            self.to_unicode.setdefault(gid, chars[::-1] if rtl else chars)
            yield gid, pos.x_advance * scale, pos.x_offset * scale, pos.y_offset * scale
