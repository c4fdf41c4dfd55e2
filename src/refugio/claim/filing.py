"""The filing packet of a case, composed: its declaration, then the packet (issue 5, point 7).

``refugio packet`` and the web app's packet page both build a packet this way, so the two
cannot drift: the declaration given (a signed PDF), else the dossier's own paragraphs typeset
(``refugio.claim.declaration``), else none; then ``refugio.claim.packet.build_packet``. The
composing lives here rather than in ``packet`` so that ``packet`` never imports the declaration
(the dependency runs one way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from refugio.claim.declaration import declaration_pdf, untranslated
from refugio.claim.model import Dossier
from refugio.claim.packet import Packet, build_packet
from refugio.errors import DossierError
from refugio.model import Application

__all__ = ["build_for_case"]

Progress = Callable[[str, int, int], None]


def build_for_case(
    application: Application,
    dossier: Dossier,
    files: Callable[[str], bytes],
    blank_form: Path,
    today: dt.date,
    *,
    represented: bool | None = None,
    declaration: bytes | None = None,
    g28: bytes | None = None,
    progress: Progress | None = None,
) -> Packet:
    """The packet of ``application`` and ``dossier`` with its declaration (see the module).

    Raises DossierError for a dossier with broken links (before anything is typeset) or an
    incomplete interpreter's certificate, and what ``build_packet`` raises.
    """
    problems = dossier.problems()
    if problems:
        raise DossierError("the dossier is not consistent: " + "; ".join(problems))
    if declaration is None and dossier.declaration:
        missing = untranslated(application, dossier)
        if missing:
            # A draft: its interpreter's certificate is not printed, and it is not filed.
            shown = ", ".join(str(n) for n in missing[:12])
            raise DossierError(
                f"the declaration is a draft: paragraph(s) {shown} lack their "
                f"{dossier.language_name or dossier.language} or English text"
            )
        if progress is not None:
            progress("declaration", 0, 1)
        declaration = declaration_pdf(application, dossier)
    return build_packet(
        application,
        dossier,
        files,
        blank_form,
        today,
        represented=represented,
        declaration=declaration,
        g28=g28,
        progress=progress,
    )
