"""Which edition a PDF is, read from the PDF itself (issue 2, point 3)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from refugio.editions import Edition, detect_edition, get_edition
from refugio.errors import EditionError
from refugio.fill import fill
from refugio.fill.pdfdoc import open_blank
from tests.conftest import TODAY, blank_path, forms_dir, load_example


def test_it_detects_each_edition_from_its_own_pdf(edition: Edition) -> None:
    with open_blank(blank_path(edition)) as pdf:
        assert detect_edition(pdf) == edition


def test_it_reads_the_edition_from_the_footer_when_there_is_no_barcode(
    edition: Edition, tmp_path: Path
) -> None:
    stripped = tmp_path / "no-barcode.pdf"
    with open_blank(blank_path(edition)) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if "/V" in annot and "I-589|" in str(annot.V):
                    del annot["/V"]
        pdf.save(stripped)
    with pikepdf.open(stripped) as pdf:
        assert detect_edition(pdf) == edition


def test_it_opens_the_encrypted_original_as_uscis_publishes_it() -> None:
    path = blank_path(get_edition("08/25/20"))
    with pikepdf.open(path) as raw:
        assert raw.is_encrypted
    with open_blank(path) as pdf:
        assert detect_edition(pdf).label == "08/25/20"


@pytest.mark.parametrize("name", ["i-765-ed-2025-01-20-blank.pdf", "i-730-ed-2025-01-20-blank.pdf"])
def test_it_refuses_another_form(name: str) -> None:
    path = forms_dir() / name
    if not path.exists():
        pytest.skip(f"{name} not available")
    with (
        open_blank(path) as pdf,
        pytest.raises(EditionError, match="not a known edition of Form I-589"),
    ):
        detect_edition(pdf)


def test_it_refuses_an_edition_it_has_no_map_for(tmp_path: Path) -> None:
    """A future edition is named, not filled with a map that does not fit it."""
    newer = tmp_path / "newer.pdf"
    with open_blank(blank_path(get_edition("01/20/25"))) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if "/V" in annot and "I-589|" in str(annot.V):
                    annot.V = pikepdf.String(str(annot.V).replace("01/20/25", "04/01/27"))
        pdf.save(newer)
    with pikepdf.open(newer) as pdf, pytest.raises(EditionError, match="04/01/27"):
        detect_edition(pdf)


def test_it_refuses_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    junk = tmp_path / "form.pdf"
    junk.write_text("not a pdf", encoding="utf-8")
    with pytest.raises(EditionError, match="not a readable PDF"):
        open_blank(junk)


def test_it_names_unknown_editions() -> None:
    with pytest.raises(EditionError, match="known: 01/20/25, 03/01/23, 08/25/20"):
        get_edition("12/31/99")


def _modified_blank(tmp_path: Path, drop: str) -> Path:
    """The 01/20/25 blank with some widgets removed (``drop`` in their name), or all of them."""
    out = tmp_path / "modified.pdf"
    with open_blank(blank_path(get_edition("01/20/25"))) as pdf:
        for page in pdf.pages:
            annots = page.obj.get("/Annots", [])
            page.obj.Annots = pikepdf.Array([a for a in annots if drop not in str(a.get("/T", ""))])
        if drop == "":
            del pdf.Root["/AcroForm"]
        pdf.save(out)
    return out


def test_it_refuses_a_blank_that_lacks_fields_of_its_edition(tmp_path: Path) -> None:
    """Answers mapped to missing boxes would be lost without a word: refuse the blank."""
    blank = _modified_blank(tmp_path, "LastName")
    app = load_example("a-single-applicant.json")
    with pytest.raises(EditionError, match=r"lacks \d+ of the form's fields"):
        fill(app, blank, tmp_path / "out.pdf", today=TODAY)
    assert not (tmp_path / "out.pdf").exists()


def test_it_refuses_a_flattened_form_clearly(tmp_path: Path) -> None:
    blank = _modified_blank(tmp_path, "")
    app = load_example("a-single-applicant.json")
    with pytest.raises(EditionError, match="has no form fields"):
        fill(app, blank, tmp_path / "out.pdf", today=TODAY)


def test_it_refuses_to_fill_over_an_already_filled_form(tmp_path: Path) -> None:
    """Answers left from another case would stay in the boxes the new case leaves empty."""
    app = load_example("a-single-applicant.json")
    first = tmp_path / "first.pdf"
    fill(app, blank_path(get_edition("01/20/25")), first, today=TODAY)
    with pytest.raises(EditionError, match=r"not blank \(\d+ field\(s\) already filled in\)"):
        fill(app, first, tmp_path / "second.pdf", today=TODAY)
    assert not (tmp_path / "second.pdf").exists()
