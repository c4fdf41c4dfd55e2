"""Plain pages (refugio.claim.typeset), read back with poppler and rendered."""

from __future__ import annotations

from pathlib import Path

from refugio.claim.typeset import LETTER, Pages
from tests.pdfcheck import ink, pdftotext, qpdf_check, render_gray, squeeze


def _save(doc: Pages, tmp_path: Path) -> Path:
    path = tmp_path / "out.pdf"
    doc.build().save(path)
    qpdf_check(path)
    return path


def test_it_puts_the_name_and_page_count_on_every_page(tmp_path: Path) -> None:
    doc = Pages(header="CEN, Liheng   A-Number: none")
    doc.heading("Declaration")
    for n in range(60):
        doc.text(f"Paragraph {n}: I lived in Wenzhou and ran a shoe factory there.")
    path = _save(doc, tmp_path)
    pages = len(doc.pages)
    assert pages >= 2
    for page in range(1, pages + 1):
        text = pdftotext(path, page)
        assert "CEN, Liheng" in text
        assert f"Page {page} of {pages}" in text
    # Nothing is dropped at a page break: every paragraph is somewhere, once.
    whole = pdftotext(path)
    assert all(whole.count(f"Paragraph {n}:") == 1 for n in range(60))


def test_it_prints_native_letters_that_extract_as_typed(tmp_path: Path) -> None:
    doc = Pages()
    doc.columns("我在温州经营一家鞋厂。", "I ran a shoe factory in Wenzhou.")
    path = _save(doc, tmp_path)
    text = squeeze(pdftotext(path))
    assert "我在温州经营一家鞋厂。" in text
    assert "IranashoefactoryinWenzhou." in text


def test_it_starts_a_right_to_left_paragraph_at_the_right_margin(tmp_path: Path) -> None:
    doc = Pages()
    doc.columns("زه په کابل کې ژورنالیست وم", "I was a journalist in Kabul")
    path = _save(doc, tmp_path)
    image = render_gray(path, 1)
    top = LETTER[1] - 54
    half = (LETTER[0] - 2 * 54 - 14) / 2
    # The Pashto column's ink sits against its right edge, not its left.
    left_part = ink(image, (54, top - 20, 54 + half / 3, top), LETTER[1])
    right_part = ink(image, (54 + 2 * half / 3, top - 20, 54 + half, top), LETTER[1])
    assert right_part > 0
    assert left_part == 0


def test_it_breaks_long_side_by_side_texts_across_pages_without_loss(tmp_path: Path) -> None:
    doc = Pages()
    left = "\n".join(f"第{n}行" for n in range(150))
    right = "\n".join(f"line {n}" for n in range(150))
    doc.columns(left, right)
    path = _save(doc, tmp_path)
    assert len(doc.pages) >= 2
    text = pdftotext(path)
    assert all(f"line {n}\n" in text for n in range(150))
    assert all(f"第{n}行" in squeeze(text) for n in range(150))
