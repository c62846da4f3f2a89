"""Take the README's screenshots from a running demo (`make demo`) in headless Chromium.

usage: .venv/bin/python tools/screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]

SHOTS = [
    # (file, login, path, action before the shot)
    ("units.png", "city_admin", "/units/", "expand"),
    ("accounts.png", "county_admin", "/accounts/", None),
    ("registry-health.png", "city_admin", "/registry/health/", None),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--password", default="demo-2026")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for filename, username, path, action in SHOTS:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{args.url}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{args.url}{path}")
            if action == "expand":
                page.click("#unit-tree summary >> nth=0")
                page.wait_for_selector("#unit-tree ul.tree li details")
                page.click("#unit-tree ul.tree li details summary >> nth=0")
                page.wait_for_timeout(500)
            page.screenshot(path=str(out / filename))
            print(out / filename)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
