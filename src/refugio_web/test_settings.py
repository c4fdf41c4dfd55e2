"""Settings for the test suite: the real settings with a throwaway key (tests only)."""

import os

from refugio.crypto import new_key_text

os.environ.setdefault("REFUGIO_SECRET_KEY", "tests-only-" + "x" * 40)
# A new master key per test run, inherited by the processes the tests start (issue 4, point 1).
os.environ.setdefault("REFUGIO_MASTER_KEY", new_key_text())

from refugio_web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
# The production web surface otherwise (`__Host-` Secure cookies, HSTS on HTTPS requests), but
# the test client and the live server speak plain http: no redirect to https.
SECURE_SSL_REDIRECT = False
# Django's test client's host name: here, never in production settings.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# Background jobs run in the request's thread, inside the test's transaction (one test starts a
# real thread: tests/web/test_jobs.py).
REFUGIO_JOBS_INLINE = True
