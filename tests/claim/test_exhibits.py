"""Exhibits (refugio.claim.exhibits): tab pages, continuous page numbers, translations, index.

Fictional evidence is made here (pikepdf, Pillow) and read back with poppler.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import ExitStack
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from refugio.claim.exhibits import (
    Exhibits,
    Item,
    bates_label,
    bates_prefix,
    build_exhibits,
    exhibit_letter,
    index_pages,
)
from refugio.claim.model import Dossier, Event, Evidence, Translation, When
from refugio.claim.typeset import LETTER
from refugio.errors import DossierError, PacketError
from tests.pdfcheck import ink, pdftotext, qpdf_check, render_gray

HEADER = "CEN, Liheng  ·  A-Number: none"


# --- fictional evidence (also used by test_packet and test_cli_packet) ---------------------


def text_pdf(
    label: str,
    pages: int = 1,
    *,
    rotate: int = 0,
    messy: bool = False,
    inherited: bool = False,
    size: tuple[float, float] = LETTER,
) -> bytes:
    """A PDF whose pages say "<label> page <n>". ``messy``: the content ends with the graphics
    state changed (scaled, painting white). ``inherited``: /Resources, /MediaBox and
    /Rotate sit on the page tree, not on the pages."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Times_Roman
        )
    )
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for n in range(1, pages + 1):
        content = f"BT /F1 14 Tf 72 {size[1] - 100:.0f} Td ({label} page {n}) Tj ET"
        if messy:
            content += " 0.2 0 0 0.2 400 400 cm 1 1 1 rg 1 1 1 RG"
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, Contents=pikepdf.Stream(pdf, content.encode())
        )
        if not inherited:
            page.Resources = resources
            page.MediaBox = [0, 0, size[0], size[1]]
            if rotate:
                page.Rotate = rotate
        pdf.pages.append(pikepdf.Page(page))
    if inherited:
        pdf.Root.Pages.Resources = resources
        pdf.Root.Pages.MediaBox = [0, 0, size[0], size[1]]
        if rotate:
            pdf.Root.Pages.Rotate = rotate
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def image(fmt: str, size: tuple[int, int] = (640, 480), mode: str = "RGB") -> bytes:
    colour: object = (40, 90, 160, 255) if mode == "RGBA" else 90 if mode == "L" else (40, 90, 160)
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt)  # type: ignore[arg-type]
    return out.getvalue()


def evidence(id: str, title: str, **kw: object) -> Evidence:
    return Evidence.model_validate({"id": id, "title": title, "file": f"{id}.bin", **kw})


def page_texts(path: Path) -> list[str]:
    """The text of every page (poppler separates pages with a form feed)."""
    return pdftotext(path).split("\f")[:-1]


DOSSIER = Dossier(
    events=[
        Event(id="e1", when=When.parse("2016-03"), kinds=["detention"], place="Wenzhou, China"),
        Event(id="e2", when=When.parse("~2018"), kinds=["travel_ban"]),
        Event(
            id="e3",
            when=When.parse("2025-06-03"),
            until=When.parse("2025-06-20"),
            kinds=["detention", "beating"],
        ),
    ]
)


def _items() -> list[Item]:
    warrant = evidence(
        "x1",
        "Detention notice",
        description="Notice of administrative detention issued by a fictional bureau.",
        language="zh",
        events=["e1", "e3"],
        elements=["past_persecution", "nexus", "well_founded_fear"],
        issued_by="Fictional Public Security Bureau",
        date="2016-03-05",
        place="Wenzhou, China",
        translation=Translation(
            file="t1",
            translator="Ann Example",
            address="1 Main St, Town",
            date=dt.date(2026, 8, 12),
        ),
    )
    return [
        Item(warrant, text_pdf("notice", 3), text_pdf("translation", 2)),
        Item(
            evidence("x2", "Photograph of the factory", events=["e2"], date="~2014"),
            image("JPEG"),
        ),
        Item(evidence("x3", "Tall scan"), image("PNG", (300, 1200))),
        Item(evidence("x4", "Transparent PNG"), image("PNG", mode="RGBA")),
        Item(evidence("x5", "Grey JPEG"), image("JPEG", mode="L")),
        Item(evidence("x6", "Landscape letter"), text_pdf("rotated", 2, rotate=90)),
        Item(evidence("x7", "Messy content"), text_pdf("messy", messy=True)),
        Item(
            evidence("x8", "Inherited attributes"), text_pdf("inh", 2, rotate=270, inherited=True)
        ),
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Exhibits, Path, Path]:
    folder = tmp_path_factory.mktemp("exhibits")
    with ExitStack() as stack:
        exhibits = build_exhibits(_items(), header=HEADER, prefix="Cen", stack=stack, start=101)
        path = folder / "exhibits.pdf"
        exhibits.pdf.save(path)
        index = folder / "index.pdf"
        with index_pages(exhibits, DOSSIER, HEADER).build() as pdf:
            pdf.save(index)
    qpdf_check(path)
    return exhibits, path, index


# --- tests ---------------------------------------------------------------------------------


def test_it_letters_exhibits_as_spreadsheet_columns() -> None:
    assert [exhibit_letter(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_it_numbers_every_page_continuously(built: tuple[Exhibits, Path, Path]) -> None:
    exhibits, path, _ = built
    texts = page_texts(path)
    assert len(texts) == len(exhibits.pdf.pages) == exhibits.exhibits[-1].last - 100
    for k, text in enumerate(texts):
        assert bates_label("Cen", 101 + k) in text, f"page {k + 1}"
        assert text.count("Cen — ") == 1


def test_it_puts_a_tab_page_before_each_document(built: tuple[Exhibits, Path, Path]) -> None:
    exhibits, path, _ = built
    texts = page_texts(path)
    assert [e.letter for e in exhibits.exhibits] == list("ABCDEFGH")
    for e in exhibits.exhibits:
        tab = texts[e.first - 101]
        assert f"EXHIBIT {e.letter}" in tab
        assert e.evidence.title in tab
        assert "CEN, Liheng" in tab and "Signature of applicant" in tab and "Date" in tab
        assert e.document[0] == e.first + 1
    a = exhibits.exhibits[0]
    assert [f"notice page {n}" in texts[a.document[0] - 101 + n - 1] for n in (1, 2, 3)] == [
        True
    ] * 3


def test_it_adds_the_translation_and_the_translators_certificate(
    built: tuple[Exhibits, Path, Path],
) -> None:
    exhibits, path, _ = built
    texts = page_texts(path)
    a = exhibits.exhibits[0]
    assert a.translation == (a.document[1] + 1, a.document[1] + 2)
    assert "translation page 1" in texts[a.translation[0] - 101]
    assert a.certificate is not None
    cert = " ".join(texts[a.certificate[0] - 101].split())
    assert "CERTIFICATE OF TRANSLATION" in cert
    assert (
        "I, Ann Example, certify that I am competent to translate from Chinese into English" in cert
    )
    assert "complete and accurate" in cert and "8 CFR 103.2(b)(3)" in cert
    assert "Address: 1 Main St, Town" in cert and "Signature of translator" in cert
    assert all(e.certificate is None for e in exhibits.exhibits[1:])


def test_it_turns_each_image_into_one_letter_page(built: tuple[Exhibits, Path, Path]) -> None:
    exhibits, path, _ = built
    with pikepdf.open(path) as pdf:
        for e in exhibits.exhibits[1:5]:
            assert e.document[0] == e.document[1]
            page = pdf.pages[e.document[0] - 101]
            assert [float(v) for v in page.mediabox] == [0, 0, *LETTER]
    # The tall scan fills the height inside the margins; the page is otherwise white.
    tall = exhibits.exhibits[2].document[0] - 100
    picture = render_gray(path, tall)
    assert ink(picture, (250, 100, 360, 700), LETTER[1]) > 0
    assert ink(picture, (60, 100, 200, 700), LETTER[1]) == 0


@pytest.mark.parametrize("letter", ["F", "G", "H"])
def test_it_stamps_at_the_bottom_right_of_the_page_as_shown(
    built: tuple[Exhibits, Path, Path], letter: str
) -> None:
    """This test ensures a rotated page, one whose content leaves the graphics state scaled
    and painting white, and one inheriting its attributes all show the number, upright, in
    the bottom right corner."""
    exhibits, path, _ = built
    e = next(x for x in exhibits.exhibits if x.letter == letter)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[e.document[0] - 101]
        rotated = int(page.obj.get("/Rotate", pdf.Root.Pages.get("/Rotate", 0))) % 180 != 0
    width, height = (LETTER[1], LETTER[0]) if rotated else LETTER
    picture = render_gray(path, e.document[0] - 100, dpi=72)
    assert (picture[0], picture[1]) == (round(width), round(height))
    corner = ink(picture, (width - 120, 10, width - 20, 30), height, dpi=72)
    elsewhere = ink(picture, (20, 10, 120, 30), height, dpi=72)
    assert corner > 20 and elsewhere == 0
    text = pdftotext(path, e.document[0] - 100)
    assert bates_label("Cen", e.document[0]) in text


def test_it_indexes_page_ranges_events_and_elements(built: tuple[Exhibits, Path, Path]) -> None:
    exhibits, path, index = built
    text = " ".join(pdftotext(index).split())
    texts = page_texts(path)
    assert "INDEX OF EXHIBITS" in text and "CEN, Liheng" in text
    for e in exhibits.exhibits:
        first, last = bates_label("Cen", e.first), f"{e.last:06d}"
        assert f"Exhibit {e.letter}. {e.evidence.title}" in text
        assert f"Pages {first}–{last}" in text
        # The range is where the pages are: the tab page first, the next tab page after last.
        assert f"EXHIBIT {e.letter}" in texts[e.first - 101]
        if e.last - 100 < len(texts):
            assert "EXHIBIT" in texts[e.last - 100]
    assert "Notice of administrative detention" in text
    a = exhibits.exhibits[0]
    assert a.translation is not None
    first, last = bates_label("Cen", a.translation[0]), f"{a.translation[1]:06d}"
    assert f"English translation {first}–{last}" in text


def test_it_indexes_in_words_what_each_exhibit_is_and_supports(
    built: tuple[Exhibits, Path, Path],
) -> None:
    """This test ensures the index, which goes to the officer, says who issued each document,
    when (as precisely as the dossier knows it) and where, and which events and elements of
    the claim it supports in words — never the dossier's ids ("e1") or enum values."""
    _, _, index = built
    text = " ".join(pdftotext(index).split())
    assert (
        "Issued by Fictional Public Security Bureau in Wenzhou, China, dated March 5, 2016." in text
    )
    assert "Dated around 2014." in text
    assert (
        "Supports the account of the detention of March 2016 (Wenzhou, China) and the "
        "detention and beating from June 3, 2025 to June 20, 2025." in text
    )
    assert "Supports the account of the travel ban of around 2018." in text
    assert (
        "Corroborates past persecution, the reason for the harm (nexus) and a well-founded "
        "fear of future persecution." in text
    )
    assert "Original in Chinese, with its English translation." in text
    for internal in ("e1", "e2", "x1", "Supports:", "nexus,", "well founded", "_"):
        assert internal not in text.replace("________", ""), internal


def test_it_refuses_a_foreign_document_without_a_translation() -> None:
    item = Item(evidence("x9", "Summons", language="ru"), text_pdf("summons"))
    with ExitStack() as stack, pytest.raises(PacketError) as caught:
        build_exhibits([item], header=HEADER, prefix="Cen", stack=stack)
    assert "evidence x9 (Summons)" in str(caught.value)
    assert "Russian" in str(caught.value) and "Part 1 §VI" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"%PDF-1.7\nthis is not a pdf", "the PDF cannot be read"),
        (b"GIF89a", "not a PDF, JPEG or PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "the image cannot be read"),
    ],
)
def test_it_names_the_evidence_whose_file_cannot_be_read(data: bytes, says: str) -> None:
    items = [Item(evidence("x1", "Good"), text_pdf("good")), Item(evidence("x2", "Bad"), data)]
    with ExitStack() as stack, pytest.raises(PacketError, match=f"evidence x2: {says}"):
        build_exhibits(items, header=HEADER, prefix="Cen", stack=stack)


def test_it_reports_progress_per_exhibit() -> None:
    seen: list[tuple[str, int, int]] = []
    items = [Item(evidence(f"x{n}", f"Doc {n}"), text_pdf(f"d{n}")) for n in range(3)]
    with ExitStack() as stack:
        build_exhibits(
            items,
            header=HEADER,
            prefix="Cen",
            stack=stack,
            progress=lambda *step: seen.append(step),
        )
    assert seen == [("exhibits", 1, 3), ("exhibits", 2, 3), ("exhibits", 3, 3)]


# --- the page-number prefix, the languages, the dates --------------------------------------


def test_it_stamps_and_indexes_one_plain_ascii_label_for_an_accented_name(
    tmp_path: Path,
) -> None:
    """This test ensures the stamp (drawn with a standard font that has no "ễ") and the index
    cite the same label: "Nguyen — 000001", never "Nguy?n" on the page and "Nguyễn" in the
    index."""
    items = [Item(evidence("x1", "Letter"), text_pdf("letter", 2))]
    with ExitStack() as stack:
        exhibits = build_exhibits(items, header=HEADER, prefix="Nguyễn", stack=stack)
        exhibits.pdf.save(tmp_path / "exhibits.pdf")
        with index_pages(exhibits, Dossier(), HEADER).build() as pdf:
            pdf.save(tmp_path / "index.pdf")
    pages = page_texts(tmp_path / "exhibits.pdf")
    assert [("Nguyen — 00000" + str(n)) in p for n, p in enumerate(pages, 1)] == [True] * 3
    assert not any("?" in p for p in pages)
    index = " ".join(pdftotext(tmp_path / "index.pdf").split())
    assert "from Nguyen — 000001 to Nguyen — 000003" in index
    assert "Pages Nguyen — 000001–000003" in index


@pytest.mark.parametrize(
    ("names", "prefix"),
    [
        (("Nguyễn",), "Nguyen"),
        (("Đặng Thị",), "Dang Thi"),
        (("Øster-Łukasz",), "Oster-Lukasz"),
        (("O'Brien",), "O'Brien"),
        (("岑", "A241735908"), "A241735908"),
        (("Ахмедов",), "Exhibit"),
        (("", ""), "Exhibit"),
    ],
)
def test_it_makes_the_prefix_plain_ascii_or_falls_back(names: tuple[str, ...], prefix: str) -> None:
    assert bates_prefix(*names) == prefix


def _certificate_text(tmp_path: Path, x: Evidence, **kw: object) -> str:
    item = Item(x, text_pdf("document"), text_pdf("translation"))
    with ExitStack() as stack:
        exhibits = build_exhibits([item], header=HEADER, prefix="Cen", stack=stack, **kw)  # type: ignore[arg-type]
        exhibits.pdf.save(tmp_path / "exhibit.pdf")
    return " ".join(page_texts(tmp_path / "exhibit.pdf")[-1].split())


def test_it_names_thai_in_the_translators_certificate(tmp_path: Path) -> None:
    """Example (b)'s letter from Bangkok: the certificate said "from the language 'th'"."""
    translation = Translation(file="t", translator="Kanya Example", date=dt.date(2026, 8, 14))
    letter = evidence("x10", "Letter from Bangkok", language="th", translation=translation)
    cert = _certificate_text(tmp_path, letter)
    assert "competent to translate from Thai into English" in cert
    assert "Date: August 14, 2026" in cert  # a date in words, as a letter writes it


def test_it_names_a_language_the_dossier_gives(tmp_path: Path) -> None:
    translation = Translation(file="t", translator="Ann Example")
    x = evidence("x1", "Affidavit", language="mfe", translation=translation)
    cert = _certificate_text(tmp_path, x, languages={"mfe": "Mauritian Creole"})
    assert "from Mauritian Creole into English" in cert


def test_it_refuses_a_language_it_cannot_name() -> None:
    """This test ensures an unknown tag is an error naming the evidence, never printed on a
    certificate ("translate from the language 'xq'")."""
    translation = Translation(file="t", translator="Ann Example")
    item = Item(
        evidence("x7", "Summons", language="xq", translation=translation),
        text_pdf("summons"),
        text_pdf("translation"),
    )
    with ExitStack() as stack, pytest.raises(DossierError) as caught:
        build_exhibits([item], header=HEADER, prefix="Cen", stack=stack)
    assert str(caught.value).startswith("evidence x7 (Summons): the language 'xq' is not one")
