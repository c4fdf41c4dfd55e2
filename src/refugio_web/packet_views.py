"""The packet page of a case (issue 5, point 7): the checklist and the fee, the button that
builds the filing packet, its progress, and the download of the ZIP.

As in ``views``: each view reaches the case through ``cases.case_for`` (404 when not allowed,
audited), calls one function of ``packets`` and renders. Building and downloading are exports
(``Need.EXPORT``, the password and a code again within 5 minutes). Without JavaScript the page
follows the build with a meta refresh every 2 seconds while the job runs (Tor Browser's
"safest" level honours it; the Content-Security-Policy does not govern it).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from refugio_web import cases, files, packets
from refugio_web.access import Need, allowed
from refugio_web.accounts import recent_auth_required
from refugio_web.errors import OutputError
from refugio_web.inputs import user_of

# The core's stage codes (refugio.claim.filing, refugio.claim.packet), as the page names them.
STAGES = {
    "": gettext_lazy("Starting"),
    "waiting": gettext_lazy("Waiting for another packet to finish"),
    "declaration": gettext_lazy("Typesetting the declaration"),
    "files": gettext_lazy("Reading the evidence"),
    "form": gettext_lazy("Filling in Form I-589"),
    "exhibits": gettext_lazy("Numbering the exhibits"),
    "packages": gettext_lazy("Putting the packages together"),
    "checklist": gettext_lazy("Writing the checklist"),
    "zip": gettext_lazy("Making the ZIP file"),
}


@login_required
def packet(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, "packet-open")
    page = packets.overview(case, timezone.localdate())
    context: dict[str, Any] = {
        "case": case,
        "page": page,
        "status": page.status,
        "stage": STAGES.get(page.status.stage, page.status.stage),
        # The web's own messages are in the catalogues; the core's stay English (gettext
        # returns a message it does not know as it is).
        "problem": _(page.problem) if page.problem else "",
        "can_export": allowed(user, Need.EXPORT),
    }
    return render(request, "refugio_web/packet.html", context)


@login_required
@recent_auth_required  # the packet holds every answer and document: an export
@require_http_methods(["GET", "POST"])
def packet_build(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Start building the packet (POST); a GET — the way back from re-authentication — returns
    to the packet page, where the button is pressed again. Recorded by the job ("packet-start")."""
    user = user_of(request)
    case = cases.case_for(user, case_id, None, need=Need.EXPORT)
    if request.method == "POST":
        try:
            packets.start(user, case, timezone.localdate())
        except OutputError as exc:
            messages.error(
                request, _("The packet cannot be built yet: %(why)s") % {"why": _(str(exc))}
            )
    return redirect("packet", case_id=case.pk)


@login_required
@recent_auth_required  # the whole application leaves the app: password and code again
def packet_download(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    case = cases.case_for(user, case_id, None, need=Need.EXPORT)
    try:
        stored = packets.packet_zip(case)
    except Http404:
        cases.record(user, "packet-missing", case)  # the access, though nothing to give
        raise
    cases.record(user, "packet-download", case)  # once the file is there
    # A generic name: a downloads folder must not say who applied (8 CFR 208.6).
    return files.attachment(stored.data, stored.kind, name="packet.zip")
