"""Specimen documents for the fictional examples (refugio.claim.specimen)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from refugio import uploads
from refugio.claim.model import DocumentKind, Dossier, Evidence, Translation, When
from refugio.claim.specimen import write_specimens
from refugio.uploads import Kind
from tests.pdfcheck import pdftotext, squeeze


def _dossier() -> Dossier:
    return Dossier(
        evidence=[
            Evidence(
                id="x1",
                title="Summons to the Public Security Bureau",
                file="evidence/x1.pdf",
                language="zh",
                date=When.parse("2016-03-01"),
                translation=Translation(file="evidence/x1-en.pdf", translator="Mei Aldana"),
            ),
            Evidence(id="x2", title="Photo of the shop", file="x2.png", kind=DocumentKind.PHOTO),
        ]
    )


def test_it_writes_every_file_the_dossier_names_and_each_says_it_is_fictional(
    tmp_path: Path,
) -> None:
    written = write_specimens(_dossier(), tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "evidence/x1-en.pdf",
        "evidence/x1.pdf",
        "x2.png",
    ]
    original = pdftotext(tmp_path / "evidence/x1.pdf")
    assert "FICTIONAL SPECIMEN" in original and "2016-03-01" in original
    assert "这是一份虚构的样本文件" in squeeze(original)
    assert "ENGLISH TRANSLATION" in pdftotext(tmp_path / "evidence/x1-en.pdf")
    assert Image.open(io.BytesIO((tmp_path / "x2.png").read_bytes())).size == (800, 600)


def test_it_makes_files_the_upload_checks_accept(tmp_path: Path) -> None:
    write_specimens(_dossier(), tmp_path)
    assert uploads.inspect((tmp_path / "evidence/x1.pdf").read_bytes(), "x1.pdf").kind == Kind.PDF
    assert uploads.inspect((tmp_path / "x2.png").read_bytes(), "x2.png").kind == Kind.PNG
