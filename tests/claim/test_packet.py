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
from pathlib import Path

import pikepdf
import pytest

from refugio.claim import packet as packet_module
from refugio.claim.members import member_named, members_of
from refugio.claim.model import Dossier, Event, Evidence, Translation, When
from refugio.claim.packet import (
    Need,
    Packet,
    Slot,
    build_packet,
    is_represented,
    page_header,
    rules,
)
from refugio.editions import EDITIONS
from refugio.errors import DossierError, PacketError
from refugio.fill.pdfdoc import Widget
from refugio.model import Application
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
    app: Application | None = None,
    **kw: object,
) -> Packet:
    blank = blank_path(EDITIONS["01/20/25"])
    app = app or load_example(example)
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
    passports = first(pages, "INSERT HERE", exhibit_a)
    relationship = first(pages, "Marriage certificate", exhibit_a)
    order = [
        photo, g28, supplement_a, supplement_b, declaration, index, exhibit_a, passports,
        relationship,
    ]  # fmt: skip
    assert order == sorted(order) and len(set(order)) == len(order)
    # The relationship documents come last (§X, behind the form, item 4), after the others,
    # and the sheets standing for those not given after them.
    tabs = [i for i, p in enumerate(pages) if "EXHIBIT " in p]
    assert tabs[-2] == relationship and "Birth certificate of Yutong" in pages[tabs[-1]]
    assert all("INSERT HERE" in p for p in pages[tabs[-1] + 2 :]) and pages[tabs[-1] + 2 :]


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
    exhibit_pages = [p for p in pages[first(pages, "EXHIBIT A") :] if "INSERT HERE" not in p]
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
    assert need("Cen, Yutong", "Birth certificate") == (3, "in the packet")
    assert need("Cen, Yuxuan", "Birth certificate") == (3, "to provide")
    assert need("Qiu, Wanling", "Proof that each prior marriage ended")[0] == 3
    assert not [i for i in items if i.person.startswith("Cen, Liheng") and "certificate" in i.what]
    assert all(i.source for i in items)
    steps = " ".join(s for s, _ in packet.checklist.steps)
    assert "signs Part D" in steps and "Exhibit C" in steps  # the statement: original + copy


def test_it_takes_every_rule_from_the_data_with_a_citation() -> None:
    r = rules()
    assert [s.key for s in r.original] == [
        "form", "g28", "supplements", "declaration", "exhibits", "documents", "relationship",
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
    copies = {n.key: n.copies for n in r.needs}
    assert copies["marriage"] == copies["prior-marriage"] == copies["birth"] == 3
    # Each document that is copied into the packages has a sheet to stand for it.
    assert all(n.at and n.insert for n in r.needs if n.key != "photo")


def test_it_writes_the_checklist_as_data_and_on_paper(
    packet: Packet, texts: dict[str, list[str]]
) -> None:
    data = json.loads(packet.files()["checklist.json"])
    assert data["fee"]["amount"] == 100 and data["fee"]["payee"] == "USCIS"
    assert any("not due at filing" in n for f in data["fee"]["later"] for n in f["notes"])
    assert len(data["items"]) == len(packet.checklist.items)
    paper = " ".join(" ".join(texts["checklist.pdf"]).split())
    notice = re.findall(r"\d+ FR \d+", packet.checklist.fee.source)[0]  # the fee's notice
    assert "$100 to USCIS" in paper and notice in paper and "Annual Asylum Fee" in paper
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
    assert not any("G-28" in c.what for p in alone.packages for c in p.parts)
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


# --- the reviewer's findings ----------------------------------------------------------------


def _one(x: Evidence) -> Dossier:
    return Dossier(evidence=[x])


def _letter(packet: Packet) -> str:
    return " ".join(_text(packet.cover_letter).decode().split())


def _words(pdf: bytes) -> str:
    return " ".join(_text(pdf).decode().split())


@pytest.mark.parametrize(
    ("last", "a_number", "label"),
    [("Nguyễn", "", "Nguyen — 000001"), ("岑", "A-241 735 908", "A241735908 — 000001")],
)
def test_it_stamps_a_plain_ascii_prefix_made_from_the_applicant(
    last: str, a_number: str, label: str
) -> None:
    """This test ensures the pages and the index carry the same label: the last name without
    its marks, or the A-Number when the name has no Latin letter."""
    app = load_example("b-dissident-businessman.json")
    app.applicant.last_name, app.applicant.a_number = last, a_number
    packet = build(app=app, claim=_one(_evidence("x3", "Passport", "passport.pdf")))
    original = _words(packet.packages[0].pdf)
    assert original.count(label) == 3  # the index twice (range, entry), the tab page once
    assert "?" not in original.split("INDEX OF EXHIBITS")[1]


def test_it_refuses_a_language_it_cannot_name_before_reading_any_file() -> None:
    read: list[str] = []

    def files(ref: str) -> bytes:
        read.append(ref)
        return FILES[ref]

    claim = dossier()
    claim.evidence[0].language = "xq"
    with pytest.raises(DossierError, match=r"^evidence x1 \(Detention notice\): the language 'xq'"):
        build(claim=claim, files=files)
    assert read == []


def test_it_orders_the_work_sign_the_originals_then_copy_them(
    packet: Packet, texts: dict[str, list[str]]
) -> None:
    """§X asks for a copy of the SIGNED I-589 in the duplicate and in each family package:
    every signature comes before the photocopying."""
    steps = [s for s, _ in packet.checklist.steps]

    def at(needle: str) -> int:
        return next(i for i, s in enumerate(steps) if needle in s)

    signing = [
        at("signs Part D of the original"),
        at("each Supplement A and Supplement B page"),
        at("The preparer signs Part E"),  # example (b) has a preparer
        at("signs and dates the declaration, every tab page"),
        at("translator's certificate of Exhibit A"),
    ]
    assert max(signing) < at("Then photocopy every signed page")
    sources = dict(packet.checklist.steps)
    assert "§X, behind the form, item 5" in sources[steps[at("photocopy")]]
    paper = " ".join(" ".join(texts["checklist.pdf"]).split())
    assert "Order of work before mailing" in paper and "[ ] 1. Sign the originals first" in paper
    assert "interpreter's certificate" not in " ".join(steps)  # the dossier names none


def test_it_prints_a_sheet_for_each_copy_it_was_not_given(
    texts: dict[str, list[str]],
) -> None:
    """§XI, item 4: a package without its copies is incomplete. Each copy Refugio was not
    given has an INSERT HERE sheet at its place; a copy it printed has none."""

    def sheets(name: str) -> list[str]:
        return [" ".join(p.split()) for p in texts[name] if "INSERT HERE" in p]

    original = sheets("1-original.pdf")
    assert original == sheets("2-duplicate.pdf")
    whole = " ".join(original)
    for name in ("Wanling Qiu", "Yutong Cen", "Yuxuan Cen", "Xinyue Cen"):
        assert f"one copy of every passport or travel document of {name}" in whole
        assert (
            f"one copy of Form I-94 and of any other U.S. immigration document of {name}" in whole
        )
    assert "passport or travel document of Liheng Cen" not in whole  # Exhibit B
    assert "birth certificate of Yuxuan Cen" in whole and "birth certificate of Xinyue" in whole
    assert "birth certificate of Yutong" not in whole and "marriage certificate" not in whole
    assert "prior marriage of Liheng Cen or of Wanling Qiu" in whole
    assert all("REMOVE THIS SHEET BEFORE FILING" in s for s in original)
    # The family member's own package holds the third copy (§V, Part A.II) and its sheet.
    assert [s for s in sheets("5-child-5.pdf") if "birth certificate of Yuxuan Cen" in s]
    assert sheets("4-child-4.pdf") == []
    assert len(sheets("3-spouse.pdf")) == 1 and "prior marriage" in sheets("3-spouse.pdf")[0]


def test_it_matches_a_relationship_document_by_first_name_or_other_name() -> None:
    """A birth certificate written for "Xinyue" and a marriage certificate for the spouse's
    other name ("Wendy Qiu", Part A.II) are the relationship documents of those members."""
    claim = Dossier(
        evidence=[
            _evidence("x2", "Marriage certificate", "marriage.jpg", kind="relationship",
                      person="Wendy Qiu"),
            _evidence("x4", "Birth certificate of Xinyue", "birth-4.png", kind="relationship",
                      person="Xinyue"),
        ]
    )  # fmt: skip
    packet = build(claim=claim)
    files = {p.filename: _words(p.pdf) for p in packet.packages}
    assert "Marriage certificate" in files["3-spouse.pdf"]
    assert "Birth certificate of Xinyue" in files["6-child-6.pdf"]
    assert "Birth certificate of Xinyue" not in files["5-child-5.pdf"]
    done = {(i.person, i.need): i.status for i in packet.checklist.items}
    assert done[("Cen, Xinyue (child 6)", "birth")] == "in the packet"
    assert done[("Qiu, Wanling (spouse)", "marriage")] == "in the packet"


@pytest.mark.parametrize("person", ["Cen Mingyu", "applicant", "Cen"])
def test_it_refuses_a_relationship_document_of_no_family_member_included(person: str) -> None:
    """Mingyu is a child not included in the application; "applicant" is no family member;
    "Cen" is everyone's last name. None of them may silently become a supporting exhibit."""
    x = _evidence("x9", "Birth certificate", "birth-4.png", kind="relationship", person=person)
    with pytest.raises(DossierError) as caught:
        build(claim=_one(x))
    said = str(caught.value)
    assert said.startswith(
        f"evidence x9 (Birth certificate): a relationship document for '{person}'"
    )
    assert "Qiu, Wanling (spouse)" in said  # who is included


def test_it_finds_whom_a_name_means() -> None:
    members = members_of(load_example("b-dissident-businessman.json"))

    def key(person: str) -> str | None:
        found = member_named(person, members)
        return found.key if found else None

    assert key("applicant") == "applicant"
    assert key("Qiu Wanling") == key("Wanling Qiu") == key("QIU, Wanling") == "spouse"
    assert key("Wendy Qiu") == key("Wanling") == "spouse"
    assert key("Cen, Yutong") == key("Yutong") == "child-4"
    assert key("Lawrence Cen") == "applicant"  # Part A.I, item 7
    assert key("Cen") is None and key("Mingyu") is None and key("Someone Else") is None


def test_it_lists_in_the_cover_letter_only_what_is_filed(packet: Packet) -> None:
    """The letter goes to USCIS: no placeholder sheet is listed or counted, the photograph is
    "stapled at Part D", and the representative's address (Part E) is the return address."""
    letter = _letter(packet)
    assert "placeholder" not in letter.lower() and "INSERT HERE" not in letter
    form = packet.packages[0].parts[0]
    assert form.placeholders == 1
    assert f"Form I-589, signed, with a photograph stapled at Part D: {form.pages} pages" in letter
    assert (
        "Helen M. Varga-Ostrander 455 Carrow Street, Suite 1210 San Francisco, CA 94104" in letter
    )
    assert "date of birth: August 19, 1974" in letter
    assert "copy of the signed Form I-589" in letter
    spouse = next(p for p in packet.packages if p.member == "spouse")
    assert all(p.enclosed == (p.pages > 0 or "G-28" in p.what) for p in spouse.parts)


@pytest.fixture(scope="module")
def court() -> Packet:
    return build("a-single-applicant.json")  # Part A.I, item 18: now in proceedings


def test_it_addresses_a_court_filing_to_the_court_and_says_what_it_leaves_undone(
    court: Packet, tmp_path: Path
) -> None:
    letter = _letter(court)
    assert "uscis.gov" not in letter and "Clerk of the Immigration Court" in letter
    # No preparer in Part E: the applicant's own address (Part A.I, item 8) is the return one.
    assert "Lidia Esperanza Carcamo Villeda 7419 Brantwood Hollow Drive, Apt. 12" in letter
    said = " ".join(s for s, _ in court.checklist.limits)
    assert "does not prepare the copy served on DHS" in said and "Nebraska Service Center" in said
    assert all("§XII, 'If you are in proceedings in Immigration Court'" in src
               for _, src in court.checklist.limits)  # fmt: skip
    assert court.checklist.as_dict()["limits"]
    paper = _words(court.checklist.pdf)
    assert "What this packet does not do" in paper and "yours to do" in paper
    assert "Part E" not in " ".join(s for s, _ in court.checklist.steps)  # no preparer


def test_it_refuses_a_field_map_that_does_not_place_part_d(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the page of Part D, the photograph's sheet would land before page 1."""
    fmap = EDITIONS["01/20/25"].field_map()
    real = packet_module.widgets

    def without_part_d(form: pikepdf.Pdf) -> list[Widget]:
        return [
            w
            for w in real(form)
            if w.name not in fmap.entries or fmap.entries[w.name].path != "signature.date_signed"
        ]

    monkeypatch.setattr(packet_module, "widgets", without_part_d)
    with pytest.raises(PacketError, match=r"no field 'signature\.date_signed'"):
        build()


def test_it_heads_every_page_it_writes_with_one_header(
    texts: dict[str, list[str]],
) -> None:
    """§X, NOTE: the name exactly as in Part A.I and the A-Number, the same on the index, the
    tab pages, the certificates, the sheets and the checklist (declaration.py uses it too)."""
    header = page_header(load_example("b-dissident-businessman.json"))
    assert header == "Cen, Liheng  ·  A-Number: none"
    pages = texts["1-original.pdf"]
    ours = ("INDEX OF EXHIBITS", "EXHIBIT ", "CERTIFICATE OF TRANSLATION", "REMOVE THIS SHEET")
    written = [p for p in pages if any(k in p for k in ours)]
    assert len(written) > 10
    for page in [*written, *texts["checklist.pdf"]]:
        assert " ".join(page.split()).startswith(" ".join(header.split())), page[:80]
