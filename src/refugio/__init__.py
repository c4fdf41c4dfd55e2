"""Refugio: prepare US asylum applications (Form I-589).

The core library never imports Django (issue 2; tests/test_architecture.py enforces it).
"""

from refugio.errors import RefugioError
from refugio.model import Application

__all__ = ["Application", "RefugioError", "__version__"]
__version__ = "0.1.0"
