"""The web app's errors: one base, so views can tell ours from Django's."""

from __future__ import annotations

from refugio.errors import RefugioError


class WebError(RefugioError):
    """Base of the web app's own errors."""


class EditConflict(WebError):
    """Someone else saved the case after this page was opened; nothing was overwritten."""


class OutputError(WebError):
    """A filled form or its preview could not be made (no blank, poppler missing, ...)."""
