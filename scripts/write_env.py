"""Write a development .env (DEBUG on, a freshly generated secret key) unless one exists.

    python3 scripts/write_env.py .env

The environment still wins over the file; see .env.example for every variable."""

import secrets
import sys
from pathlib import Path

TEMPLATE = """\
# Written by `make setup` for development on this machine; never commit it.
# Every variable and its default: .env.example. The environment wins over this file.
DEBUG=1
SECRET_KEY={key}
"""


def main(path: str) -> None:
    target = Path(path)
    if target.exists():
        return
    target.write_text(TEMPLATE.format(key=secrets.token_urlsafe(50)), encoding="utf-8")
    print(f"wrote {target} (DEBUG=1, a generated SECRET_KEY)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".env")
