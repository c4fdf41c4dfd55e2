"""Settings for the test suite: the real settings with a throwaway key (tests only)."""

import os

os.environ.setdefault("REFUGIO_SECRET_KEY", "tests-only-" + "x" * 40)

from refugio_web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
