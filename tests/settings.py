"""The settings the test suite runs with: the project's own, read without a developer's .env
(so that a local DEBUG=1 or DATABASE_URL in .env never changes what the tests see) and with a
throw-away secret key. DATABASE_URL from the environment still picks PostgreSQL."""

import os

os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "tests-only-" + "not-a-secret-" * 4)

from crm.settings import *  # noqa: E402, F403
