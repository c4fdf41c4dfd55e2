"""WSGI entry point (gunicorn refugio_web.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refugio_web.settings")
application = get_wsgi_application()
