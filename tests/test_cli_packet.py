"""`refugio packet`: the packet written whole, the fee printed, a refused file named."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner, Result

from refugio.cli import main
from refugio.editions import EDITIONS
from tests.claim.test_exhibits import image, text_pdf
from tests.conftest import EXAMPLES, blank_path

CASE = EXAMPLES / "b-dissident-businessman.json"


def _dossier(folder: Path, evidence: list[dict[str, object]]) -> Path:
    scans = folder / "claim" / "scans"
    scans.mkdir(parents=True)
    (scans / "notice.pdf").write_bytes(text_pdf("notice", 2))
    (scans / "notice-en.pdf").write_bytes(text_pdf("notice translation"))
    (scans / "marriage.jpg").write_bytes(image("JPEG"))
    path = folder / "claim" / "dossier.json"
    path.write_text(json.dumps({"evidence": evidence}), encoding="utf-8")
    return path


GOOD = [
    {
        "id": "x1",
        "title": "Detention notice",
        "file": "scans/notice.pdf",
        "language": "zh",
        "translation": {"file": "scans/notice-en.pdf", "translator": "Ann Example"},
    },
    {
        "id": "x2",
        "title": "Marriage certificate",
        "file": "scans/marriage.jpg",
        "kind": "relationship",
        "person": "Qiu Wanling",
    },
]


def _run(dossier: Path, out: Path, *extra: str) -> Result:
    blank = blank_path(EDITIONS["01/20/25"])
    args = ["packet", str(CASE), str(dossier), "--out", str(out), "--form", str(blank), *extra]
    return CliRunner().invoke(main, args)


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_it_writes_every_package_the_checklist_and_a_zip(tmp_path: Path) -> None:
    out = tmp_path / "packet"
    result = _run(_dossier(tmp_path, GOOD), out, "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "cover-letter.pdf", "1-original.pdf", "2-duplicate.pdf", "3-spouse.pdf",
            "4-child-4.pdf", "5-child-5.pdf", "6-child-6.pdf", "checklist.pdf",
            "checklist.json", "packet.zip",
        ]
    )  # fmt: skip
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name  # 8 CFR 208.6
    with zipfile.ZipFile(out / "packet.zip") as archive:
        assert sorted(archive.namelist()) == sorted(n for n in names if n != "packet.zip")
        assert archive.read("1-original.pdf") == (out / "1-original.pdf").read_bytes()
    assert "1-original.pdf — Original package" in result.output
    assert "Fee: $100 to USCIS for Form I-589" in result.output
    assert "Exhibits A–B" in result.output
    original = _text(out / "1-original.pdf")
    assert "EXHIBIT A" in original and "notice translation page 1" in original
    assert "FORM G-28" in original  # represented (Part E has a bar number): placeholder


def test_it_charges_no_fee_before_2025_07_22_and_leaves_out_the_g28(tmp_path: Path) -> None:
    out = tmp_path / "packet"
    result = _run(_dossier(tmp_path, GOOD), out, "--date", "2025-07-21", "--not-represented")
    assert result.exit_code == 0, result.output
    assert "Fee: No fee for Form I-589" in result.output
    assert "FORM G-28" not in _text(out / "1-original.pdf")  # no G-28 slot at all


def _locked_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (_locked_pdf(), "This PDF is password-protected"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (21 * 1024 * 1024), "This file is too big"),
        (b"just text", "This file is not a PDF, a JPEG or a PNG image"),
        (None, "cannot read the file (No such file or directory)"),
    ],
    ids=["encrypted", "oversized", "not-a-document", "missing"],
)
def test_it_names_the_refused_file_and_writes_nothing(
    tmp_path: Path, content: bytes | None, says: str
) -> None:
    dossier = _dossier(tmp_path, [*GOOD, {"id": "x3", "title": "Bad", "file": "scans/bad.pdf"}])
    if content is not None:
        (dossier.parent / "scans" / "bad.pdf").write_bytes(content)
    out = tmp_path / "packet"
    result = _run(dossier, out)
    assert result.exit_code == 1
    assert result.output.startswith(f"refugio: evidence x3 (scans/bad.pdf): {says}")
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_it_names_a_dossier_that_does_not_match_the_model(tmp_path: Path) -> None:
    dossier = _dossier(tmp_path, [{"id": "x1", "title": "No file"}])
    result = _run(dossier, tmp_path / "packet")
    assert result.exit_code == 1
    assert f"{dossier}: evidence.0.file: Field required" in result.output
    assert not (tmp_path / "packet").exists()


def test_it_files_the_dossiers_declaration_behind_the_supplements(tmp_path: Path) -> None:
    dossier = _dossier(tmp_path, GOOD)
    claim = json.loads(dossier.read_text(encoding="utf-8"))
    claim["declaration"] = [
        {"section": "background", "english": "I ran a fictional shoe factory in Wenzhou."}
    ]
    # Example (b) is not fluent in English: the declaration carries an interpreter's certificate.
    claim["interpreter"] = {
        "name": "Ann Example",
        "address": "1 Main St, Town",
        "phone": "555-0100",
        "language": "Mandarin",
    }
    dossier.write_text(json.dumps(claim), encoding="utf-8")
    out = tmp_path / "packet"
    result = _run(dossier, out, "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    pages = _text(out / "1-original.pdf").split("\f")
    words = [" ".join(p.split()) for p in pages]
    told = next(i for i, p in enumerate(words) if "fictional shoe factory in Wenzhou" in p)
    last_supplement = max(i for i, p in enumerate(words) if "Supplement B" in p[:120])
    assert last_supplement < told < next(i for i, p in enumerate(words) if "INDEX OF EXHIBITS" in p)


def test_it_names_the_evidence_whose_language_it_cannot_name_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """A certificate "from the language 'xq'" certifies nothing: the CLI refuses, naming it."""
    unknown = [{**GOOD[0], "language": "xq"}, GOOD[1]]
    out = tmp_path / "packet"
    result = _run(_dossier(tmp_path, unknown), out)
    assert result.exit_code == 1
    assert result.output.startswith(
        "refugio: evidence x1 (Detention notice): the language 'xq' is not one Refugio knows"
    )
    assert not out.exists()


def test_it_names_a_relationship_document_of_no_one_included(tmp_path: Path) -> None:
    stranger = [GOOD[0], {**GOOD[1], "person": "Cen Mingyu"}]  # a son not included
    out = tmp_path / "packet"
    result = _run(_dossier(tmp_path, stranger), out)
    assert result.exit_code == 1
    assert "evidence x2 (Marriage certificate): a relationship document for 'Cen Mingyu'" in (
        result.output
    )
    assert not out.exists()


# --- refugio consistency ------------------------------------------------------------------------

EXAMPLE_DOSSIER = EXAMPLES / "dossiers" / "b-dissident-businessman.json"


def test_it_says_the_consistent_example_has_no_conflict() -> None:
    result = CliRunner().invoke(main, ["consistency", str(CASE), str(EXAMPLE_DOSSIER)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No conflict found")


def test_it_lists_a_seeded_conflict_with_both_sources_and_exits_1(tmp_path: Path) -> None:
    dossier = json.loads(EXAMPLE_DOSSIER.read_text(encoding="utf-8"))
    detention = next(e for e in dossier["events"] if "detention" in e["kinds"])
    first = detention["when"]
    # The timeline now says the detention began a month later than the declaration tells.
    detention["when"] = {**first, "month": first["month"] % 12 + 1}
    if detention.get("until"):
        detention["until"] = {**detention["until"], "year": detention["until"]["year"] + 1}
    seeded = tmp_path / "dossier.json"
    seeded.write_text(json.dumps(dossier), encoding="utf-8")
    result = CliRunner().invoke(main, ["consistency", str(CASE), str(seeded)])
    assert result.exit_code == 1, result.output
    assert f"timeline event {detention['id']}" in result.output
    assert "declaration paragraph" in result.output
    assert result.output.rstrip().endswith("conflict(s).")


def test_it_names_a_broken_dossier_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "dossier.json"
    broken.write_text('{"events": [{"id": "e1", "when": {"year": 2020}, "evidence": ["x9"]}]}')
    result = CliRunner().invoke(main, ["consistency", str(CASE), str(broken)])
    assert result.exit_code == 1
    assert "event e1: evidence x9 does not exist" in result.output
