"""Screenshots of pages for a person to look at: every URL in Chinese and English, at desktop
and phone width, in Debian's Chromium (never a downloaded browser).

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --user rep \
        --out var/shots/accounts /accounts/ /accounts/1/
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="rep")
    parser.add_argument("--password", default="cuilong-demo")
    parser.add_argument("--out", default="var/shots")
    parser.add_argument("--languages", default="zh-hans,en")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(f"{args.base}/auth/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("#login-form button[type=submit]")
            page.wait_for_load_state()
            for language in args.languages.split(","):
                token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
                page.request.post(
                    f"{args.base}/language/",
                    form={"language": language, "next": "/"},
                    headers={"X-CSRFToken": token, "Referer": args.base},
                )
                for path in args.paths:
                    page.goto(f"{args.base}{path}")
                    page.wait_for_load_state("networkidle")
                    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    target = out / f"{slug}-{language}-{width_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
