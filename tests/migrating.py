"""Migration tests run `manage.py` in a child process on a SQLite file of their own: the
suite's database is built without migrations."""

import os
import subprocess
import sys

from django.conf import settings


def manage_on(database):
    """A function that runs `manage.py <args>` on the SQLite file `database` and fails the
    test, with the command's output, when it does not succeed."""
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
    }

    def manage(*args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=settings.BASE_DIR,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    return manage
