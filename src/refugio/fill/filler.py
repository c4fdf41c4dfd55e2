"""Fill Form I-589 from an Application: every value in its box, overflow on supplements.

Order of work (each step is one function below):
1. open the blank, detect its edition, check the field map accounts for every widget;
2. plan lists: rows that fit the printed table stay, the rest go to Supplement A (children) or
   Supplement B (everything else), the last printed row pointing there;
3. copy Supplement A pages as needed, two children each;
4. fit every text value into its box; what does not fit continues on Supplement B;
5. lay out Supplement B pages, copying the page as often as needed;
6. tick checkboxes, remove XFA and /Perms, draw appearance streams, save atomically.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from refugio.editions import Edition, FieldMap, MapEntry, detect_edition
from refugio.errors import EditionError, FieldMapError, FontError
from refugio.fill import layout
from refugio.fill.appearance import Painter, TextJob
from refugio.fill.layout import Continuation
from refugio.fill.pdfdoc import (
    Widget,
    copy_page,
    open_blank,
    remove_page,
    save_atomically,
    strip_xfa,
    widgets,
)
from refugio.fill.values import flatten, format_value, list_lengths
from refugio.model import Application
from refugio.paths import describe, label_for, na_word

__all__ = ["FillReport", "fill", "fill_pdf"]

MULTILINE = 1 << 12
COMB = 1 << 24
CHILDREN_ON_FORM = 4  # Part A.II prints four child blocks; the rest go to Supplement A
CHILDREN_PER_SUPP_A = 2
# What a box says when its value continues on Supplement B, longest first; "*" where no words fit.
POINTERS = ("SEE SUPPLEMENT B", "SEE SUPP. B", "SUPP B", "*")
_LIST_ROW = re.compile(r"^(?P<list>[a-z_.]+)\[(?P<i>\d+)\]\.(?P<rest>.+)$")


@dataclass
class FillReport:
    edition: str
    pages: int
    supplement_a_pages: int
    supplement_b_pages: int
    continued: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    app: Application
    fmap: FieldMap
    flat: dict[str, Any]
    today: dt.date
    na: bool
    sections: list[Continuation] = field(default_factory=list)
    pointers: dict[str, str] = field(default_factory=dict)  # widget name → pointer text
    suppressed: set[str] = field(default_factory=set)  # list rows moved to Supplement B
    moved: dict[str, int] = field(default_factory=dict)  # list → first row moved to Supplement B


def fill(
    app: Application,
    blank: Path,
    out: Path,
    *,
    today: dt.date,
    na: bool = False,
    edition: Edition | None = None,
) -> FillReport:
    """Fill ``blank`` (any known edition) with ``app`` and write ``out`` atomically.

    With ``edition``, a blank of another edition is refused rather than filled.
    """
    with open_blank(blank) as pdf:
        found = detect_edition(pdf)
        if edition is not None and found != edition:
            raise EditionError(
                f"{blank} is edition {found.label} of Form I-589, not {edition.label}"
            )
        report = fill_pdf(app, pdf, today=today, na=na, edition=found)
        save_atomically(pdf, out)
    return report


def fill_pdf(
    app: Application,
    pdf: pikepdf.Pdf,
    *,
    today: dt.date,
    na: bool = False,
    edition: Edition | None = None,
) -> FillReport:
    """Fill an open blank in memory (``fill`` saves it; tests and benchmarks use this).

    ``edition`` is the blank's edition when the caller has detected it already.
    """
    edition = edition or detect_edition(pdf)
    fmap = edition.field_map()
    all_widgets = widgets(pdf)
    _check_coverage(edition, fmap, all_widgets)
    plan = _Plan(app, fmap, flatten(app), today, na)
    _plan_lists(plan, all_widgets)
    _plan_unmapped(plan, all_widgets)
    painter = Painter(pdf)
    supp_a = _supplement_a(plan, pdf, all_widgets, painter)
    main = [
        w for w in all_widgets if w.page + 1 not in (fmap.supplement_a_page, fmap.supplement_b_page)
    ]
    for w in main:
        _fill_widget(plan, painter, w, fmap.entries[w.name], plan.flat)
    supp_b = _supplement_b(plan, pdf, all_widgets, painter)
    _remove_unused(pdf, all_widgets, fmap, supp_a, supp_b)
    strip_xfa(pdf)
    painter.finish()
    return FillReport(
        edition=edition.label,
        pages=len(pdf.pages),
        supplement_a_pages=supp_a,
        supplement_b_pages=supp_b,
        continued=list(dict.fromkeys(s.item for s in sorted(plan.sections, key=lambda s: s.order))),
    )


def _check_coverage(edition: Edition, fmap: FieldMap, ws: list[Widget]) -> None:
    """The blank and the map must match exactly: a missing widget would silently lose answers."""
    if not ws:
        raise EditionError(
            f"this edition {edition.label} I-589 has no form fields (flattened, or printed to "
            "PDF?); use the fillable blank from uscis.gov/i-589"
        )
    names = {w.name for w in ws}
    unknown = names - fmap.entries.keys()
    if unknown and all(n.startswith(("SupplementA-", "SupplementB-")) for n in unknown):
        raise EditionError("this PDF was already filled (it has supplement copies); fill a blank")
    if unknown:
        raise FieldMapError(
            f"the field map of edition {edition.label} does not account for "
            f"{len(unknown)} widget(s), e.g. {sorted(unknown)[0]}"
        )
    _check_blank(fmap, ws)
    missing = fmap.entries.keys() - names
    if missing:
        raise EditionError(
            f"this edition {edition.label} I-589 lacks {len(missing)} of the form's fields, e.g. "
            f"{sorted(missing)[0]} (a modified copy?); use the blank from uscis.gov/i-589"
        )


def _check_blank(fmap: FieldMap, ws: list[Widget]) -> None:
    """Refuse a form that already holds answers: filling over them would mix two cases."""
    filled = 0
    for w in ws:
        entry = fmap.entries.get(w.name)
        if entry is None or entry.path is None:
            continue  # barcodes carry the edition as a value of the blank itself
        if entry.is_checkbox:
            # What shows is /AS; the 01/20/25 blank carries a stray /V /0 on two boxes.
            filled += w.obj.get("/AS", pikepdf.Name.Off) != pikepdf.Name.Off
        else:
            filled += bool(str(w.obj.get("/V", "")))
    if filled:
        raise EditionError(
            f"this PDF is not blank ({filled} field(s) already filled in); fill the blank "
            "from uscis.gov/i-589 (filling over answers would mix two cases)"
        )


# --- lists ---------------------------------------------------------------------------------


def _plan_lists(plan: _Plan, ws: list[Widget]) -> None:
    """Rows beyond the printed table go to Supplement B; the last row says so."""
    rows: dict[str, dict[int, list[Widget]]] = {}
    for w in ws:
        entry = plan.fmap.entries[w.name]
        m = _LIST_ROW.match(entry.path or "")
        if m and not m.group("list").startswith("supplement_"):
            rows.setdefault(m.group("list"), {}).setdefault(int(m.group("i")), []).append(w)
    lengths = list_lengths(plan.app)
    for name, table in rows.items():
        capacity, count = len(table), lengths.get(name, 0)
        if name == "children" or count <= capacity:
            continue
        last = capacity - 1
        plan.moved[name] = last
        for w in table[last]:
            plan.suppressed.add(w.name)
        texts = [w for w in table[last] if w.is_text]
        widest = max(texts, key=lambda w: w.size[0])
        item = plan.fmap.entries[widest.name].item
        plan.pointers[widest.name] = "SEE SUPPLEMENT B"
        plan.sections.append(_list_continuation(plan, name, item, last, count))
        plan.sections[-1].order = _order(widest)


def _plan_unmapped(plan: _Plan, ws: list[Widget]) -> None:
    """Answers the edition has no box for go to Supplement B too, never nowhere.

    E.g. item 19.C prints "Date Status Expires" for the most recent entry only; the expiry of
    entries 2 and 3 is continued.
    """
    mapped = {e.path: e.name for e in plan.fmap.entries.values() if e.path}
    in_supp_a = {p.split("].", 1)[1] for p in mapped if p.startswith("supplement_a.child[")}
    by_name = {w.name: w for w in ws}
    for path, value in plan.flat.items():
        if value in (None, "", False) or path.startswith("derived.") or path in mapped:
            continue
        m = _LIST_ROW.match(path)
        if m:
            row, rest = int(m.group("i")), m.group("rest")
            if m.group("list") == "children" and row >= CHILDREN_ON_FORM and rest in in_supp_a:
                continue
            if row >= plan.moved.get(m.group("list"), row + 1):
                continue
        item = describe(path)
        sibling = next(
            (n for p, n in mapped.items() if p.rsplit(".", 1)[0] == path.rsplit(".", 1)[0]), None
        )
        order = _order(by_name[sibling]) if sibling in by_name else (float("inf"),)
        text = format_value(path, value)
        plan.sections.append(
            Continuation(item.split(":")[0], f"{item} (no box on the form)", text, order)
        )


def _list_continuation(plan: _Plan, name: str, item: str, first: int, count: int) -> Continuation:
    rows: dict[int, list[str]] = {i: [] for i in range(first, count)}
    for path, value in plan.flat.items():
        m = _LIST_ROW.match(path) if path.startswith(name + "[") else None
        row = int(m.group("i")) if m and m.group("list") == name else -1
        if row in rows and value not in (None, "", False):
            label = label_for(path)
            rows[row].append(f"{label}: {format_value(path, value)}")
    lines = [f"{i + 1}. " + "; ".join(parts) for i, parts in rows.items()]
    general = re.sub(r"^(Part [^,]+, item [^ ]+).*$", r"\1", item)
    return Continuation(
        general, f"{general} (continued): entries {first + 1} to {count}", "\n".join(lines)
    )


# --- text and checkboxes -------------------------------------------------------------------


def _fill_widget(
    plan: _Plan, painter: Painter, w: Widget, entry: MapEntry, values: dict[str, Any]
) -> None:
    if entry.blank is not None or entry.path is None:
        return
    if w.name in plan.suppressed and w.name not in plan.pointers:
        return
    if entry.is_checkbox:
        _tick(w, values.get(entry.path) == entry.on and values.get(entry.path) is not None)
        return
    if w.name in plan.pointers:
        text = plan.pointers[w.name]
    else:
        text = format_value(entry.path, values.get(entry.path))
        if not text and plan.na:
            text = _na_text(plan, entry.path, values)
    if text:
        try:
            _put_text(plan, painter, w, entry, text)
        except FontError as exc:
            raise FontError(f"{entry.item}: {exc}") from exc


def _order(w: Widget) -> tuple[float, ...]:
    x1, _y1, _x2, y2 = (float(v) for v in w.obj.Rect)
    return (w.page, -y2, x1)


def _tick(w: Widget, on: bool) -> None:
    state = w.on_state if on else pikepdf.Name.Off
    w.obj.AS = state
    w.obj.V = state


def _na_text(plan: _Plan, path: str, values: dict[str, Any]) -> str:
    """What ``fill --na`` writes into a box left empty (instructions, Part 1 §V)."""
    if path.startswith(("derived.", "supplement_a.a_number", "supplement_b.")):
        return ""
    if path not in values:
        # A mailing address "if different" that is not: item 9 says so instead of staying blank.
        return "N/A" if path == "applicant.mailing_address.street" else ""
    if path.endswith(".explanation"):
        answer = values.get(path.rsplit(".", 1)[0] + ".answer")
        return "N/A" if answer is False else ""
    return na_word(path)


def _put_text(plan: _Plan, painter: Painter, w: Widget, entry: MapEntry, text: str) -> None:
    width, height = w.size
    if w.flags & MULTILINE and height > 2 * layout.DEFAULT_SIZE * layout.LEADING:
        _put_paragraph(plan, painter, w, entry, text)
        return
    text = " ".join(text.split())  # one line: newlines and runs of spaces become one space
    max_len = w.max_len
    size = layout.fit_line(text, width) if not max_len or len(text) <= max_len else None
    if size is None:
        heading = f"{_where(entry)} (continued)"
        plan.sections.append(Continuation(entry.item, heading, text, _order(w)))
        text = _pointer_for(w)
        size = layout.fit_line(text, width) or layout.MIN_SIZE
    w.obj.V = pikepdf.String(text)
    comb = max_len if w.flags & COMB else 0
    align = int(w.attr("/Q") or 0)
    painter.add(TextJob(w.obj, width, height, [text], size, align, comb))


def _where(entry: MapEntry) -> str:
    """The item and the box within it: "Part A.III, item 2, row 3: number and street"."""
    path = entry.path or ""
    # A Supplement A slot asks what a child block asks; its item already names the child.
    model_path = re.sub(r"^supplement_a\.child\[\d\]", "children[0]", path)
    try:
        label = label_for(model_path)
    except ValueError:  # derived and header values: no question of the model
        label = path.rsplit(".", 1)[-1].replace("_", " ")
    m = _LIST_ROW.match(path)
    if m and not m.group("list").startswith(("children", "supplement_")):
        return f"{entry.item}, row {int(m.group('i')) + 1}: {label}"
    return f"{entry.item}: {label}"


def _pointer_for(w: Widget) -> str:
    """The longest pointer the box holds; "*" in a box too small for words (an area code):
    a mark, never a cut value that looks whole."""
    return next(
        (
            p
            for p in POINTERS[:-1]
            if (not w.max_len or len(p) <= w.max_len) and layout.fit_line(p, w.size[0])
        ),
        POINTERS[-1],
    )


def _put_paragraph(plan: _Plan, painter: Painter, w: Widget, entry: MapEntry, text: str) -> None:
    width, height = w.size
    size = layout.DEFAULT_SIZE
    lines = layout.wrap(text, width, size)
    room = layout.lines_in(height, size)
    value = text  # /V keeps the answer as typed; the appearance shows it wrapped
    if len(lines) > room:
        pointer = f"[continued on Supplement B, {entry.item}]"
        kept, offset = _kept_lines(text, width, size, room - 1)
        rest = text[offset:].strip()
        plan.sections.append(Continuation(entry.item, f"{entry.item} (continued)", rest, _order(w)))
        lines = [*kept, pointer]
        value = f"{text[:offset].rstrip()}\n{pointer}"
    w.obj.V = pikepdf.String(value)
    painter.add(TextJob(w.obj, width, height, lines, size, paragraph=True))


def _kept_lines(text: str, width: float, size: float, n: int) -> tuple[list[str], int]:
    """The first ``n`` wrapped lines of ``text`` and the offset where the rest begins."""
    lines = layout.wrap(text, width, size)[:n]
    offset = 0
    for line in lines:
        if not line:
            offset = text.find("\n", offset) + 1 if "\n" in text[offset:] else offset
            continue
        found = text.find(line, offset)
        offset = (found if found >= 0 else offset) + len(line)
    return lines, offset


# --- supplements ---------------------------------------------------------------------------


def _header_values(plan: _Plan, kind: str) -> dict[str, Any]:
    """Name, A-Number and date on every supplement page (instructions, Part 1 §V)."""
    a_number = format_value("a_number", plan.app.applicant.a_number) or "NONE"
    date = plan.app.signature.date_signed or plan.today
    return {
        f"{kind}.a_number": a_number,
        f"{kind}.date": date,
        f"{kind}.applicant_name": plan.app.name_as_in_part_a,
    }


def _page_widgets(ws: list[Widget], page: int) -> list[Widget]:
    return [w for w in ws if w.page == page - 1]


def _supplement_a(plan: _Plan, pdf: pikepdf.Pdf, ws: list[Widget], painter: Painter) -> int:
    extra = plan.app.children[CHILDREN_ON_FORM:]
    pages = math.ceil(len(extra) / CHILDREN_PER_SUPP_A)
    if pages == 0:
        return 0
    index = plan.fmap.supplement_a_page - 1
    page_sets = [_page_widgets(ws, plan.fmap.supplement_a_page)]
    for k in range(1, pages):
        page_sets.append(copy_page(pdf, index, index + k, f"SupplementA-{k + 1}"))
    for k, page_ws in enumerate(page_sets):
        values = _header_values(plan, "supplement_a")
        for slot in range(CHILDREN_PER_SUPP_A):
            number = CHILDREN_ON_FORM + k * CHILDREN_PER_SUPP_A + slot
            if number < len(plan.app.children):
                for name, value in plan.flat.items():
                    if name.startswith(f"children[{number}]."):
                        values[f"supplement_a.child[{slot}]." + name.split("].", 1)[1]] = value
        for w in page_ws:
            entry = plan.fmap.entries[w.name]
            first = CHILDREN_ON_FORM + k * CHILDREN_PER_SUPP_A
            _fill_widget(plan, painter, w, _relabel(entry, first), values)
    return pages


def _relabel(entry: MapEntry, first_child: int) -> MapEntry:
    """Supplement A items name the child the block holds: "Supplement A, child 7 item 14"."""
    m = re.match(r"^supplement_a\.child\[(\d)\]\.", entry.path or "")
    if not m or "child item" not in entry.item:
        return entry
    number = first_child + int(m.group(1)) + 1
    item = entry.item.replace("child item", f"child {number} item")
    return MapEntry(entry.name, entry.path, item, entry.on, entry.blank)


def _supplement_b(plan: _Plan, pdf: pikepdf.Pdf, ws: list[Widget], painter: Painter) -> int:
    if not plan.sections:
        return 0
    page_ws = _page_widgets(ws, plan.fmap.supplement_b_page)
    box = next(w for w in page_ws if plan.fmap.entries[w.name].path == "supplement_b.text")
    pages = layout.paginate(plan.sections, *box.size)
    page = _page_index(pdf, box, plan.fmap.supplement_b_page)
    sets = [page_ws] + [
        copy_page(pdf, page, page + k, f"SupplementB-{k + 1}") for k in range(1, len(pages))
    ]
    for sheet, page_widgets in zip(pages, sets, strict=True):
        parts = [layout.split_item(i) for i in sheet.items]
        values = _header_values(plan, "supplement_b")
        values["supplement_b.part"] = ", ".join(dict.fromkeys(p for p, _ in parts))
        values["supplement_b.question"] = ", ".join(dict.fromkeys(q for _, q in parts if q))
        for w in page_widgets:
            entry = plan.fmap.entries[w.name]
            if entry.path == "supplement_b.text":
                w.obj.V = pikepdf.String("\n".join(sheet.lines))
                painter.add(
                    TextJob(w.obj, *w.size, sheet.lines, layout.DEFAULT_SIZE, paragraph=True)
                )
            elif entry.path in ("supplement_b.part", "supplement_b.question"):
                _put_box_label(painter, w, str(values[entry.path]))
            else:
                _fill_widget(plan, painter, w, entry, values)
    return len(pages)


def _put_box_label(painter: Painter, w: Widget, text: str) -> None:
    size = layout.fit_line(text, w.size[0])
    if size is None:
        text, size = "see below", layout.fit_line("see below", w.size[0]) or layout.MIN_SIZE
    w.obj.V = pikepdf.String(text)
    painter.add(TextJob(w.obj, *w.size, [text], size))


def _remove_unused(
    pdf: pikepdf.Pdf, ws: list[Widget], fmap: FieldMap, supp_a: int, supp_b: int
) -> None:
    """Unused supplement pages are left out of the output rather than filed blank."""
    for used, number in ((supp_b, fmap.supplement_b_page), (supp_a, fmap.supplement_a_page)):
        if used:
            continue
        page_ws = _page_widgets(ws, number)
        remove_page(pdf, _page_index(pdf, page_ws[0], number) if page_ws else number - 1)


def _page_index(pdf: pikepdf.Pdf, w: Widget, printed: int) -> int:
    """Where a widget's page is now (copies inserted before it shift it)."""
    target = w.obj.get("/P")
    if target is not None:
        for i, page in enumerate(pdf.pages):
            if page.obj.objgen == target.objgen:
                return i
    return printed - 1
