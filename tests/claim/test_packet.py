"""The filing packet (refugio.claim.packet): packages in the order of the instructions (Part 1
§X), placeholders, the checklist and the fee, read back from the PDFs with poppler."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import zipfile
from collections.abc import Callable

import pikepdf
import pytest

from refugio.claim.model import Dossier, Event, Evidence, Translation, When
from refugio.claim.packet import Need, Packet, Slot, build_packet, is_represented, rules
from refugio.editions import EDITIONS
from refugio.errors import DossierError, PacketError
from tests.claim.test_exhibits import image, page_texts, text_pdf
from tests.conftest import blank_path, load_example
from tests.pdfcheck import qpdf_check

TODAY = dt.date(2026, 11, 26)

FILES = {
    "notice.pdf": text_pdf("notice", 2),
    "notice-en.pdf": text_pdf("notice translation"),
    "passport.pdf": text_pdf("passport", 4),
    "statement.pdf": text_pdf("witness statement"),
    "marriage.jpg": image("JPEG"),
    "birth-4.png": image("PNG", (500, 700)),
}


def _evidence(id: str, title: str, file: str, **kw: object) -> Evidence:
    return Evidence.model_validate({"id": id, "title": title, "file": file, **kw})


def dossier() -> Dossier:
    """Fictional evidence for example (b): Cen Liheng, his wife Qiu Wanling and children."""
    return Dossier(
        events=[Event(id="e1", when=When.parse("2016-03-05"), kinds=["detention"])],
        evidence=[
            _evidence(
                "x1",
                "Detention notice",
                "notice.pdf",
                language="zh",
                events=["e1"],
                translation=Translation(file="notice-en.pdf", translator="Ann Example"),
            ),
            _evidence("x2", "Marriage certificate", "marriage.jpg", kind="relationship",
                      person="Qiu Wanling"),
            _evidence("x3", "Passport of the applicant", "passport.pdf", kind="passport"),
            _evidence("x4", "Birth certificate of Yutong", "birth-4.png", kind="relationship",
                      person="Cen, Yutong"),
            _evidence("x5", "Statement of a neighbour", "statement.pdf", kind="statement"),
        ],
    )  # fmt: skip


def build(
    example: str = "b-dissident-businessman.json",
    claim: Dossier | None = None,
    files: Callable[[str], bytes] = FILES.__getitem__,
    today: dt.date = TODAY,
    **kw: object,
) -> Packet:
    blank = blank_path(EDITIONS["01/20/25"])
    app = load_example(example)
    return build_packet(app, claim or Dossier(), files, blank, today, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def packet() -> Packet:
    return build(claim=dossier(), declaration=text_pdf("declaration", 2))


@pytest.fixture(scope="module")
def texts(packet: Packet, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("packet")
    out = {}
    for name, data in packet.files().items():
        (folder / name).write_bytes(data)
        if name.endswith(".pdf"):
            qpdf_check(folder / name)
            out[name] = page_texts(folder / name)
    return out


def first(pages: list[str], needle: str, start: int = 0) -> int:
    return next(i for i in range(start, len(pages)) if needle in pages[i])


def test_it_makes_the_original_its_duplicate_and_one_package_per_family_member(
    packet: Packet,
) -> None:
    """§X: "your original package, plus one duplicate for you, plus one package for your
    spouse and one package for each child" — the spouse and children 4-6 are included."""
    names = [p.filename for p in packet.packages]
    assert names == [
        "1-original.pdf", "2-duplicate.pdf", "3-spouse.pdf",
        "4-child-4.pdf", "5-child-5.pdf", "6-child-6.pdf",
    ]  # fmt: skip
    app = load_example("b-dissident-businessman.json")
    included = [c for c in app.children if c.include_in_application]
    assert len(packet.packages) == 2 + 1 + len(included)


def test_it_orders_the_original_package_as_the_instructions_say(
    texts: dict[str, list[str]],
) -> None:
    pages = texts["1-original.pdf"]
    assert "Withholding of Removal" in pages[0] and "Cen" in pages[0]
    photo = first(pages, "PHOTOGRAPH")
    assert "Part D. Your Signature" in pages[photo + 1]
    assert "Cen, Liheng (applicant)" in pages[photo]
    g28 = first(pages, "FORM G-28")
    supplement_a = first(pages, "Withholding of Removal Supplement A")
    supplement_b = first(pages, "Withholding of Removal Supplement B")
    declaration = first(pages, "declaration page 1")
    index = first(pages, "INDEX OF EXHIBITS")
    exhibit_a = first(pages, "EXHIBIT A")
    relationship = first(pages, "Marriage certificate", exhibit_a)
    order = [photo, g28, supplement_a, supplement_b, declaration, index, exhibit_a, relationship]
    assert order == sorted(order) and len(set(order)) == len(order)
    # The relationship documents come last (§X, behind the form, item 4), after the others.
    assert [p for p in pages if "EXHIBIT " in p][-2:] == [pages[relationship], pages[-2]]
    assert "Birth certificate of Yutong" in pages[-2]


def test_it_copies_everything_but_the_photograph_into_the_duplicate(
    packet: Packet, texts: dict[str, list[str]]
) -> None:
    original, duplicate = texts["1-original.pdf"], list(texts["2-duplicate.pdf"])
    photo = first(original, "PHOTOGRAPH")
    assert not any("PHOTOGRAPH" in p for p in duplicate)
    kept = original[:photo] + original[photo + 1 :]
    g28 = first(kept, "FORM G-28")
    assert "A COPY OF FORM G-28" in duplicate[g28]  # the copy's placeholder says so
    del kept[g28], duplicate[g28]
    assert [" ".join(p.split()) for p in kept] == [" ".join(p.split()) for p in duplicate]


def test_it_numbers_the_exhibit_pages_continuously(
    packet: Packet, texts: dict[str, list[str]]
) -> None:
    pages = texts["1-original.pdf"]
    exhibit_pages = pages[first(pages, "EXHIBIT A") :]
    numbers = [int(m) for p in exhibit_pages for m in re.findall(r"Cen — (\d{6})", p)]
    assert (
        numbers
        == list(range(1, packet.exhibits[-1].last + 1))
        == list(range(1, len(exhibit_pages) + 1))
    )
    assert [e.letter for e in packet.exhibits] == list("ABCDE")
    # Ordered as given, with the relationship documents of the family moved behind.
    assert [e.evidence.id for e in packet.exhibits] == ["x1", "x3", "x5", "x2", "x4"]


def test_it_puts_the_photo_slot_at_part_a_ii_in_a_family_package(
    texts: dict[str, list[str]],
) -> None:
    pages = texts["3-spouse.pdf"]
    photo = first(pages, "PHOTOGRAPH")
    sheet = " ".join(pages[photo].split())
    assert "Qiu, Wanling (spouse)" in sheet and "upper right corner" in sheet
    assert "Part A.II. Information About Your Spouse and Children" in pages[photo + 1]
    assert photo == 1
    whole = " ".join(pages)
    # §X: the form and its supplementary sheets, then a copy of the G-28; then the third
    # copy of this member's relationship document (§V) and nobody else's; no other exhibit.
    assert first(pages, "Supplement B") < first(pages, "declaration page 1")
    assert first(pages, "declaration page 1") < first(pages, "A COPY OF FORM G-28")
    assert "Marriage certificate" in whole and "Birth certificate of Yutong" not in whole
    assert "INDEX OF EXHIBITS" not in whole and "Detention notice" not in whole
    child = " ".join(texts["4-child-4.pdf"])
    assert "Birth certificate of Yutong" in child and "Marriage certificate" not in child
    assert "Cen, Yutong (child 4)" in child
    assert "EXHIBIT" not in " ".join(texts["5-child-5.pdf"])


def test_it_prints_the_form_values_on_the_pages_of_every_package(packet: Packet) -> None:
    """This test ensures the filled form is flattened: the values are page content, so every
    copy prints them in any viewer, and no copy carries form fields."""
    for p in packet.packages:
        with pikepdf.open(io.BytesIO(p.pdf)) as pdf:
            assert "/AcroForm" not in pdf.Root
            widgets = [
                a
                for page in pdf.pages
                for a in page.obj.get("/Annots", [])
                if a.get("/Subtype") == pikepdf.Name.Widget
            ]
            assert widgets == []


def test_it_lists_what_cannot_be_printed_with_the_copies_each_needs(packet: Packet) -> None:
    items = packet.checklist.items

    def need(person: str, what: str) -> tuple[int, str]:
        found = [i for i in items if i.person.startswith(person) and i.what.startswith(what)]
        assert len(found) == 1, (person, what)
        return found[0].copies, found[0].status

    people = ["Cen, Liheng", "Qiu, Wanling", "Cen, Yutong", "Cen, Yuxuan", "Cen, Xinyue"]
    for person in people:
        assert need(person, "Passport-style photograph") == (1, "to provide")
        assert need(person, "Copies of every passport")[0] == 2
    assert need("Cen, Liheng", "Copies of every passport") == (2, "in the packet")
    assert need("Qiu, Wanling", "Copies of every passport") == (2, "to provide")
    assert need("Qiu, Wanling", "Marriage certificate") == (3, "in the packet")
    assert need("Cen, Yutong", "Marriage certificate") == (3, "in the packet")
    assert need("Cen, Yuxuan", "Marriage certificate") == (3, "to provide")
    assert need("Qiu, Wanling", "Proof that each prior marriage ended")[0] == 3
    assert not [i for i in items if i.person.startswith("Cen, Liheng") and "certificate" in i.what]
    assert all(i.source for i in items)
    steps = " ".join(s for s, _ in packet.checklist.steps)
    assert "Sign Part D" in steps and "Exhibit C" in steps  # the statement: original + copy


def test_it_takes_every_rule_from_the_data_with_a_citation() -> None:
    r = rules()
    assert [s.key for s in r.original] == [
        "form", "g28", "supplements", "declaration", "exhibits", "relationship",
    ]  # fmt: skip
    assert [s.key for s in r.duplicate] == [s.key for s in r.original]
    assert [s.key for s in r.family] == [
        "form",
        "supplements",
        "declaration",
        "g28",
        "relationship",
    ]
    assert r.original[0].photo == "part_d" and r.duplicate[0].photo is None
    assert r.family[0].photo == "part_a_ii"
    every: list[Slot | Need] = [*r.original, *r.duplicate, *r.family, *r.needs]
    assert all("instructions (04/09/19), Part 1 §" in x.source for x in every)
    assert {n.key: n.copies for n in r.needs}["relationship"] == 3


def test_it_writes_the_checklist_as_data_and_on_paper(
    packet: Packet, texts: dict[str, list[str]]
) -> None:
    data = json.loads(packet.files()["checklist.json"])
    assert data["fee"]["amount"] == 100 and data["fee"]["payee"] == "USCIS"
    assert any("not due at filing" in n for f in data["fee"]["later"] for n in f["notes"])
    assert len(data["items"]) == len(packet.checklist.items)
    paper = " ".join(" ".join(texts["checklist.pdf"]).split())
    assert "$100 to USCIS" in paper and "90 FR 34511" in paper and "Annual Asylum Fee" in paper
    assert "1-original.pdf: Original package" in paper


def test_it_writes_a_cover_letter_listing_the_packages_and_the_fee(
    texts: dict[str, list[str]],
) -> None:
    letter = " ".join(" ".join(texts["cover-letter.pdf"]).split())
    assert "Re: Form I-589, Application for Asylum and for Withholding of Removal" in letter
    assert "November 26, 2026" in letter and "in 6 packages" in letter
    assert "Qiu, Wanling (spouse)" in letter and "Fee: $100, paid to USCIS" in letter
    assert "Helen M. Varga-Ostrander" in letter  # the representative signs


def test_it_zips_every_file(packet: Packet) -> None:
    with zipfile.ZipFile(io.BytesIO(packet.zip)) as archive:
        assert archive.namelist() == list(packet.files())
        assert archive.read("1-original.pdf") == packet.packages[0].pdf


def test_it_charges_no_fee_the_day_before_hr1_and_100_dollars_on_it() -> None:
    before = build(today=dt.date(2025, 7, 21))
    after = build(today=dt.date(2025, 7, 22))
    assert before.checklist.fee.amount == 0 and after.checklist.fee.amount == 100
    assert b"Fee: none" in _text(before.cover_letter)
    assert b"Fee: $100, paid to USCIS" in _text(after.cover_letter)


def test_it_sends_a_court_filing_fee_to_eoir() -> None:
    packet = build("a-single-applicant.json")  # Part A.I, item 18: now in proceedings
    assert packet.checklist.fee.payee == "EOIR"
    steps = " ".join(s for s, _ in packet.checklist.steps)
    assert "Nebraska Service Center" in steps
    assert b"Immigration Court" in _text(packet.cover_letter)
    assert [p.filename for p in packet.packages] == ["1-original.pdf", "2-duplicate.pdf"]


def test_it_leaves_out_the_g28_when_not_represented_and_uses_one_given() -> None:
    app = load_example("b-dissident-businessman.json")
    assert is_represented(app) and not is_represented(app, False)
    alone = build(represented=False)
    assert not any("G-28" in c for p in alone.packages for c in p.contents)
    given = build(g28=text_pdf("signed g28"))
    original = _text(given.packages[0].pdf)
    assert b"signed g28 page 1" in original and b"FORM G-28" not in original
    assert b"signed g28 page 1" in _text(given.packages[2].pdf)


def test_it_reports_progress_by_stage(packet: Packet) -> None:
    seen: list[tuple[str, int, int]] = []
    build(claim=dossier(), progress=lambda *step: seen.append(step))
    stages = list(dict.fromkeys(s for s, _, _ in seen))
    assert stages == ["files", "form", "exhibits", "packages", "checklist", "zip"]
    assert ("packages", 6, 6) in seen and ("exhibits", 5, 5) in seen


def test_it_names_the_evidence_whose_file_is_refused() -> None:
    def files(ref: str) -> bytes:
        if ref == "passport.pdf":
            raise PacketError("This PDF is password-protected")
        return FILES[ref]

    with pytest.raises(PacketError, match=r"evidence x3 \(passport.pdf\): .*password-protected"):
        build(claim=dossier(), files=files)


def test_it_refuses_a_dossier_with_a_broken_link() -> None:
    broken = dossier()
    broken.evidence[0].events = ["e9"]
    with pytest.raises(DossierError, match="evidence x1: event e9 does not exist"):
        build(claim=broken)


def _text(pdf: bytes) -> bytes:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
