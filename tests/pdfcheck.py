"""Reading a filled PDF back, independently of the filler: values, text, ink, structure."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from refugio.fill.pdfdoc import widgets


@dataclass
class Filled:
    name: str
    page: int  # 0-based
    value: str
    rect: tuple[float, float, float, float]
    appearance: bytes


def filled_text_fields(path: Path) -> dict[str, Filled]:
    out = {}
    with pikepdf.open(path) as pdf:
        for w in widgets(pdf):
            v = w.obj.get("/V")
            # The barcode fields carry the edition as a value of the blank; nothing of ours.
            if isinstance(v, pikepdf.String) and str(v) and "PDF417BarCode" not in w.name:
                ap = w.obj.get("/AP")
                data = (
                    ap.N.read_bytes()
                    if ap is not None and isinstance(ap.N, pikepdf.Stream)
                    else b""
                )
                rect = tuple(float(x) for x in w.obj.Rect)
                out[w.name] = Filled(w.name, w.page, str(v), rect, data)  # type: ignore[arg-type]
    return out


def checked_boxes(path: Path) -> set[str]:
    with pikepdf.open(path) as pdf:
        return {w.name for w in widgets(pdf) if w.obj.get("/AS") not in (None, pikepdf.Name.Off)}


def pdftotext(path: Path, page: int | None = None) -> str:
    """Text of the whole document or of one page (1-based), as poppler extracts it."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    # Poppler wraps right-to-left runs in embedding marks; they are not part of the text.
    return re.sub("[\u202a-\u202e]", "", out.stdout.decode("utf-8"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render_gray(path: Path, page: int, dpi: int = 50) -> tuple[int, int, bytes]:
    """Render one page (1-based) with poppler to 8-bit gray pixels."""
    out = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
        capture_output=True,
        check=True,
    ).stdout
    header, rest = out.split(b"\n", 1)
    dims, rest = rest.split(b"\n", 1)
    _maxval, pixels = rest.split(b"\n", 1)
    w, h = (int(x) for x in dims.split())
    assert header == b"P5"
    return w, h, pixels


def ink(
    image: tuple[int, int, bytes],
    rect: tuple[float, float, float, float],
    page_height: float,
    dpi: int = 50,
) -> int:
    """Dark pixels inside ``rect`` (PDF points, origin bottom-left)."""
    w, _h, px = image
    s = dpi / 72
    x1, y1, x2, y2 = rect
    top, bottom = int((page_height - y2) * s) + 1, int((page_height - y1) * s) - 1
    left, right = int(x1 * s) + 1, int(x2 * s) - 1
    return sum(1 for y in range(top, bottom) for x in range(left, right) if px[y * w + x] < 128)


def qpdf_check(path: Path) -> str:
    proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout
