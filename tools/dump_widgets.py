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

from refugio.fill.pdfdoc import Widget, full_name


def read_widgets(path: str | Path) -> list[dict[str, Any]]:
    """Every widget annotation in page order, as plain dicts (see the module docstring).

    Pages' /Annots are read directly (not the field tree), so a widget the form's field tree
    forgets is still listed; names and inherited keys come from refugio's own helpers.
    """
    out: list[dict[str, Any]] = []
    with pikepdf.open(path) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Widget":
                    continue
                w = Widget(full_name(annot), pno - 1, annot)
                ft, tu, maxlen, ff = (w.attr(k) for k in ("/FT", "/TU", "/MaxLen", "/Ff"))
                states = None
                if ft == "/Btn" and "/AP" in annot:
                    states = [str(k) for k in annot.AP.N]
                out.append(
                    {
                        "page": pno,
                        "name": w.name,
                        "ft": None if ft is None else str(ft),
                        "rect": [round(float(x)) for x in annot.Rect],
                        "tu": None if tu is None else str(tu),
                        "maxlen": None if maxlen is None else int(maxlen),
                        "ff": None if ff is None else int(ff),
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
