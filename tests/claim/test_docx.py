"""The .docx writer (refugio.claim.docx): a package a word processor opens, read back part by
part with the standard library, and with LibreOffice where it is installed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from refugio.claim.docx import Document, escape
from tests.pdfcheck import pdftotext, squeeze

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PKG = "{http://schemas.openxmlformats.org/package/2006/"


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own output, never untrusted input


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        return {name: package.read(name) for name in package.namelist()}


def texts(xml: bytes) -> str:
    """The text of a part as a reader sees it: runs joined, one line per paragraph."""
    root = parse(xml)
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


def sample() -> Document:
    doc = Document(header="Fictiva Ramos, Rosa Inés   A-Number: 201555019", lang="ps")
    doc.heading("Declaration of Rosa Inés Fictiva Ramos", size=14, centre=True)
    doc.heading("What happened to me")
    doc.columns("Pashto", "English")
    doc.columns("1. They threatened me.", "1. They threatened me.")
    doc.columns("2. زه ژورنالیست وم", "2. I was a journalist.")
    doc.text("Fees & costs <none>")
    doc.rule("Signature of declarant")
    return doc


def test_it_writes_a_package_whose_every_part_parses_and_is_declared() -> None:
    parts = unzip(sample().build())
    for data in parts.values():
        parse(data)  # every part is well-formed XML
    types = parse(parts["[Content_Types].xml"])
    declared = {o.get("PartName") for o in types.iter(f"{PKG}content-types}}Override")}
    defaults = {d.get("Extension") for d in types.iter(f"{PKG}content-types}}Default")}
    for name in parts:
        assert f"/{name}" in declared or name.rsplit(".", 1)[-1] in defaults, name
    assert "/word/document.xml" in declared
    # Every relationship points at a part that exists.
    for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")):
        for rel in parse(parts[rels]).iter(f"{PKG}relationships}}Relationship"):
            assert base + str(rel.get("Target")) in parts, rel.get("Target")


def test_it_puts_the_header_on_every_page_and_a_page_field_in_the_footer() -> None:
    doc = sample()
    doc.footer = "Page {PAGE} of {NUMPAGES}"
    parts = unzip(doc.build())
    assert "Fictiva Ramos, Rosa Inés   A-Number: 201555019" in texts(parts["word/header1.xml"])
    footer = parse(parts["word/footer1.xml"])
    fields = [t.text.strip() for t in footer.iter(f"{W}instrText") if t.text]
    assert fields == ["PAGE", "NUMPAGES"]
    body = parse(parts["word/document.xml"]).find(f"{W}body")
    assert body is not None
    section = body[-1]  # the section properties close the body and name the header and footer
    assert section.tag == f"{W}sectPr"
    assert [c.tag for c in section][:2] == [f"{W}headerReference", f"{W}footerReference"]


def test_it_lays_bilingual_rows_in_one_two_column_table() -> None:
    root = parse(unzip(sample().build())["word/document.xml"])
    tables = list(root.iter(f"{W}tbl"))
    assert len(tables) == 1
    assert len(list(tables[0].iter(f"{W}gridCol"))) == 2
    rows = list(tables[0].iter(f"{W}tr"))
    assert len(rows) == 3
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeats on every page
    assert rows[1].find(f"{W}trPr") is None
    cells = [texts(ET.tostring(c)) for c in rows[1].iter(f"{W}tc")]
    assert cells == ["1. They threatened me.", "1. They threatened me."]


def test_it_marks_right_to_left_paragraphs_and_the_languages() -> None:
    root = parse(unzip(sample().build())["word/document.xml"])
    pashto = next(p for p in root.iter(f"{W}p") if "ژورنالیست" in texts(ET.tostring(p)))
    assert pashto.find(f"{W}pPr/{W}bidi") is not None
    assert pashto.find(f"{W}r/{W}rPr/{W}rtl") is not None
    lang = pashto.find(f"{W}r/{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}val") == "ps"  # the left column's language
    english = next(p for p in root.iter(f"{W}p") if texts(ET.tostring(p)) == "English")
    assert english.find(f"{W}pPr/{W}bidi") is None


def test_it_escapes_markup_and_drops_characters_xml_forbids() -> None:
    doc = Document()
    doc.text('A & B <b>"quoted"</b>\x0c\x00 end')
    xml = unzip(doc.build())["word/document.xml"]
    assert texts(xml) == 'A & B <b>"quoted"</b> end'
    assert escape("a\x1bb<") == "ab&lt;"


def test_it_keeps_line_breaks_and_tabs_as_typed() -> None:
    doc = Document()
    doc.text("Name: Mei\nAddress:\t1 Example St")
    root = parse(unzip(doc.build())["word/document.xml"])
    run = next(root.iter(f"{W}r"))
    assert [c.tag for c in run] == [f"{W}t", f"{W}br", f"{W}t", f"{W}tab", f"{W}t"]


def test_it_gives_the_same_bytes_for_the_same_document() -> None:
    assert sample().build() == sample().build()


def test_it_opens_in_libreoffice_where_installed(tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        # CI installs it (Makefile DEB_PACKAGES) and must not skip: .ci/run sets the variable.
        assert not os.environ.get("REFUGIO_REQUIRE_OFFICE"), "LibreOffice is required here"
        pytest.skip("LibreOffice is not installed; the parts are checked above")
    source = tmp_path / "declaration.docx"
    source.write_bytes(sample().build())
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = squeeze(pdftotext(tmp_path / "declaration.pdf"))
    assert "Theythreatenedme." in text
    assert "201555019" in text
