"""The field maps (src/refugio/editions/data/i589-*.json) against the real blanks and the model.

A map is right when every widget of its edition is accounted for (a model path, or a reason to
stay blank), every path names a leaf of ``refugio.model``, and the boxes sit where the form
prints their rows. The widgets are read here with pikepdf directly, not through the filler, so
these tests do not share the filler's mistakes. Positions are /Rect in PDF points, origin at the
bottom left: a larger y is higher on the page.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import types
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pikepdf
import pytest
from pydantic import BaseModel

from refugio import model
from refugio.editions import Edition, detect_edition
from tests.conftest import blank_path


@dataclass(frozen=True)
class Widget:
    name: str
    page: int  # 1-based, as in the maps
    ft: str  # "/Tx" or "/Btn"
    rect: tuple[float, float, float, float]

    @property
    def top(self) -> float:
        return self.rect[3]


@cache
def _read_blank(path: str) -> tuple[int, dict[str, Widget]]:
    """Page count and every widget by full qualified name (joined /T of the widget's parents)."""
    out: dict[str, Widget] = {}
    with pikepdf.open(path) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Widget":
                    continue
                parts: list[str] = []
                ft: str | None = None
                node: pikepdf.Object | None = annot
                while node is not None:
                    if "/T" in node:
                        parts.append(str(node.T))
                    if ft is None and "/FT" in node:
                        ft = str(node.FT)
                    node = node.get("/Parent")
                name = ".".join(reversed(parts))
                assert name not in out, f"two widgets named {name}"
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                out[name] = Widget(name, pno, str(ft), (x0, y0, x1, y1))
        return len(pdf.pages), out


@cache
def _raw_map(key: str) -> dict[str, Any]:
    res = resources.files("refugio.editions") / "data" / f"i589-{key}.json"
    return json.loads(res.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture
def blank(edition: Edition) -> tuple[int, dict[str, Widget]]:
    return _read_blank(str(blank_path(edition)))


@pytest.fixture
def fmap(edition: Edition) -> dict[str, Any]:
    return _raw_map(edition.key)


def _mapped(fmap: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in fmap["widgets"].items() if "blank" not in v}


# ---------------------------------------------------------------- path resolution against model

_SEGMENT = re.compile(r"^([a-z][a-z0-9_]*)(?:\[(\d+)\])?$")
# Values the filler computes rather than reads from the model (refugio.fill.values.flatten).
_DERIVED: dict[str, Any] = {
    "full_name": str,
    "not_married": bool,
    "has_children": bool,
    "total_children": str,
}
_SUPPLEMENT_HEADER: dict[str, Any] = {"a_number": str, "date": dt.date, "applicant_name": str}
_SUPPLEMENT_B: dict[str, Any] = {
    **_SUPPLEMENT_HEADER,
    "part": str,
    "question": str,
    "text": str,
}
# Supplement A holds two children per page: slot 0 (upper block) and slot 1 (lower block).
_SUPPLEMENT_A_SLOTS = 2


def _unwrap(ann: Any) -> Any:
    """``X | None`` → X and ``Annotated[X, …]`` → X (e.g. MonthYear → str)."""
    while True:
        origin = get_origin(ann)
        if origin is Annotated:
            ann = get_args(ann)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(ann) if a is not type(None)]
            if len(args) != 1:
                raise ValueError(f"ambiguous union {ann}")
            ann = args[0]
        else:
            return ann


def _walk(cls: type[BaseModel], segments: list[str], path: str) -> Any:
    ann: Any = None
    current: type[BaseModel] | None = cls
    for seg in segments:
        m = _SEGMENT.match(seg)
        if m is None:
            raise ValueError(f"{path}: malformed segment {seg!r}")
        name, index = m.groups()
        if current is None:
            raise ValueError(f"{path}: {seg!r} goes below a leaf")
        if name not in current.model_fields:
            raise ValueError(f"{path}: {current.__name__} has no field {name!r}")
        ann = _unwrap(current.model_fields[name].annotation)
        if index is not None:
            if get_origin(ann) is not list:
                raise ValueError(f"{path}: {name!r} is not a list")
            ann = _unwrap(get_args(ann)[0])
        current = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    if current is not None:
        raise ValueError(f"{path}: ends at the block {current.__name__}, not at a leaf")
    return ann


def leaf_type(path: str) -> Any:
    """The type of the value at ``path`` (convention of the field maps); ValueError if none."""
    root, *rest = path.split(".")
    if root == "derived" and len(rest) == 1 and rest[0] in _DERIVED:
        return _DERIVED[rest[0]]
    if root == "supplement_b" and len(rest) == 1 and rest[0] in _SUPPLEMENT_B:
        return _SUPPLEMENT_B[rest[0]]
    if root == "supplement_a":
        if len(rest) == 1 and rest[0] in _SUPPLEMENT_HEADER:
            return _SUPPLEMENT_HEADER[rest[0]]
        m = re.fullmatch(r"child\[(\d+)\]", rest[0]) if rest else None
        if m and int(m.group(1)) < _SUPPLEMENT_A_SLOTS:
            return _walk(model.Child, rest[1:], path)
        raise ValueError(f"{path}: not a Supplement A header field or child[0|1] leaf")
    if root in ("derived", "supplement_b"):
        raise ValueError(f"{path}: unknown {root} value")
    return _walk(model.Application, [root, *rest], path)


def _texty(ann: Any) -> bool:
    """A leaf a text box can show: strings, dates, choices written out, a list of names."""
    if ann in (str, dt.date) or get_origin(ann) is Literal:
        return True
    return get_origin(ann) is list and _unwrap(get_args(ann)[0]) is str


def test_it_resolves_the_path_convention_itself() -> None:
    """This test ensures that the resolver accepts the documented paths and refuses near misses."""
    assert leaf_type("applicant.residence.phone_area_code") is str
    assert leaf_type("applicant.entries[2].status_expires") is dt.date
    assert leaf_type("background.residences[4].end") is str
    assert leaf_type("background.father.deceased") is bool
    assert leaf_type("supplement_a.child[1].in_us") is bool
    assert get_origin(leaf_type("applicant.sex")) is Literal
    for bad in (
        "applicant.residence",
        "applicant.nope",
        "applicant.entries.date",
        "applicant[0].last_name",
        "supplement_a.child[2].sex",
        "derived.spouse",
        "supplement_b.child[0].sex",
        "spouse.last_name.x",
    ):
        with pytest.raises(ValueError):
            leaf_type(bad)


# ---------------------------------------------------------------------------------- the tests


def test_it_accounts_for_every_widget_of_the_edition(
    blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    _, widgets = blank
    unaccounted = sorted(set(widgets) - set(fmap["widgets"]))
    stale = sorted(set(fmap["widgets"]) - set(widgets))
    assert not unaccounted, f"widgets missing from the map: {unaccounted}"
    assert not stale, f"map keys that are no widget of this PDF: {stale}"


def test_it_describes_its_edition(
    edition: Edition, blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    pages, _ = blank
    assert set(fmap) == {
        "form",
        "edition",
        "source",
        "pages",
        "supplement_a_page",
        "supplement_b_page",
        "widgets",
    }
    assert fmap["form"] == "I-589"
    assert fmap["edition"] == edition.label
    assert edition.label in fmap["source"]
    assert fmap["pages"] == pages
    assert (fmap["supplement_a_page"], fmap["supplement_b_page"]) == (pages - 1, pages)
    with pikepdf.open(blank_path(edition)) as pdf:
        assert detect_edition(pdf).label == fmap["edition"]


def test_it_writes_every_entry_in_one_of_three_shapes(fmap: dict[str, Any]) -> None:
    item = re.compile(r"^(Page 1|Part [A-E](\.(I|II|III))?|Supplement [AB])\b")
    for name, entry in fmap["widgets"].items():
        if "blank" in entry:
            assert set(entry) == {"blank"}, name
            reason = entry["blank"]
            assert isinstance(reason, str) and reason.strip(), name
            # A draft from tools/fieldmap_draft.py marks what it could not match; review it.
            assert not reason.startswith("TODO:"), f"{name}: unreviewed draft entry"
        else:
            assert set(entry) in ({"path", "item"}, {"path", "on", "item"}), name
            assert item.match(entry["item"]), f"{name}: item {entry['item']!r}"


def test_it_names_only_leaves_of_the_model(fmap: dict[str, Any]) -> None:
    errors = []
    for name, entry in _mapped(fmap).items():
        try:
            ann = leaf_type(entry["path"])
        except ValueError as exc:
            errors.append(f"{name}: {exc}")
            continue
        if "on" not in entry:
            if not _texty(ann):
                errors.append(f"{name}: text box for non-text leaf {entry['path']} ({ann})")
        elif ann is bool:
            if not isinstance(entry["on"], bool):
                errors.append(f"{name}: {entry['path']} is yes/no, 'on' is {entry['on']!r}")
        elif get_origin(ann) is Literal:
            if entry["on"] not in get_args(ann):
                errors.append(f"{name}: {entry['on']!r} is no choice of {entry['path']}")
        else:
            errors.append(f"{name}: checkbox for {entry['path']}, which is neither bool nor choice")
    assert not errors, "\n".join(errors)


def test_it_puts_checkboxes_on_buttons_and_text_on_text_fields(
    blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    _, widgets = blank
    for name, entry in _mapped(fmap).items():
        expected = "/Btn" if "on" in entry else "/Tx"
        assert widgets[name].ft == expected, f"{name} is {widgets[name].ft}, map says {entry}"


def test_it_maps_each_value_to_one_widget(fmap: dict[str, Any]) -> None:
    """This test ensures that no text value is printed twice and no choice has two boxes."""
    seen: dict[tuple[str, Any], str] = {}
    for name, entry in _mapped(fmap).items():
        key = (entry["path"], json.dumps(entry.get("on")))
        assert key not in seen, f"{name} and {seen[key]} both map {key}"
        seen[key] = name


def test_it_offers_a_box_for_every_choice(fmap: dict[str, Any]) -> None:
    """This test ensures that each choice has its box: yes/no pairs, all sexes, all statuses.

    A lone box is allowed for a yes/no value that is only ever ticked ("Deceased", a ground of
    the claim, "I am not married"), never a lone "no" box.
    """
    ons: dict[str, set[Any]] = defaultdict(set)
    for entry in _mapped(fmap).values():
        if "on" in entry:
            ons[entry["path"]].add(entry["on"])
    for path, values in ons.items():
        ann = leaf_type(path)
        if ann is bool:
            assert values in ({True}, {True, False}), f"{path}: boxes for {values}"
        else:
            assert values == set(get_args(ann)), f"{path}: boxes for {values}"


def test_it_keeps_supplement_values_on_the_supplement_pages(
    blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    _, widgets = blank
    page_of = {"supplement_a": fmap["supplement_a_page"], "supplement_b": fmap["supplement_b_page"]}
    for name, entry in _mapped(fmap).items():
        root = entry["path"].split(".")[0]
        expected = page_of.get(root)
        if expected is not None:
            assert widgets[name].page == expected, f"{name}: {entry['path']} off its page"
        else:
            assert widgets[name].page not in page_of.values(), f"{name}: {entry['path']}"


def _index_groups(
    fmap: dict[str, Any], widgets: dict[str, Widget]
) -> dict[str, list[tuple[int, Widget]]]:
    """Widgets of list rows grouped by path with the first index starred: ``residences[*].city``."""
    groups: dict[str, list[tuple[int, Widget]]] = defaultdict(list)
    for name, entry in _mapped(fmap).items():
        m = re.search(r"\[(\d+)\]", entry["path"])
        if m:
            key = entry["path"][: m.start()] + "[*]" + entry["path"][m.end() :]
            groups[f"{key}={entry.get('on')}"].append((int(m.group(1)), widgets[name]))
    return groups


def test_it_orders_rows_down_the_page_as_the_index_grows(
    blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    """This test ensures that row i+1 comes after row i: on a later page, lower, or (side by side,
    as Part D's two assistants) to the right; and that the indices have no gaps."""
    _, widgets = blank
    groups = _index_groups(fmap, widgets)
    assert groups, "no list rows mapped"
    for key, rows in groups.items():
        rows.sort(key=lambda r: r[0])
        assert [i for i, _ in rows] == list(range(len(rows))), f"{key}: indices {rows}"
        for (i, a), (_, b) in itertools.pairwise(rows):
            same_line = abs(a.top - b.top) < 4
            later = b.page > a.page or (
                b.page == a.page and (b.top < a.top - 4 or (same_line and b.rect[0] > a.rect[2]))
            )
            assert later, f"{key}: row {i + 1} ({b.name}) is not after row {i} ({a.name})"


def test_it_has_the_rows_the_form_prints(fmap: dict[str, Any]) -> None:
    counts: dict[str, int] = defaultdict(int)
    for entry in _mapped(fmap).values():
        m = re.match(r"^(.*?)\[(\d+)\]", entry["path"])
        if m:
            counts[m.group(1)] = max(counts[m.group(1)], int(m.group(2)) + 1)
    assert dict(counts) == {
        "applicant.entries": 3,
        "children": 4,
        "background.last_addresses_before_us": 2,
        "background.residences": 5,
        "background.education": 4,
        "background.employment": 3,
        "background.siblings": 4,
        "signature.assistants": 2,
        "supplement_a.child": 2,
    }


def _at(fmap: dict[str, Any], widgets: dict[str, Widget], path: str, on: Any = None) -> Widget:
    entries = _mapped(fmap).items()
    found = [widgets[n] for n, e in entries if e["path"] == path and e.get("on") == on]
    assert len(found) == 1, f"{path} (on={on!r}): {found}"
    return found[0]


def test_it_places_the_family_and_the_date_columns(
    blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    _, w = blank
    mother = _at(fmap, w, "background.mother.full_name")
    father = _at(fmap, w, "background.father.full_name")
    sibling = _at(fmap, w, "background.siblings[0].full_name")
    assert mother.top > father.top > sibling.top
    assert _at(fmap, w, "background.father.deceased", True).top == pytest.approx(father.top, abs=4)
    for lst, n in (
        ("last_addresses_before_us", 2),
        ("residences", 5),
        ("education", 4),
        ("employment", 3),
    ):
        for i in range(n):
            start = _at(fmap, w, f"background.{lst}[{i}].start")
            end = _at(fmap, w, f"background.{lst}[{i}].end")
            assert start.rect[2] <= end.rect[0] and abs(start.top - end.top) < 4, (lst, i)


def test_it_places_each_child_block_where_the_form_prints_it(
    blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    """This test ensures that the "is this child in the U.S.?" boxes (whose tooltips say "Child 1"
    on every block of page 3) sit on their own child's block: between its name row and its
    place-of-last-entry row, yes left of no."""
    _, w = blank
    blocks = [f"children[{i}]" for i in range(4)] + [f"supplement_a.child[{i}]" for i in range(2)]
    for pre in blocks:
        name = _at(fmap, w, f"{pre}.last_name")
        entry = _at(fmap, w, f"{pre}.place_of_last_entry")
        yes, no = _at(fmap, w, f"{pre}.in_us", True), _at(fmap, w, f"{pre}.in_us", False)
        for box in (yes, no, _at(fmap, w, f"{pre}.location")):
            assert box.page == name.page and entry.top < box.top < name.top, (pre, box.name)
        assert yes.rect[2] < no.rect[0], pre
        male, female = _at(fmap, w, f"{pre}.sex", "male"), _at(fmap, w, f"{pre}.sex", "female")
        assert male.rect[2] < female.rect[0] and entry.top < male.top < name.top, pre


def test_it_ticks_the_immigration_court_box_printed_for_each_choice(
    blank: tuple[int, dict[str, Widget]], fmap: dict[str, Any]
) -> None:
    """Item 18 prints a. (never) on the first line, then b. (now) left and c. (past) right."""
    _, w = blank
    never, now, past = (
        _at(fmap, w, "applicant.immigration_court", v) for v in ("never", "now", "past")
    )
    assert never.top > now.top + 4 and abs(now.top - past.top) < 4 and now.rect[2] < past.rect[0]
