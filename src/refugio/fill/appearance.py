"""Appearance streams: every filled widget draws its own value (pdf-filling.md, pitfall 3).

A value set only in /V shows in viewers that redraw fields and nowhere else. Refugio writes each
text widget's /AP /N stream itself, so the value is on the page in every viewer, in print, and
for ``pdftotext`` even with every /V removed.

Painting has two phases because embedded fonts are subset once per document: ``add`` records
what each widget shows; ``finish`` subsets the fonts over all recorded text and writes streams.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from refugio.fill.fonts import (
    COURIER,
    COURIER_WIDTH,
    Run,
    SubsetFont,
    load_fonts,
    run_width,
    split_runs,
)

__all__ = ["Painter", "TextJob"]

PADDING = 2.0


@dataclass
class TextJob:
    widget: pikepdf.Object
    width: float
    height: float
    lines: list[str]
    size: float
    align: int = 0  # /Q: 0 left, 1 centre, 2 right
    comb: int = 0  # /MaxLen of a comb field: one character per cell
    paragraph: bool = False  # a multi-line box: text starts at the top, not centred


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") or "0"


class Painter:
    """Draws text into widgets; one per output document."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.jobs: list[TextJob] = []
        self._courier = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name("/Courier-Bold"),
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )

    def add(self, job: TextJob) -> None:
        self.jobs.append(job)

    def finish(self) -> None:
        subsets = self._subset_fonts()
        font_objs: dict[int, pikepdf.Object] = {}
        # One shared /Resources per set of fonts: most streams use Courier alone.
        resources: dict[frozenset[int], pikepdf.Object] = {}
        for job in self.jobs:
            content, used = self._content(job, subsets)
            key = frozenset(used)
            if key not in resources:
                fonts = pikepdf.Dictionary(Cour=self._courier)
                for idx in sorted(used):
                    if idx not in font_objs:
                        font_objs[idx] = self._font_object(subsets[idx])
                    fonts[f"/F{idx}"] = font_objs[idx]
                resources[key] = self.pdf.make_indirect(pikepdf.Dictionary(Font=fonts))
            stream = pikepdf.Stream(
                self.pdf,
                content,
                {
                    "/Type": pikepdf.Name.XObject,
                    "/Subtype": pikepdf.Name.Form,
                    "/BBox": pikepdf.Array([0, 0, job.width, job.height]),
                    "/Resources": resources[key],
                },
            )
            job.widget.AP = pikepdf.Dictionary(N=stream)
        # Widths and ToUnicode are only known once every job has been shaped.
        for idx, obj in font_objs.items():
            self._complete_font(obj, subsets[idx])

    def _subset_fonts(self) -> dict[int, SubsetFont]:
        texts: dict[int, list[str]] = {}
        for job in self.jobs:
            for line in job.lines:
                for run in split_runs(line):
                    if run.font != COURIER:
                        texts.setdefault(run.font, []).append(run.text)
        fonts = load_fonts()
        return {i: SubsetFont.build(fonts[i], t) for i, t in texts.items()}

    def _content(self, job: TextJob, subsets: dict[int, SubsetFont]) -> tuple[bytes, set[int]]:
        ops = ["/Tx BMC", "q", f"1 1 {_num(job.width - 2)} {_num(job.height - 2)} re W n", "BT"]
        used: set[int] = set()
        size = job.size
        if len(job.lines) == 1 and not job.paragraph:
            # Vertically centred; Courier's cap height is ~0.57 of the size.
            baselines = [(job.height - size * 0.6) / 2]
        else:
            leading = size * 1.15
            top = job.height - PADDING - size * 0.8
            baselines = [top - k * leading for k in range(len(job.lines))]
        for line, y in zip(job.lines, baselines, strict=True):
            if job.comb and all(r.font == COURIER for r in split_runs(line)):
                ops += self._comb(line, job, y)
                continue
            runs = split_runs(line)
            width = sum(run_width(r, size) for r in runs)
            if job.align == 1:
                x = (job.width - width) / 2
            elif job.align == 2:
                x = job.width - PADDING - width
            else:
                x = PADDING
            for run in runs:
                if run.font == COURIER:
                    ops.append(f"/Cour {_num(size)} Tf 0 g 1 0 0 1 {_num(x)} {_num(y)} Tm")
                    ops.append(_pdf_string(run.text).decode("latin-1") + " Tj")
                else:
                    used.add(run.font)
                    ops += _shaped(run, subsets[run.font], run.font, size, x, y)
                x += run_width(run, size)
        ops += ["ET", "Q", "EMC"]
        return "\n".join(ops).encode("latin-1"), used

    def _comb(self, line: str, job: TextJob, y: float) -> list[str]:
        cell = job.width / job.comb
        ops = [f"/Cour {_num(job.size)} Tf 0 g"]
        glyph = COURIER_WIDTH * job.size / 1000
        for k, ch in enumerate(line[: job.comb]):
            x = cell * k + (cell - glyph) / 2
            ops.append(
                f"1 0 0 1 {_num(x)} {_num(y)} Tm " + _pdf_string(ch).decode("latin-1") + " Tj"
            )
        return ops

    def _font_object(self, sub: SubsetFont) -> pikepdf.Object:
        name = pikepdf.Name(f"/{sub.tag}+{sub.source.name}")
        file = pikepdf.Stream(self.pdf, sub.data)
        file.Length1 = len(sub.data)
        extents = sub.font.get_font_extents("ltr")
        scale = 1000 / sub.upem
        ascent, descent = extents.ascender * scale, extents.descender * scale
        descriptor = pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=name,
            Flags=4,  # symbolic: glyphs addressed by id, not by a standard encoding
            FontBBox=[0, int(descent), 1000, int(ascent)],
            ItalicAngle=0,
            Ascent=int(ascent),
            Descent=int(descent),
            CapHeight=int(ascent),
            StemV=80,
            FontFile2=file,
        )
        cid = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=name,
            CIDSystemInfo=pikepdf.Dictionary(
                Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
            ),
            FontDescriptor=self.pdf.make_indirect(descriptor),
            DW=1000,
            CIDToGIDMap=pikepdf.Name.Identity,
        )
        return self.pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type0,
                BaseFont=name,
                Encoding=pikepdf.Name("/Identity-H"),
                DescendantFonts=[self.pdf.make_indirect(cid)],
            )
        )

    def _complete_font(self, obj: pikepdf.Object, sub: SubsetFont) -> None:
        widths: list[object] = []
        for gid in sorted(sub.widths):
            widths += [gid, [round(sub.widths[gid], 1)]]
        obj.DescendantFonts[0].W = pikepdf.Array(widths)
        obj.ToUnicode = pikepdf.Stream(self.pdf, _to_unicode_cmap(sub.to_unicode))


def _shaped(run: Run, sub: SubsetFont, idx: int, size: float, x: float, y: float) -> list[str]:
    """A shaped run as TJ with per-glyph offsets.

    Left-to-right runs sit in an /ActualText span, so a conjunct drawn as several glyphs still
    extracts as the characters typed. Right-to-left runs do not: extractors (poppler) reorder
    the visual glyph sequence into logical order themselves, and would reverse ActualText too.
    """
    text = run.text
    ops = [f"/F{idx} {_num(size)} Tf 0 g", f"1 0 0 1 {_num(x)} {_num(y)} Tm"]
    if not run.rtl:
        actual = "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
        ops.insert(0, f"/Span <</ActualText {actual}>> BDC")
    items: list[str] = []
    pen = cur = rise = 0.0

    def flush() -> None:
        if items:
            ops.append("[" + " ".join(items) + "] TJ")
            items.clear()

    for gid, adv, xo, yo in sub.glyphs(text, run.rtl):
        target = pen + xo
        if abs(target - cur) > 0.01:
            items.append(_num(-(target - cur)))
        if yo != rise:
            flush()
            ops.append(f"{_num(yo * size / 1000)} Ts")
            rise = yo
        items.append(f"<{gid:04X}>")
        cur = target + sub.widths[gid]
        pen += adv
    flush()
    if rise:
        ops.append("0 Ts")
    if not run.rtl:
        ops.append("EMC")
    return ops


def _to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    items = [(g, t) for g, t in sorted(mapping.items()) if t]
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, text in chunk:
            lines.append(f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
