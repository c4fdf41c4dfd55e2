"""Names in the applicant's native alphabet: right glyphs, embedded subsets, extractable text."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from refugio.editions import get_edition
from refugio.fill import fill
from refugio.fill.fonts import COURIER, split_runs
from refugio.model import Application
from tests.conftest import TODAY, blank_path
from tests.pdfcheck import ink, pdftotext, render_gray

# Fictional names, one per script the issue lists.
NAMES = {
    "han-simplified": "岑立衡",
    "han-traditional": "鄭家輝",
    "arabic": "سليم الحداد",
    "persian-dari": "فرزانه رحیمی",
    "pashto": "ګلالۍ وږمه",
    "urdu": "عائشہ پرویز",
    "allah-ligature": "عبدالله نوری",
    "cyrillic": "Оксана Левченко",
    "amharic": "ተስፋዬ ገብረመድህን",
    "tigrinya": "ሃብተ ማርያም",
    "devanagari": "अर्जुन क्षत्रिय",
    "gurmukhi": "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ",
}
NATIVE_FIELD = "form1[0].#subform[10].TextField20[1]"  # Part D, "name in your native alphabet"


def _fill(tmp_path: Path, name: str) -> Path:
    app = Application.model_validate(
        {
            "applicant": {"last_name": "TESFAYE", "first_name": "Rahel"},
            "signature": {"native_alphabet_name": name},
        }
    )
    out = tmp_path / "native.pdf"
    fill(app, blank_path(get_edition("01/20/25")), out, today=TODAY)
    return out


@pytest.mark.parametrize("script", list(NAMES))
def test_it_draws_and_extracts_a_native_name(tmp_path: Path, script: str) -> None:
    name = NAMES[script]
    out = _fill(tmp_path, name)
    assert name in pdftotext(out, 9), script
    with pikepdf.open(out) as pdf:
        widget = next(a for a in pdf.pages[8].Annots if str(a.get("/T")) == "TextField20[1]")
        fonts = list(widget.AP.N.Resources.Font.values())
        embedded = [f for f in fonts if f.Subtype == pikepdf.Name.Type0]
        assert embedded, "the name is drawn with an embedded font"
        descriptor = embedded[0].DescendantFonts[0].FontDescriptor
        assert len(descriptor.FontFile2.read_bytes()) < 60_000  # a subset, not the whole font
        rect = tuple(float(v) for v in widget.Rect)
        height = float(pdf.pages[8].mediabox[3])
    assert ink(render_gray(out, 9, dpi=100), rect, height, dpi=100) > 30


def test_it_shapes_arabic_letters_into_joined_forms() -> None:
    """Joined letters use other glyphs than the isolated ones: shaping happened."""
    from refugio.fill.fonts import SubsetFont, load_fonts

    run = split_runs("سلم")[0]
    assert run.rtl and run.font != COURIER
    sub = SubsetFont.build(load_fonts()[run.font], ["سلم", "س ل م"])
    joined = [g for g, *_ in sub.glyphs("سلم", rtl=True)]
    isolated = [g for g, *_ in sub.glyphs("س ل م", rtl=True)][::2]
    assert set(joined).isdisjoint(isolated)


def test_it_lays_a_right_to_left_name_out_in_visual_order() -> None:
    runs = split_runs("سليم Salim")
    assert [r.text.strip() for r in runs] == ["Salim", "سليم"]


def test_it_keeps_english_answers_in_courier() -> None:
    assert [r.font for r in split_runs("Cárcamo Villeda")] == [COURIER]


def test_it_draws_a_korean_name(tmp_path: Path) -> None:
    name = "김서연"
    assert name in pdftotext(_fill(tmp_path, name), 9)


def test_it_refuses_a_character_no_font_can_draw_and_names_the_item(tmp_path: Path) -> None:
    """A missing glyph would leave a box that looks empty while its text extracts: refuse."""
    from refugio.errors import FontError

    with pytest.raises(FontError, match=r"Part D: cannot draw '😀' \(U\+1F600\)"):
        _fill(tmp_path, "Rahel 😀")
    assert not (tmp_path / "native.pdf").exists()


def test_it_draws_digits_after_a_script_whose_font_has_none() -> None:
    """Noto Sans Ethiopic has no ASCII digits: they must leave the Ethiopic run."""
    runs = split_runs("ሰላም 12")
    assert [r.text for r in runs] == ["ሰላም", " 12"] and runs[1].font == COURIER


def test_it_keeps_spaces_where_they_are_around_a_right_to_left_word() -> None:
    assert "".join(r.text for r in split_runs("Ali محمد Ali")) == "Ali محمد Ali"
