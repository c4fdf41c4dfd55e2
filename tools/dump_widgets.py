"""Dump every form widget of a PDF: page, full name, type, rect, tooltip, MaxLen, flags, states.

Usage: dump_widgets.py BLANK.pdf OUT.json

The full name joins the /T of the widget and its parents with "." (the AcroForm fully qualified
name, e.g. ``form1[0].#subform[0].PtAILine4_LastName[0]``); field maps are keyed by it.
Inheritable keys (/FT, /TU, /MaxLen, /Ff) are taken from the nearest node that has them.
Importable: ``read_widgets(path)`` returns the same list of dicts (tools/fieldmap_draft.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pikepdf


def read_widgets(path: str | Path) -> list[dict[str, Any]]:
    """Every widget annotation in page order, as plain dicts (see the module docstring)."""
    out: list[dict[str, Any]] = []
    with pikepdf.open(path) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Widget":
                    continue
                parts: list[str] = []
                ft: str | None = None
                tu: str | None = None
                maxlen: int | None = None
                ff: int | None = None
                node: pikepdf.Object | None = annot
                while node is not None:
                    if "/T" in node:
                        parts.append(str(node.T))
                    if ft is None and "/FT" in node:
                        ft = str(node.FT)
                    if tu is None and "/TU" in node:
                        tu = str(node.TU)
                    if maxlen is None and "/MaxLen" in node:
                        maxlen = int(node.MaxLen)
                    if ff is None and "/Ff" in node:
                        ff = int(node.Ff)
                    node = node.get("/Parent")
                states = None
                if ft == "/Btn" and "/AP" in annot:
                    states = [str(k) for k in annot.AP.N]
                out.append(
                    {
                        "page": pno,
                        "name": ".".join(reversed(parts)),
                        "ft": ft,
                        "rect": [round(float(x)) for x in annot.Rect],
                        "tu": tu,
                        "maxlen": maxlen,
                        "ff": ff,
                        "states": states,
                    }
                )
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    widgets = read_widgets(argv[1])
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(widgets, fh, indent=0, ensure_ascii=False)
    print(len(widgets))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
