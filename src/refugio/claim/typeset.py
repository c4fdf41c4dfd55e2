"""Plain pages of text: declaration, certificates, tab pages, exhibit index, cover letter.

Every page Refugio writes itself goes through :class:`Pages`. It reuses the form filler's text
machinery (``refugio.fill``): Courier for English, and an embedded, HarfBuzz-shaped subset font
for any other script, so a declaration in Chinese, Arabic or Amharic prints its own letters and
``pdftotext`` returns what was typed (pdf-filling.md, pitfall 4).

Each block of text becomes a form XObject drawn by ``Painter`` and placed on the page; the
layout (line breaks, page breaks) is decided first, so the footer can say "page 3 of 7".

Instructions Part 1 §X (NOTE): "Any additional pages submitted should include your printed name
(exactly as it appears in Part A.I. of the form), A-Number (if any), signature and date." The
``header`` of :class:`Pages` carries the name and A-Number on every page for that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pikepdf

from refugio.fill.appearance import Painter, TextJob
from refugio.fill.fonts import is_rtl_text
from refugio.fill.layout import LEADING, PAD, wrap

__all__ = ["LETTER", "Pages"]

LETTER = (612.0, 792.0)  # US Letter, the paper USCIS asks for
MARGIN = 54.0
BODY = 10.0
SMALL = 8.0
GUTTER = 14.0

Footer = Callable[[int, int], str]


@dataclass
class _Box:
    """One block of lines at a place on a page."""

    x: float
    y: float  # the top of the box, from the bottom of the page
    width: float
    lines: list[str]
    size: float
    align: int = 0

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING + 2 * PAD


@dataclass
class _Page:
    boxes: list[_Box] = field(default_factory=list)


class Pages:
    """A document of text flowing over Letter pages.

    >>> doc = Pages(header="CEN, Liheng  ·  A-Number: none")
    >>> doc.heading("Declaration")
    >>> doc.text("I was born in Wenzhou.")
    >>> pdf = doc.build()
    """

    def __init__(self, header: str = "", footer: Footer | None = None) -> None:
        self.header = header
        self.footer = footer if footer is not None else _page_of
        self.width = LETTER[0] - 2 * MARGIN
        self.pages: list[_Page] = [_Page()]
        # The whole header, however long the name: never cut (Part 1 §X NOTE wants it exact).
        self.header_lines = wrap(header, self.width, SMALL) if header else []
        self.top = (
            LETTER[1] - MARGIN - (len(self.header_lines) + 1) * SMALL * LEADING * bool(header)
        )
        self.bottom = MARGIN + 2 * SMALL * LEADING
        self.y = self.top

    # -- blocks -----------------------------------------------------------------------------

    def heading(self, text: str, size: float = 13.0, centre: bool = False) -> None:
        """A heading, kept on the page of the text that follows it."""
        lines = wrap(text, self.width, size)
        need = (len(lines) + 3) * size * LEADING  # the heading and a few lines after it
        if self.y - need < self.bottom:
            self.new_page()
        self._place(lines, size, MARGIN, self.width, align=1 if centre else 0)
        self.space(size * 0.4)

    def text(self, text: str, size: float = BODY, indent: float = 0.0) -> None:
        """A paragraph (newlines kept), broken across pages where it must be."""
        lines = wrap(text, self.width - indent, size)
        self._flow(lines, size, MARGIN + indent, self.width - indent, _align(text))
        self.space(size * 0.6)

    def columns(self, left: str, right: str, size: float = 9.0) -> None:
        """Two texts side by side (the applicant's language | English), row by row."""
        half = (self.width - GUTTER) / 2
        a, b = wrap(left, half, size), wrap(right, half, size)
        rows = max(len(a), len(b))
        a += [""] * (rows - len(a))
        b += [""] * (rows - len(b))
        step = size * LEADING
        done = 0
        while done < rows:
            room = max(1, int((self.y - self.bottom - 2 * PAD) // step))
            if room < 2 and done == 0 and self.y < self.top:
                self.new_page()
                continue
            take = min(room, rows - done)
            self._box(a[done : done + take], size, MARGIN, half, _align(left))
            self._box(b[done : done + take], size, MARGIN + half + GUTTER, half, _align(right))
            self.y -= take * step + 2 * PAD
            done += take
            if done < rows:
                self.new_page()
        self.space(size * 0.6)

    def rule(self, label: str, size: float = BODY) -> None:
        """A line to sign or date on, with its label under it."""
        self._flow(["_" * 40, label], size, MARGIN, self.width)
        self.space(size)

    def keep(self, points: float) -> None:
        """Start a new page unless ``points`` of height are left on this one (a signature
        block or a certificate is never split from its lines)."""
        if self.y - points < self.bottom and self.pages[-1].boxes:
            self.new_page()

    def space(self, points: float) -> None:
        self.y -= points

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = self.top

    def fill_page(self, lines: list[str], size: float) -> None:
        """Text centred on a page of its own (an exhibit's tab page)."""
        if self.pages[-1].boxes:
            self.new_page()
        height = len(lines) * size * LEADING
        self.y = (LETTER[1] + height) / 2
        self._box(lines, size, MARGIN, self.width, 1)

    # -- layout -----------------------------------------------------------------------------

    def _flow(self, lines: list[str], size: float, x: float, width: float, align: int = 0) -> None:
        step = size * LEADING
        while lines:
            room = int((self.y - self.bottom - 2 * PAD) // step)
            if room < 1:
                self.new_page()
                continue
            self._place(lines[:room], size, x, width, align)
            lines = lines[room:]
            if lines:
                self.new_page()

    def _place(self, lines: list[str], size: float, x: float, width: float, align: int = 0) -> None:
        box = self._box(lines, size, x, width, align)
        self.y -= box.height

    def _box(self, lines: list[str], size: float, x: float, width: float, align: int) -> _Box:
        box = _Box(x, self.y, width, lines, size, align)
        self.pages[-1].boxes.append(box)
        return box

    # -- output -----------------------------------------------------------------------------

    def build(self, pdf: pikepdf.Pdf | None = None) -> pikepdf.Pdf:
        """The pages, appended to ``pdf`` (a new document if none)."""
        pdf = pdf if pdf is not None else pikepdf.new()
        painter = Painter(pdf)
        total = len(self.pages)
        placed: list[list[tuple[_Box, pikepdf.Dictionary]]] = []
        for number, page in enumerate(self.pages, 1):
            boxes = list(page.boxes) + self._margins(number, total)
            jobs = []
            for box in boxes:
                holder = pikepdf.Dictionary()
                job = TextJob(
                    holder, box.width, box.height, box.lines, box.size, box.align, paragraph=True
                )
                painter.add(job)
                jobs.append((box, holder))
            placed.append(jobs)
        painter.finish()
        for jobs in placed:
            pdf.pages.append(_page(pdf, jobs))
        return pdf

    def _margins(self, number: int, total: int) -> list[_Box]:
        boxes = []
        if self.header_lines:
            top = LETTER[1] - MARGIN + 2 * SMALL
            boxes.append(_Box(MARGIN, top, self.width, self.header_lines, SMALL))
        foot = self.footer(number, total)
        if foot:
            boxes.append(_Box(MARGIN, MARGIN, self.width, [foot], SMALL, align=1))
        return boxes


def _align(text: str) -> int:
    # Arabic, Persian, Pashto, Urdu and Hebrew paragraphs start at the right margin.
    return 2 if is_rtl_text(text) else 0


def _page_of(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def _page(pdf: pikepdf.Pdf, jobs: list[tuple[_Box, pikepdf.Dictionary]]) -> pikepdf.Page:
    xobjects = pikepdf.Dictionary()
    ops = []
    for k, (box, holder) in enumerate(jobs):
        name = f"/B{k}"
        xobjects[name] = holder.AP.N
        bottom = box.y - box.height
        ops.append(f"q 1 0 0 1 {box.x:.2f} {bottom:.2f} cm {name} Do Q")
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, LETTER[0], LETTER[1]],
        Resources=pikepdf.Dictionary(XObject=xobjects),
        Contents=pikepdf.Stream(pdf, "\n".join(ops).encode("ascii")),
    )
    return pikepdf.Page(page)
