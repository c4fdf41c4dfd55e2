"""Fitting text into boxes, and the Supplement B pages for whatever does not fit.

Nothing is ever dropped (issue 2, point 5): a value too long for its box leaves a pointer in the
box and continues, whole, on a Supplement B page that names its Part and question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from refugio.fill.fonts import COURIER_WIDTH, is_winansi, text_width

__all__ = ["Continuation", "SuppBPage", "fit_line", "paginate", "split_item", "wrap"]

MIN_SIZE = 6.0  # below this a printed form is not legible
DEFAULT_SIZE = 9.0  # the size the form's own field definitions ask for
LEADING = 1.15
PAD = 2.0


def fit_line(text: str, width: float, size: float = DEFAULT_SIZE) -> float | None:
    """The largest size ≤ ``size`` (and ≥ MIN_SIZE) at which ``text`` fits on one line."""
    avail = width - 2 * PAD
    w = text_width(text, size)
    if w <= avail:
        return size
    best = size * avail / w  # widths scale linearly with the size
    return best if best >= MIN_SIZE else None


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines that fit ``width`` at ``size``, keeping its paragraphs."""
    avail = width - 2 * PAD
    space = text_width(" ", size)
    lines: list[str] = []
    if is_winansi(text.replace("\n", " ")):
        # Courier: every character is 0.6 em wide, so a line is a number of characters.
        return _wrap_fixed(text, int(avail // (COURIER_WIDTH * size / 1000)))
    for para in text.replace("\r\n", "\n").split("\n"):
        line = ""
        used = 0.0
        for unit, spaced in _units(para):
            # Unit widths add up: shaping never joins glyphs across a break opportunity
            # (a space, or the edge of a Han or kana character).
            w = text_width(unit, size)
            gap = space if spaced else 0.0
            if line and used + gap + w <= avail:
                line += (" " if spaced else "") + unit
                used += gap + w
                continue
            if line:
                lines.append(line)
            while w > avail:  # a unit longer than the line is cut
                cut = max(1, _chars_fitting(unit, avail, size))
                lines.append(unit[:cut])
                unit = unit[cut:]
                w = text_width(unit, size)
            line, used = unit, w
        lines.append(line)
    return lines


# Chinese and Japanese are written without spaces: a line may break before any Han or kana
# character (UAX #14, classes ID), but not before closing punctuation nor after opening
# punctuation (the kinsoku rules), and a number stays whole.
_BREAKABLE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PIECES = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
_CLOSING = frozenset("。，、；：！？）」』》〉】〕”’…．,.;:!?)%")
_OPENING = frozenset("（「『《〈【〔“‘(")


def _units(para: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of a paragraph, each with whether a space precedes it."""
    units: list[tuple[str, bool]] = []
    for k, word in enumerate(para.split(" ")):
        pieces = _PIECES.findall(word) if _BREAKABLE.search(word) else [word]
        for j, piece in enumerate(pieces or [""]):
            spaced = k > 0 and j == 0
            glued = (
                units and not spaced and (piece[:1] in _CLOSING or units[-1][0][-1:] in _OPENING)
            )
            if glued:
                units[-1] = (units[-1][0] + piece, units[-1][1])
            else:
                units.append((piece, spaced))
    return units


def _wrap_fixed(text: str, per_line: int) -> list[str]:
    """``wrap`` for text in one fixed-width font: the same breaks, counted in characters."""
    per_line = max(1, per_line)
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").split("\n"):
        line: list[str] = []
        used = 0
        for word in para.split(" "):
            if line and used + 1 + len(word) <= per_line:
                line.append(word)
                used += 1 + len(word)
                continue
            if line:
                lines.append(" ".join(line))
            while len(word) > per_line:
                lines.append(word[:per_line])
                word = word[per_line:]
            line, used = [word], len(word)
        lines.append(" ".join(line))
    return lines


def _chars_fitting(word: str, avail: float, size: float) -> int:
    lo, hi = 0, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(word[:mid], size) <= avail:
            lo = mid
        else:
            hi = mid - 1
    return lo


def lines_in(height: float, size: float) -> int:
    return max(1, int((height - 2 * PAD) // (size * LEADING)))


@dataclass
class Continuation:
    """Text continued on Supplement B: the form item it belongs to and what it says."""

    item: str  # "Part B, item 1.A"
    heading: str  # "Part B, item 1.A (continued)"
    text: str
    order: tuple[float, ...] = ()  # where the box is: page, top to bottom, left to right


_ITEM = re.compile(r"^(?:Part\s+)?(?P<part>[^,]+)(?:,\s*(?:(?P<who>.*?)\s*items?\s+)?(?P<q>.*))?$")


def split_item(item: str) -> tuple[str, str]:
    """("Part A.III, item 2") → ("A.III", "2"), for the Part and Question boxes."""
    m = _ITEM.match(item)
    if not m:
        return item, ""
    who = m.group("who") or ""
    question = m.group("q") or ""
    if who:  # "child 5 item 14": the block and the item within it
        question = f"{who} item {question}"
    return m.group("part").strip(), question


@dataclass
class SuppBPage:
    lines: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def paginate(sections: list[Continuation], width: float, height: float) -> list[SuppBPage]:
    """Lay continuations out on as many Supplement B pages as needed."""
    per_page = lines_in(height, DEFAULT_SIZE)
    pages: list[SuppBPage] = []
    current = SuppBPage()
    for sec in sorted(sections, key=lambda s: s.order):
        body = [sec.heading, *wrap(sec.text, width, DEFAULT_SIZE), ""]
        for k, line in enumerate(body):
            if len(current.lines) >= per_page or (k == 0 and len(current.lines) >= per_page - 2):
                pages.append(current)
                current = SuppBPage()
            if sec.item not in current.items:
                current.items.append(sec.item)
            current.lines.append(line)
    if current.lines:
        pages.append(current)
    for page in pages:
        while page.lines and not page.lines[-1]:
            page.lines.pop()
    return pages
