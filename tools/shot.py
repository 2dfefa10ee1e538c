"""Screenshot built pages in headless Chromium: python tools/shot.py URL OUT.png [--dark] [--width N]."""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("out")
parser.add_argument("--dark", action="store_true")
parser.add_argument("--width", type=int, default=1280)
parser.add_argument("--height", type=int, default=900)
parser.add_argument("--full", action="store_true")
args = parser.parse_args()

with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )
    page = browser.new_page(
        viewport={"width": args.width, "height": args.height},
        color_scheme="dark" if args.dark else "light",
    )
    page.goto(args.url)
    page.wait_for_timeout(300)
    page.screenshot(path=args.out, full_page=args.full)
    browser.close()
