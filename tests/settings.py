"""The settings the test suite runs with: the project's own, read without a developer's .env
(so that a local DEBUG=1 or DATABASE_URL in .env never changes what the tests see) and with a
throw-away secret key. DATABASE_URL from the environment still picks PostgreSQL."""

import os

os.environ["ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "tests-only-" + "not-a-secret-" * 4)

from crm.settings import *  # noqa: E402, F403

# On SQLite the test database is a file of this process's own, not the shared in-memory one:
# the live server's request threads and the test's worker threads then each open their own
# connection, as in production. Sharing one in-memory connection across threads can deadlock
# inside the sqlite3 module (a Python SQL function waiting for the GIL while another thread
# holds it and waits for the connection's mutex): a browser journey hung CI that way.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )

# A second alias for the reports' read replica (crm/replica.py), mirroring the test database;
# off unless a test turns REPORTS_ON_REPLICA on (tests/crm/test_replica.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPORTS_ON_REPLICA = False

# No ANALYZE from the import jobs: PostgreSQL keeps a table's size through a test's rollback,
# and later tests' query plans would depend on which import ran before them.
IMPORT_ANALYZE = False
