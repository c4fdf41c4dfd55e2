"""WSGI entry point (gunicorn refugio_web.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import get_resolver

from refugio.interview import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refugio_web.settings")
application = get_wsgi_application()

# Load now what the first requests would load (the views, the screens' questions, templates),
# then move every object made so far out of the garbage collector's reach. Without this, a full
# collection walks all of Django's and the core's objects in the middle of a request: 50-60 ms
# pauses, measured under tools/bench_web.py, that made the save latency's tail (issue 3, point
# 10). Objects frozen here live as long as the process anyway.
get_resolver().url_patterns  # noqa: B018 - imports every view module
for _name in ("login.html", "case_list.html", "case_home.html", "step.html", "review.html"):
    get_template(f"refugio_web/{_name}")
warm_up()
gc.freeze()
