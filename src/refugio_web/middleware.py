"""Headers every page gets: no page is ever stored by the browser or a proxy, and no other site
may load one.

It sits near the outside of the middleware stack (settings.MIDDLEWARE), so the login page, case
pages, downloads, page previews, redirects and the error pages all pass through it
(tests/web/test_surface.py). Only the static files (USWDS, our CSS and script) are cacheable:
they say nothing about anyone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static = settings.STATIC_URL or "/static/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.static):
            # Answers must not stay in a shared computer's cache or a proxy's (8 CFR 208.6;
            # ASVS 5.0, 14.3: no-store on sensitive pages).
            response["Cache-Control"] = "no-store"
        # Another site may not embed our pages, previews or files as resources (SecureDrop
        # sends the same; Cross-Origin-Resource-Policy, Fetch standard).
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        return response
