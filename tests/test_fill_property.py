"""Property: arbitrary valid cases never crash the filler and never lose a value (issue 2, 9)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings

from refugio.editions import get_edition
from refugio.errors import FontError
from refugio.fill import fill
from refugio.fill.fonts import split_runs
from refugio.fill.values import flatten, format_value
from refugio.model import Application
from tests.conftest import TODAY, blank_path
from tests.pdfcheck import checked_boxes, filled_text_fields, pdftotext
from tests.pdfcheck import squeeze as squeeze_spaces
from tests.strategies import applications


def squeeze(text: str) -> str:
    # pdftotext joins a word hyphenated at a line end ("hyph-" + "en" → "hyphen"), so hyphens
    # are left out of both sides of the comparison along with white space.
    return squeeze_spaces(text).replace("-", "")


def _in_output(text: str, pages: list[str], continued: str) -> bool:
    """``text`` is on a page whole, or on Supplement B whole, or its start is in a box and the
    rest on Supplement B. ``continued`` is the text of the Supplement B boxes, page after page,
    so a line cut by the end of a page does not split it."""
    if text in continued or any(text in page for page in pages):
        return True
    for page in pages:
        lo, hi = 0, len(text)
        while lo < hi:  # the longest prefix of text found on this page
            mid = (lo + hi + 1) // 2
            if text[:mid] in page:
                lo = mid
            else:
                hi = mid - 1
        if lo and text[lo:] in continued:
            return True
    return False


def _continued(out: Path) -> str:
    """The Supplement B text boxes (the original page and its copies), in page order."""
    box = next(
        name.rsplit(".", 1)[-1]
        for name, e in get_edition("01/20/25").field_map().entries.items()
        if e.path == "supplement_b.text"
    )
    boxes = [f for f in filled_text_fields(out).values() if f.name.endswith("." + box)]
    return squeeze("".join(f.value for f in sorted(boxes, key=lambda f: f.page)))


def _drawable(app: Application) -> bool:
    """Characters no installed font covers are refused with a clear error (tested in
    test_native_alphabets.py), not drawn: such cases are outside this property."""
    try:
        for value in flatten(app).values():
            if isinstance(value, str):
                for line in value.split("\n"):
                    split_runs(line)
    except FontError:
        return False
    return True


def _box(boxes: dict[tuple[str | None, object], str], path: str, value: object) -> str | None:
    """The checkbox that shows ``value`` at ``path``; children 5+ are on Supplement A copies."""
    if path.startswith("children["):
        k, rest = int(path[9 : path.index("]")]), path.split("].", 1)[1]
        if k >= 4:
            page, slot = divmod(k - 4, 2)
            name = boxes.get((f"supplement_a.child[{slot}].{rest}", value))
            if name is None or page == 0:
                return name
            return f"SupplementA-{page + 1}." + name.rsplit(".", 1)[1]
    return boxes.get((path, value))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(app=applications())
def test_it_never_crashes_and_never_drops_a_value(app: Application) -> None:
    assume(_drawable(app))
    blank = blank_path(get_edition("01/20/25"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.pdf"
        report = fill(app, blank, out, today=TODAY)
        pages = [squeeze(pdftotext(out, p)) for p in range(1, report.pages + 1)]
        continued = _continued(out)
        doc = "".join(pages)
        ticked = checked_boxes(out)
    fmap = get_edition("01/20/25").field_map()
    boxes = {(e.path, e.on): name for name, e in fmap.entries.items() if e.is_checkbox}
    for path, value in flatten(app).items():
        if value is False and (path, False) in boxes and not path.startswith("children["):
            assert boxes[(path, False)] in ticked, f"{path} = False: its No box is not ticked"
            continue
        if path.startswith("derived.") or value in (None, "", False):
            continue
        if isinstance(value, bool) or (isinstance(value, str) and path.endswith(".sex")):
            name = _box(boxes, path, value)
            if name in ticked:
                continue
            # A choice whose row went to a supplement is written out there.
            leaf = path.rsplit(".", 1)[-1].replace("_", " ")
            assert (
                squeeze(f"{leaf}: {format_value(path, value)}") in doc or report.supplement_a_pages
            )
            continue
        text = squeeze(format_value(path, value))
        if isinstance(value, dt.date):
            assert text in doc, path
        else:
            assert _in_output(text, pages, continued), f"{path} = {value!r} is not in the PDF"
