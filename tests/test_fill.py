"""Filling the real blanks with example (b) and reading the result back (issue 2, point 9)."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from refugio.editions import EDITIONS, Edition
from refugio.fill import FillReport, fill
from refugio.fill.filler import POINTERS
from refugio.fill.pdfdoc import widgets
from refugio.fill.values import flatten, format_value
from refugio.model import Application
from tests.conftest import TODAY, blank_path, load_example
from tests.pdfcheck import (
    checked_boxes,
    filled_text_fields,
    ink,
    pdftotext,
    qpdf_check,
    render_gray,
    squeeze,
)


@pytest.fixture(scope="module")
def business() -> Application:
    return load_example("b-dissident-businessman.json")


@pytest.fixture(scope="module")
def filled(
    tmp_path_factory: pytest.TempPathFactory, business: Application
) -> dict[str, tuple[Path, FillReport]]:
    """Example (b) filled once into each edition."""
    out = {}
    for label, edition in EDITIONS.items():
        path = tmp_path_factory.mktemp("fill") / f"b-{edition.key}.pdf"
        report = fill(business, blank_path(edition), path, today=TODAY)
        out[label] = (path, report)
    return out


def _out(filled: dict[str, tuple[Path, FillReport]], edition: Edition) -> Path:
    return filled[edition.label][0]


def test_it_puts_key_answers_into_the_fields_the_form_prints_them_in(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition, business: Application
) -> None:
    """Hand-picked fields by name, independent of the field maps."""
    fields = filled_text_fields(_out(filled, edition))
    a = business.applicant
    sub0 = "form1[0].#subform[0]."
    assert fields[sub0 + "PtAILine4_LastName[0]"].value == a.last_name
    assert fields[sub0 + "PtAILine5_FirstName[0]"].value == a.first_name
    if a.a_number:
        assert fields[sub0 + "PtAILine1_ANumber[0]"].value == format_value("a_number", a.a_number)
    assert a.date_of_birth is not None
    assert fields[sub0 + "DateTimeField1[0]"].value == a.date_of_birth.strftime("%m/%d/%Y")
    part_d = "form1[0].#subform[10]."
    assert fields[part_d + "TextField20[1]"].value == business.signature.native_alphabet_name
    assert fields[part_d + "TextField20[0]"].value == business.full_name


def test_it_puts_every_mapped_value_into_its_field_or_on_a_supplement(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition, business: Application
) -> None:
    path = _out(filled, edition)
    fields = filled_text_fields(path)
    flat = flatten(business)
    supplement_b = squeeze(pdftotext(path))
    checked = 0
    for name, entry in edition.field_map().entries.items():
        if entry.path is None or entry.is_checkbox or entry.path.startswith("supplement_"):
            continue
        expected = format_value(entry.path, flat.get(entry.path))
        if not expected:
            continue
        got = fields.get(name)
        if got is not None and got.value == expected:
            checked += 1
            continue
        # Not in its box: the box points to Supplement B (or the row was moved there whole,
        # its table full), and the value must be found in the document.
        assert got is None or got.value in POINTERS or got.value.endswith("]"), name
        assert squeeze(expected)[-40:] in supplement_b, f"{entry.path} = {expected!r} is lost"
    assert checked > 150


def test_it_ticks_checkboxes_with_their_own_on_state(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition, business: Application
) -> None:
    path = _out(filled, edition)
    ticked = checked_boxes(path)
    flat = flatten(business)
    with pikepdf.open(path) as pdf:
        for w in widgets(pdf):
            entry = edition.field_map().entries.get(w.name)
            if entry is None or not entry.is_checkbox or entry.path is None:
                continue
            if entry.path.startswith("background.siblings[3]"):
                continue  # example (b) has more siblings than rows: the row is on Supplement B
            if entry.path.startswith("supplement_a.child["):  # slot k holds child 5 + k
                slot = int(entry.path[len("supplement_a.child[")])
                entry = replace(entry, path=f"children[{4 + slot}]" + entry.path.split("]", 1)[1])
                assert entry.path is not None
            want = flat.get(entry.path) == entry.on and flat.get(entry.path) is not None
            assert (w.name in ticked) == want, f"{w.name} ({entry.path} == {entry.on!r})"
            if want:
                on = next(k for k in w.obj.AP.N if k != "/Off")
                assert pikepdf.Name(on) == w.obj.AS and pikepdf.Name(on) == w.obj.V
    assert "form1[0].#subform[0].CheckBox31[0]" in ticked  # the CAT box of example (b)


def test_it_draws_each_value_into_its_appearance_stream(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition
) -> None:
    for field in filled_text_fields(_out(filled, edition)).values():
        assert field.appearance, f"{field.name} has no appearance stream"
        shown = [_unescape(m) for m in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", field.appearance)]
        if not shown:  # a native-alphabet name: glyph ids in a shaped TJ
            assert b" Tf" in field.appearance and b"TJ" in field.appearance, field.name
            continue
        if field.name.endswith("USCISOnlineAcctNumber[0]"):  # a comb field: one Tj per cell
            assert "".join(shown) == field.value
            continue
        # The first line drawn is the start of the value (wrapped lines follow).
        assert squeeze(field.value).startswith(squeeze(shown[0])), (field.name, shown[0])


def _unescape(raw: bytes) -> str:
    return re.sub(rb"\\(.)", rb"\1", raw).decode("cp1252")


def test_it_shows_values_with_every_field_value_removed(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition, tmp_path: Path
) -> None:
    """pdf-filling.md pitfall 3: no /V, no NeedAppearances — the text must still be there."""
    stripped = tmp_path / "no-values.pdf"
    with pikepdf.open(_out(filled, edition)) as pdf:
        fields = {w.name: w for w in widgets(pdf)}
        for w in fields.values():
            if "/V" in w.obj:
                del w.obj["/V"]
        pdf.Root.AcroForm.NeedAppearances = False
        pdf.save(stripped)
    by_page: dict[int, str] = {}
    for field in filled_text_fields(_out(filled, edition)).values():
        page = field.page + 1
        if page not in by_page:
            by_page[page] = squeeze(pdftotext(stripped, page))
        assert squeeze(field.value.split("\n")[0]) in by_page[page], (field.name, page)


def test_it_leaves_ink_in_every_filled_box(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition
) -> None:
    path = _out(filled, edition)
    blank = blank_path(edition)
    fields = filled_text_fields(path)
    with pikepdf.open(path) as pdf:
        heights = [float(p.mediabox[3]) for p in pdf.pages]
    fmap = edition.field_map()
    for page in sorted({f.page for f in fields.values()}):
        image = render_gray(path, page + 1)
        on_page = [f for f in fields.values() if f.page == page]
        # The same page of the blank: for supplement copies, the supplement page itself.
        blank_page = min(page + 1, fmap.pages)
        if on_page[0].name.startswith("SupplementA"):
            blank_page = fmap.supplement_a_page
        elif on_page[0].name.startswith("SupplementB"):
            blank_page = fmap.supplement_b_page
        blank_image = render_gray(blank, blank_page)
        for field in on_page:
            filled_ink = ink(image, field.rect, heights[page])
            blank_ink = ink(blank_image, field.rect, heights[page])
            assert filled_ink > blank_ink, f"no ink in {field.name} on page {page + 1}"


def test_it_removes_xfa_and_usage_rights_and_passes_qpdf(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition
) -> None:
    path = _out(filled, edition)
    with pikepdf.open(path) as pdf:
        assert not pdf.is_encrypted
        assert "/XFA" not in pdf.Root.AcroForm
        assert "/Perms" not in pdf.Root
        assert pdf.Root.AcroForm.get("/NeedAppearances") in (None, False)
    assert "No syntax or stream encoding errors" in qpdf_check(path)


def test_it_adds_supplement_pages_with_the_applicant_on_each(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition, business: Application
) -> None:
    path, report = filled[edition.label]
    assert report.supplement_a_pages == math.ceil((len(business.children) - 4) / 2) == 1
    assert report.supplement_b_pages >= 3
    assert report.pages == 10 + report.supplement_a_pages + report.supplement_b_pages
    a_number = format_value("a_number", business.applicant.a_number) or "NONE"
    for page in range(11, report.pages + 1):
        text = pdftotext(path, page)
        assert "Supplement" in text
        assert business.name_as_in_part_a in text and a_number in text, f"page {page} header"
        signed = business.signature.date_signed or TODAY
        assert signed.strftime("%m/%d/%Y") in text, f"page {page}: no date"
    sixth = business.children[5]
    assert sixth.first_name in pdftotext(path, 11)
    last = pdftotext(path, report.pages)
    assert "(continued)" in last


def test_it_keeps_a_chinese_name_small_and_extractable(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition, business: Application
) -> None:
    path = _out(filled, edition)
    assert path.stat().st_size < 1.5 * 1024 * 1024
    assert business.signature.native_alphabet_name in pdftotext(path, 9)
    with pikepdf.open(path) as pdf:
        fonts = []
        for w in widgets(pdf):
            ap = w.obj.get("/AP")
            if ap is not None and isinstance(ap.N, pikepdf.Stream) and "/Resources" in ap.N:
                for font in ap.N.Resources.get("/Font", {}).values():
                    if font.Subtype == pikepdf.Name.Type0:
                        fonts.append(font)
        assert fonts
        for font in fonts:
            assert "+" in str(font.BaseFont)  # a subset tag
            assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor
            assert "/ToUnicode" in font


def test_it_respects_field_length_limits(
    filled: dict[str, tuple[Path, FillReport]], edition: Edition
) -> None:
    path = _out(filled, edition)
    with pikepdf.open(path) as pdf:
        for w in widgets(pdf):
            v = w.obj.get("/V")
            if isinstance(v, pikepdf.String) and w.max_len:
                assert len(str(v)) <= w.max_len, w.name
