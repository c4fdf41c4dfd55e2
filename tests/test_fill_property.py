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
from tests.pdfcheck import checked_boxes, pdftotext
from tests.pdfcheck import squeeze as squeeze_spaces
from tests.strategies import applications


def squeeze(text: str) -> str:
    # pdftotext joins a word hyphenated at a line end ("hyph-" + "en" → "hyphen"), so hyphens
    # are left out of both sides of the comparison along with white space.
    return squeeze_spaces(text).replace("-", "")


def _found_in_pieces(text: str, pages: list[str]) -> bool:
    """``text`` is on one page whole, or in consecutive pieces, each on one page (a box, then
    Supplement B pages). Pieces are matched page by page so that a phrase the narrative repeats
    cannot make a piece run past the point where the box stopped."""
    while text:
        longest = 0
        for page in pages:
            lo, hi = longest, len(text)
            if text[: lo + 1] not in page:
                continue
            while lo < hi:  # the longest prefix of text found on this page
                mid = (lo + hi + 1) // 2
                if text[:mid] in page:
                    lo = mid
                else:
                    hi = mid - 1
            longest = lo
        if longest < min(len(text), 12):
            return False
        text = text[longest:]
    return True


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
            assert _found_in_pieces(text, pages), f"{path} = {value!r} is not in the filled PDF"
