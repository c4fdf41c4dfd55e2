"""Settings for the test suite: the real settings with a throwaway key (tests only)."""

import os

os.environ.setdefault("REFUGIO_SECRET_KEY", "tests-only-" + "x" * 40)

from refugio_web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
# The production web surface otherwise (`__Host-` Secure cookies, HSTS on HTTPS requests), but
# the test client and the live server speak plain http: no redirect to https.
SECURE_SSL_REDIRECT = False
