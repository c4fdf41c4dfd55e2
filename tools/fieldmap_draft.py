"""Draft and review I-589 field maps (src/refugio/editions/data/i589-*.json).

A field map must be right by POSITION and PRINTED LABEL, not by field name or tooltip: names
repeat with other meanings across editions and tooltips are wrong in places. Three commands:

  labels BLANK.pdf [PAGE]
      Every widget with the printed text next to it (the cell heading above a text box, the
      word right of a checkbox), from ``pdftotext -bbox-layout``.

  propose REF_MAP.json REF.pdf NEW.pdf OUT.json --edition MM/DD/YY [--source TEXT]
      Propose a map for a new edition from a reviewed one. Pages of the two editions are aligned
      on the printed lines they share (a block that moved up 18 pt still matches); each new
      widget takes the entry of the reference widget it overlaps most after that shift. The
      report lists every widget that needs a human look: weak overlap, a different printed
      label, a reference entry used twice, or no match at all (written as a "TODO:" blank,
      which the tests refuse).

  render MAP.json BLANK.pdf OUTDIR [PAGE ...] [--dpi N]
      Write OUTDIR/pN.png with each widget's map entry drawn in its box (red: text, blue:
      checkbox with its "on" value inside the box as T/F or the choice, grey: blank). Look at
      every page before committing a map. Use an OUTDIR outside the repository.

For a new edition: ``propose`` from the newest reviewed map, read its report, ``render`` every
page and compare each box with the printed heading, fix the JSON by hand, then run
``pytest tests/test_fieldmaps.py`` (add the edition to refugio.editions.EDITIONS first).

Needs poppler-utils (pdftotext, pdftoppm) and pikepdf. The blank PDFs are read, never copied.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pikepdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dump_widgets import read_widgets

Line = tuple[float, float, float, float, str]  # xMin, yMin, xMax, yMax (top-left origin), text

_LINE = re.compile(r"<line ([^>]*)>(.*?)</line>", re.S)
_PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>")
_ATTR = re.compile(r'(\w+)="([\d.]+)"')


def page_lines(pdf: Path) -> dict[int, tuple[float, list[Line]]]:
    """Printed text lines per page (1-based): page height and lines in top-left coordinates."""
    with tempfile.TemporaryDirectory() as tmp:
        # pdftotext opens the encrypted 08/25/20 blank itself (empty user password).
        out = Path(tmp) / "bbox.html"
        subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(out)], check=True)
        text = out.read_text(encoding="utf-8")
    pages: dict[int, tuple[float, list[Line]]] = {}
    for pno, m in enumerate(_PAGE.finditer(text), 1):
        lines: list[Line] = []
        for lm in _LINE.finditer(m.group(3)):
            a = {k: float(v) for k, v in _ATTR.findall(lm.group(1))}
            words = " ".join(html.unescape(w) for w in _WORD.findall(lm.group(2)))
            lines.append((a["xMin"], a["yMin"], a["xMax"], a["yMax"], words))
        pages[pno] = (float(m.group(2)), lines)
    return pages


def _top_rect(w: dict[str, Any], height: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = w["rect"]
    return x0, height - y1, x1, height - y0


def label(w: dict[str, Any], height: float, lines: list[Line]) -> str:
    """The printed text that names a widget: heading above a box, word right of a checkbox, the
    caption under a box that has no heading (signature lines), or the word left of it."""
    x0, top, x1, bot = _top_rect(w, height)
    mid = (top + bot) / 2
    same_row = [ln for ln in lines if ln[1] - 3 <= mid <= ln[3] + 3]
    right = sorted((ln for ln in same_row if x1 - 1 <= ln[0] <= x1 + 30), key=lambda ln: ln[0])
    left = sorted((ln for ln in same_row if x0 - 90 <= ln[2] <= x0 + 2), key=lambda ln: -ln[2])
    above = sorted(
        (
            ln
            for ln in lines
            if top - 30 <= ln[3] <= top + 2 and ln[0] < x1 and ln[2] > x0 - 2 and ln[0] >= x0 - 25
        ),
        key=lambda ln: -ln[3],
    )
    if w["ft"] == "/Btn" and right:
        return right[0][4]
    # The heading right above, with its first line if it wraps (lines a few points apart).
    parts = [ln[4] for ln in above[:1]]
    if len(above) > 1 and above[0][1] - above[1][3] < 4:
        parts.insert(0, above[1][4])
    below = sorted(
        (ln for ln in lines if bot - 2 <= ln[1] <= bot + 10 and ln[0] < x1 and ln[2] > x0),
        key=lambda ln: ln[1],
    )
    if not parts and left:
        parts.append(left[0][4])
    if not parts and below:
        parts.append(below[0][4])
    return " / ".join(parts)


def _norm(s: str) -> str:
    """Comparable text: no case, spaces or punctuation, no dates (footers print the edition)."""
    s = re.sub(r"\d\d/\d\d/\d\d(\d\d)?", "", s.lower())
    return re.sub(r"[^a-z0-9]+", "", s)


def _anchors(ref: list[Line], new: list[Line]) -> list[tuple[float, float, float, float]]:
    """(y_new, y_ref, x_new, x_ref) of printed lines both pages share, matched in order."""

    def keyed(lines: list[Line]) -> dict[tuple[str, int], Line]:
        seen: Counter[str] = Counter()
        out = {}
        for ln in sorted(lines, key=lambda ln: (ln[1], ln[0])):
            k = _norm(ln[4])
            if len(k) >= 4:
                out[(k, seen[k])] = ln
                seen[k] += 1
        return out

    a, b = keyed(ref), keyed(new)
    ca = Counter(k for k, _ in a)
    cb = Counter(k for k, _ in b)
    return [(b[k][1], a[k][1], b[k][0], a[k][0]) for k in a if k in b and ca[k[0]] == cb[k[0]]]


def _iou(r: tuple[float, ...], s: tuple[float, ...]) -> float:
    ix = max(0.0, min(r[2], s[2]) - max(r[0], s[0]))
    iy = max(0.0, min(r[3], s[3]) - max(r[1], s[1]))
    inter = ix * iy
    union = (r[2] - r[0]) * (r[3] - r[1]) + (s[2] - s[0]) * (s[3] - s[1]) - inter
    return inter / union if union > 0 else 0.0


def propose(
    ref_map: dict[str, Any], ref_pdf: Path, new_pdf: Path
) -> tuple[dict[str, Any], list[str]]:
    """A map for ``new_pdf`` copied from ``ref_map`` by aligned position, and what to review."""
    ref_w, new_w = read_widgets(ref_pdf), read_widgets(new_pdf)
    ref_p, new_p = page_lines(ref_pdf), page_lines(new_pdf)
    by_page: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for w in ref_w:
        by_page[w["page"]].append(w)
    anchors = {(p, q): _anchors(ref_p[q][1], new_p[p][1]) for p in new_p for q in ref_p}
    out: dict[str, Any] = {}
    notes: list[str] = []
    used: dict[str, list[str]] = defaultdict(list)
    for w in sorted(new_w, key=lambda w: (w["page"], -w["rect"][3], w["rect"][0])):
        p = w["page"]
        hn, ln_new = new_p[p]
        r = _top_rect(w, hn)
        best: tuple[float, dict[str, Any] | None] = (0.0, None)
        # The same page first; other pages only when nothing there fits (a block that moved
        # to another page, like the office-use box of page 1 in 2020 and page 2 in 2025).
        pages = [p] + [q for q in by_page if q != p]
        for q in pages:
            if q != p and best[0] >= 0.5:
                break
            cands = by_page[q]
            anc = anchors[(p, q)]
            if len(anc) < 3:
                continue
            # Shift by the nearest shared printed line above the widget (its heading); a widget
            # with no shared heading above (a footer barcode) uses the nearest line below.
            above = [a for a in anc if a[0] <= r[1] + 2]
            below = [a for a in anc if a[0] > r[1] + 2]
            shifts = [max(above, key=lambda a: a[0])] if above else []
            shifts += [min(below, key=lambda a: a[0])] if below else []
            hr = ref_p[q][0]
            for k, (yn, yr, xn, xr) in enumerate(shifts):
                dx, dy = xr - xn, yr - yn
                shifted = (r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy)
                for c in cands:
                    if c["ft"] != w["ft"]:
                        continue
                    # Prefer the shift of the heading above.
                    score = _iou(shifted, _top_rect(c, hr)) - 0.05 * k
                    if score > best[0]:
                        best = (score, c)
        score, match = best
        name = w["name"]
        if match is None or score < 0.2 or match["name"] not in ref_map["widgets"]:
            out[name] = {"blank": "TODO: no match in the reference edition"}
            notes.append(f"p{p} {name}: NO MATCH ({label(w, hn, ln_new)!r})")
            continue
        out[name] = dict(ref_map["widgets"][match["name"]])
        used[match["name"]].append(name)
        lab_new = label(w, hn, ln_new)
        lab_ref = label(match, *ref_p[match["page"]])
        flags = []
        if score < 0.5:
            flags.append(f"weak overlap {score:.2f}")
        if _norm(lab_new) != _norm(lab_ref):
            flags.append(f"label {lab_new!r} vs reference {lab_ref!r}")
        if match["page"] != p:
            flags.append(f"reference widget is on page {match['page']}")
        if flags:
            notes.append(f"p{p} {name} <- {match['name']}: " + "; ".join(flags))
    for ref_name, news in used.items():
        if len(news) > 1:
            notes.append(f"reference {ref_name} used {len(news)} times: {news}")
    return out, notes


def _short(entry: dict[str, Any]) -> str:
    if "blank" in entry:
        return "NOT IN MAP" if entry["blank"] == "NOT IN MAP" else "blank"
    return re.sub(
        r"^(applicant|background|supplement_[ab]|additional|signature)\.", "", str(entry["path"])
    )


def _pdf_str(s: str) -> str:
    return (
        "("
        + s.encode("latin-1", "replace")
        .decode("latin-1")
        .replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        + ")"
    )


def render(
    field_map: dict[str, Any], blank: Path, outdir: Path, pages: list[int], dpi: int = 110
) -> None:
    """Draw each widget's map entry in its box, without the form's own widgets, and rasterise."""
    widgets = read_widgets(blank)
    outdir.mkdir(parents=True, exist_ok=True)
    with pikepdf.open(blank) as pdf:
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        ops: dict[int, list[str]] = defaultdict(list)
        for w in widgets:
            entry = field_map["widgets"].get(w["name"], {"blank": "NOT IN MAP"})
            x0, y0, x1, y1 = w["rect"]
            color = "0.6 0.6 0.6" if "blank" in entry else ("0 0 1" if "on" in entry else "1 0 0")
            text = _short(entry)
            btn = w["ft"] == "/Btn"
            size = 5.0 if btn else max(3.2, min(6.0, (x1 - x0) / max(1, len(text)) / 0.5))
            tx, ty = (x0, y1 + 1) if btn else (x0 + 1, y1 - size - 0.5)
            ops[w["page"]].append(
                f"q {color} RG 0.8 w {x0} {y0} {x1 - x0} {y1 - y0} re S Q "
                f"q 1 1 1 rg {tx} {ty - 0.5} {0.5 * size * len(text)} {size + 1} re f Q "
                f"BT {color} rg /FMHelv {size:.2f} Tf {tx} {ty} Td {_pdf_str(text)} Tj ET"
            )
            if btn and "on" in entry:
                # The "on" value inside the box: T/F, or the first letters of a choice.
                on = entry["on"]
                mark = ("T" if on else "F") if isinstance(on, bool) else str(on)[:3]
                ops[w["page"]].append(
                    f"BT {color} rg /FMHelv 6 Tf {x0 + 1} {y0 + 2} Td {_pdf_str(mark)} Tj ET"
                )
        for pno, page in enumerate(pdf.pages, 1):
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            page.add_resource(font, pikepdf.Name.Font, pikepdf.Name("/FMHelv"))
            page.contents_add(pikepdf.Stream(pdf, "\n".join(ops[pno]).encode()), prepend=False)
        if "/AcroForm" in pdf.Root:
            del pdf.Root["/AcroForm"]
        npages = len(pdf.pages)
        # The annotated copy of the blank lives only in a temporary directory: blanks are
        # never copied into the repository, and only the PNGs are kept.
        with tempfile.TemporaryDirectory() as tmp:
            annotated = Path(tmp) / "annotated.pdf"
            pdf.save(annotated, encryption=False)
            for p in pages or range(1, npages + 1):
                out = str(outdir / f"p{p}")
                cmd = ["pdftoppm", "-r", str(dpi), "-f", str(p), "-l", str(p), "-png"]
                subprocess.run([*cmd, "-singlefile", str(annotated), out], check=True)


def dump_map(doc: dict[str, Any]) -> str:
    """The map as JSON with one widget per line (short diffs, readable reviews)."""
    head = {k: v for k, v in doc.items() if k != "widgets"}
    body = ",\n".join(
        f"    {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in doc["widgets"].items()
    )
    text = json.dumps(head, indent=2, ensure_ascii=False)
    return text[:-2] + ',\n  "widgets": {\n' + body + "\n  }\n}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("labels")
    a.add_argument("blank", type=Path)
    a.add_argument("page", type=int, nargs="?")
    b = sub.add_parser("propose")
    b.add_argument("ref_map", type=Path)
    b.add_argument("ref_pdf", type=Path)
    b.add_argument("new_pdf", type=Path)
    b.add_argument("out", type=Path)
    b.add_argument("--edition", required=True, help="as printed, e.g. 01/20/25")
    b.add_argument("--source", help="where the blank comes from (default: uscis.gov/i-589)")
    c = sub.add_parser("render")
    c.add_argument("map", type=Path)
    c.add_argument("blank", type=Path)
    c.add_argument("outdir", type=Path)
    c.add_argument("pages", type=int, nargs="*")
    c.add_argument("--dpi", type=int, default=110)
    args = ap.parse_args(argv)

    if args.cmd == "labels":
        lines = page_lines(args.blank)
        for w in read_widgets(args.blank):
            if args.page in (None, w["page"]):
                h, ln = lines[w["page"]]
                print(f"p{w['page']} {w['ft'][1:]:3} {w['rect']} {w['name']}  | {label(w, h, ln)}")
    elif args.cmd == "propose":
        ref = json.loads(args.ref_map.read_text(encoding="utf-8"))
        widgets, notes = propose(ref, args.ref_pdf, args.new_pdf)
        with pikepdf.open(args.new_pdf) as pdf:
            npages = len(pdf.pages)
        doc = {
            "form": ref["form"],
            "edition": args.edition,
            "source": args.source
            or f"USCIS Form I-589, edition {args.edition}, blank as published at uscis.gov/i-589",
            "pages": npages,
            "supplement_a_page": ref["supplement_a_page"],
            "supplement_b_page": ref["supplement_b_page"],
            "widgets": widgets,
        }
        args.out.write_text(dump_map(doc), encoding="utf-8")
        print("\n".join(notes))
        print(f"{len(widgets)} widgets, {len(notes)} to review", file=sys.stderr)
    else:
        render(
            json.loads(args.map.read_text(encoding="utf-8")),
            args.blank,
            args.outdir,
            args.pages,
            args.dpi,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
