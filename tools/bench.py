"""Benchmark: filling example (b) into the 01/20/25 edition, against pdftk-java in the same run.

Then, unless --no-web, the web app saving interview steps (tools/bench_web.py), and unless
--no-packet, the filing packet with 300 pages of exhibits (tools/bench_packet.py), appended.

Run with ``make bench``. Figures are written to docs/benchmarks.md, always as a ratio against the
reference measured in the same run (these machines are noisy; absolute times are context only).

What is measured (issue 2, point 10):
- in-process: open the blank, fill, write the PDF (``refugio.fill.fill``), median of N after a
  warm-up — the cost inside a long-running process such as the web app;
- whole process: ``refugio fill`` as a command, Python start-up and imports included;
- reference: ``pdftk BLANK fill_form VALUES.xfdf output OUT drop_xfa`` with the same values (the
  field values of Refugio's own output, so both fill the same fields with the same text);
- scale: pikepdf alone setting the same values and calling its own appearance generator (no
  overflow, no supplements, non-Latin text lost, XFA left in) — the floor a Python filler on
  this machine starts from; pdf-filling.md measured it at 57 ms where the 100 ms target was set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from refugio.cli import forms_dir, load_case  # noqa: E402
from refugio.editions import get_edition  # noqa: E402
from refugio.fill import fill  # noqa: E402
from refugio.fill.pdfdoc import widgets  # noqa: E402

CASE = ROOT / "examples" / "b-dissident-businessman.json"
TODAY = dt.date(2026, 11, 26)


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: imports, font loading, caches of the OS
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def xfdf_from(filled: Path, blank: Path) -> str:
    """The values of Refugio's output as XFDF, for the fields pdftk can address in the blank."""
    fields = [
        (n, v if isinstance(v, str) else str(v)[1:]) for n, v in field_values(filled, blank).items()
    ]
    body = "".join(
        f'<field name="{escape(n, {chr(34): "&quot;"})}"><value>{escape(v)}</value></field>'
        for n, v in fields
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>' + body + "</fields></xfdf>"
    )


def field_values(filled: Path, blank: Path) -> dict[str, str | pikepdf.Name]:
    """The values of Refugio's output for the fields of the blank (supplement copies aside)."""
    with pikepdf.open(blank) as pdf:
        names = {w.name for w in widgets(pdf)}
    values: dict[str, str | pikepdf.Name] = {}
    with pikepdf.open(filled) as pdf:
        for w in widgets(pdf):
            v = w.obj.get("/V")
            if w.name not in names or "PDF417" in w.name:
                continue
            if isinstance(v, pikepdf.String):
                values[w.name] = str(v)
            elif isinstance(v, pikepdf.Name) and v != pikepdf.Name.Off:
                values[w.name] = v
    return values


def pikepdf_alone(blank: Path, values: dict[str, str | pikepdf.Name], out: Path) -> None:
    with pikepdf.open(blank) as pdf:
        for w in widgets(pdf):
            v = values.get(w.name)
            if isinstance(v, str):
                w.obj.V = pikepdf.String(v)
            elif v is not None:
                w.obj.V = v
                w.obj.AS = v
        pdf.Root.AcroForm.NeedAppearances = True
        pdf.generate_appearance_streams()
        pdf.save(out)


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", type=Path, help="write the figures to this Markdown file")
    parser.add_argument(
        "--no-web", action="store_true", help="skip the web benchmark (tools/bench_web.py)"
    )
    parser.add_argument(
        "--no-packet",
        action="store_true",
        help="skip the packet benchmark (tools/bench_packet.py)",
    )
    args = parser.parse_args()

    blank = forms_dir() / get_edition("01/20/25").filename
    app = load_case(CASE)
    tmp = Path(tempfile.mkdtemp(prefix="refugio-bench-"))
    out = tmp / "refugio.pdf"
    try:
        in_process = median_time(lambda: fill(app, blank, out, today=TODAY), args.runs)
        refugio_cmd = [
            sys.executable,
            "-m",
            "refugio",
            "fill",
            str(CASE),
            "-o",
            str(out),
            "--form",
            str(blank),
        ]
        whole = median_time(
            lambda: subprocess.run(refugio_cmd, check=True, capture_output=True),
            max(5, args.runs // 3),
        )

        pdftk = shutil.which("pdftk")
        if pdftk is None:
            print("pdftk not installed (Debian package pdftk-java): no reference", file=sys.stderr)
            return 1
        xfdf = tmp / "values.xfdf"
        xfdf.write_text(xfdf_from(out, blank), encoding="utf-8")
        ref_out = tmp / "pdftk.pdf"
        pdftk_cmd = [pdftk, str(blank), "fill_form", str(xfdf), "output", str(ref_out), "drop_xfa"]
        reference = median_time(
            lambda: subprocess.run(pdftk_cmd, check=True, capture_output=True),
            max(5, args.runs // 3),
        )
        values = field_values(out, blank)
        scale = median_time(lambda: pikepdf_alone(blank, values, tmp / "pikepdf.pdf"), args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        ("Refugio in-process (open, fill, write)", in_process),
        ("Refugio whole process (`refugio fill`)", whole),
        ("pdftk-java `fill_form` (reference)", reference),
        ("pikepdf alone: set the same values, generate appearances (scale)", scale),
    ]
    measured = dt.datetime.now(dt.UTC).date()
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (tools/bench.py). Each figure is the median of several runs",
        "after a warm-up, measured in the same run as its reference; compare ratios, not times.",
        "",
        f"Case: example (b), filled into the I-589 edition 01/20/25 — {os.cpu_count()} cores,",
        f"Python {sys.version.split()[0]}, pikepdf {pikepdf.__version__}, measured {measured}.",
        "",
        "| what | median | ratio to pdftk |",
        "|---|---|---|",
    ]
    for label, seconds in rows:
        lines.append(f"| {label} | {seconds * 1000:.0f} ms | {seconds / reference:.2f} |")
    speedup_in = reference / in_process
    whole_ratio = whole / reference
    whole_words = (
        f"**{1 / whole_ratio:.1f}×** faster than pdftk"
        if whole_ratio < 1
        else f"**{whole_ratio:.1f}×** pdftk's time (slower)"
    )
    lines += [
        "",
        f"Refugio in-process is **{speedup_in:.1f}×** faster than pdftk's whole process. The",
        f"whole `refugio fill` command takes {whole_words}: Python start-up and imports",
        "(pydantic, pikepdf, click) dominate it; a long-running process (the web app) pays them",
        "once. pdftk fills only the fields of the blank: it cannot add Supplement A/B pages,",
        "draw native-alphabet names without embedding a whole font, or continue text.",
        "",
        "On the machine where the 100 ms target was set, pikepdf alone took 57 ms; here it",
        f"takes {scale * 1000:.0f} ms, so the target scales to {100 * scale / 0.057:.0f} ms here:",
        f"Refugio's in-process time is {in_process / scale:.2f}× pikepdf alone"
        f" ({'within' if in_process / scale <= 100 / 57 else 'over'} the target's 1.75×).",
        "",
        "Targets (issue 2): in-process ≤ 100 ms and ≥ 5× faster than pdftk. On this machine:",
        f"in-process {in_process * 1000:.0f} ms in absolute terms ({_met(in_process <= 0.1)};",
        f"{_met(in_process / scale <= 100 / 57)} at the scale above); in-process against pdftk",
        f"{speedup_in:.1f}× ({_met(speedup_in >= 5)}); whole process against pdftk",
        f"{reference / whole:.1f}× ({_met(reference / whole >= 5)}).",
    ]
    text = "\n".join(lines) + "\n"
    status = 0
    if not args.no_web:
        # Its own process: it sets Django up and starts gunicorn; its progress goes to stderr.
        web = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "bench_web.py")],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if web.returncode not in (0, 1) or not web.stdout.startswith("## "):
            print("the web benchmark failed", file=sys.stderr)
            return web.returncode or 1
        status = web.returncode  # 1: a save was lost or a request failed (said in the text)
        text += "\n" + web.stdout.rstrip("\n") + "\n"
    if not args.no_packet:
        packet = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "bench_packet.py")],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if packet.returncode != 0 or not packet.stdout.startswith("## "):
            print("the packet benchmark failed", file=sys.stderr)
            return packet.returncode or 1
        text += "\n" + packet.stdout.rstrip("\n") + "\n"
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
