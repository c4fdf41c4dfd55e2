"""The `refugio` command: clear messages, non-zero exits, nothing half-written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from refugio.cli import main
from tests.conftest import EXAMPLES, ROOT, forms_dir


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refugio", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_it_fills_an_example_into_the_default_edition(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    proc = run("fill", str(EXAMPLES / "a-single-applicant.json"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "edition 01/20/25" in proc.stdout
    assert out.read_bytes().startswith(b"%PDF")


def test_it_names_the_bad_answer_and_writes_nothing(tmp_path: Path) -> None:
    case = json.loads((EXAMPLES / "a-single-applicant.json").read_text(encoding="utf-8"))
    case["applicant"]["date_of_birth"] = "1990-02-31"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(case), encoding="utf-8")
    out = tmp_path / "out.pdf"
    proc = run("fill", str(bad), "-o", str(out))
    assert proc.returncode == 1
    assert "applicant.date_of_birth" in proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_it_refuses_a_pdf_that_is_not_an_i589(tmp_path: Path) -> None:
    other = forms_dir() / "i-765-ed-2025-01-20-blank.pdf"
    if not other.exists():
        pytest.skip("I-765 blank not available")
    out = tmp_path / "out.pdf"
    proc = run(
        "fill", str(EXAMPLES / "a-single-applicant.json"), "-o", str(out), "--form", str(other)
    )
    assert proc.returncode == 1
    assert "not a known edition of Form I-589" in proc.stderr
    assert not out.exists()


def test_it_reports_a_missing_blank_clearly(tmp_path: Path) -> None:
    proc = run(
        "fill",
        str(EXAMPLES / "a-single-applicant.json"),
        "-o",
        str(tmp_path / "o.pdf"),
        "--form",
        str(tmp_path / "nope.pdf"),
    )
    assert proc.returncode == 1
    assert "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_it_keeps_the_old_output_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while saving leaves the previous file untouched and no temporary file behind."""
    import pikepdf

    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous")

    def broken_save(self: pikepdf.Pdf, *args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pikepdf.Pdf, "save", broken_save)
    result = CliRunner().invoke(
        main, ["fill", str(EXAMPLES / "a-single-applicant.json"), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "cannot write the PDF (disk full)" in result.output
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_it_prints_a_schema_whose_leaves_cite_their_form_items() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    applicant = schema["$defs"]["Applicant"]["properties"]
    assert applicant["date_of_birth"]["description"].startswith("Part A.I, item 12:")
    residence = applicant["residence"]["properties"]["street"]["description"]
    assert residence == "Part A.I, item 8: street number and name"
    past_harm = schema["$defs"]["Claim"]["properties"]["past_harm"]["properties"]["answer"]
    assert past_harm["description"] == "Part B, item 1.A: yes (true) or no (false)"
    uncited = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, spec in node.get("properties", {}).items():
                leaf = "properties" not in spec and "$ref" not in json.dumps(spec)
                cited = re.match(r"^(Part|Page 1|Supplement)", spec.get("description", ""))
                if leaf and not cited:
                    uncited.append(f"{where}.{name}")
                walk(spec, f"{where}.{name}")
            for key in ("anyOf", "items"):
                for sub in node.get(key, []) if key == "anyOf" else [node.get(key)]:
                    walk(sub, where)

    walk(schema, "")
    for name, definition in schema["$defs"].items():
        walk(definition, name)
    assert uncited == []


def test_it_lists_the_editions_it_can_fill() -> None:
    result = CliRunner().invoke(main, ["editions"])
    assert result.exit_code == 0
    assert "01/20/25" in result.output and "08/25/20" in result.output


def test_it_has_help_on_every_command() -> None:
    for command in main.commands.values():
        assert command.help, command.name
        result = CliRunner().invoke(main, [command.name or "", "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_it_checks_a_case_and_exits_non_zero_on_errors(tmp_path: Path) -> None:
    case = json.loads((EXAMPLES / "a-single-applicant.json").read_text(encoding="utf-8"))
    case["applicant"]["date_of_birth"] = "2030-01-01"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(case), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad), "--as-of", "2026-11-26"])
    assert result.exit_code == 1
    assert "error: Part A.I, item 12: date of birth is in the future" in result.output


def test_it_passes_a_clean_example_and_prints_the_deadline() -> None:
    case = EXAMPLES / "b-dissident-businessman.json"
    result = CliRunner().invoke(main, ["check", str(case), "--as-of", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert "one-year filing deadline: 2027-03-10" in result.output
    assert "0 error(s)" in result.output


def test_it_refuses_a_blank_of_another_edition_than_asked(tmp_path: Path) -> None:
    blank = forms_dir() / "i-589-ed-2023-03-01-blank.pdf"
    if not blank.exists():
        pytest.skip("03/01/23 blank not available")
    out = tmp_path / "o.pdf"
    result = CliRunner().invoke(
        main,
        [
            "fill",
            str(EXAMPLES / "a-single-applicant.json"),
            "-o",
            str(out),
            "--form",
            str(blank),
            "--edition",
            "01/20/25",
        ],
    )
    assert result.exit_code == 1
    assert "is edition 03/01/23 of Form I-589, not 01/20/25" in result.output
    assert not out.exists()


def test_it_says_when_a_filled_case_is_not_ready_to_file(tmp_path: Path) -> None:
    case = json.loads((EXAMPLES / "a-single-applicant.json").read_text(encoding="utf-8"))
    case["applicant"]["sex"] = None
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(case), encoding="utf-8")
    proc = run("fill", str(draft), "-o", str(tmp_path / "o.pdf"))
    assert proc.returncode == 0
    assert "Not ready to file: 1 error(s) found" in proc.stderr


def test_it_says_when_a_case_file_is_not_json(tmp_path: Path) -> None:
    bad = tmp_path / "case.json"
    bad.write_text('{"applicant": ', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: not valid JSON (Invalid JSON: EOF" in result.output


def test_it_documents_every_command_in_the_readme() -> None:
    """A command the README does not mention is a command a newcomer never finds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"`refugio {name}" in readme, f"README does not document `refugio {name}`"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in readme, f"README does not mention {opt} of `refugio {name}`"


def test_it_never_writes_over_the_case_file(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_bytes((EXAMPLES / "a-single-applicant.json").read_bytes())
    before = case.read_bytes()
    result = CliRunner().invoke(main, ["fill", str(case), "-o", str(case)])
    assert result.exit_code == 1 and "that is the case file" in result.output
    assert case.read_bytes() == before


def test_it_reads_a_case_file_saved_with_a_byte_order_mark(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "a-single-applicant.json").read_bytes())
    result = CliRunner().invoke(main, ["check", str(case), "--as-of", "2026-11-26"])
    assert result.exit_code == 0, result.output
