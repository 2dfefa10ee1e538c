"""Lighthouse's performance score of a built site, served compressed as a static host would.

    npm install --no-save lighthouse              # once; not a dependency of the project
    .venv/bin/python bench/lighthouse.py          # site/ as `make build` leaves it
    .venv/bin/python bench/lighthouse.py --site bench/results/work/site-10000

Serves the site on a free loopback port, gzip-compressing text files for clients that accept
it (as GitHub Pages, Netlify or nginx with gzip on do), then runs Lighthouse's performance
audit, with its default mobile emulation and simulated slow 4G, on a home, chronology, group
and event page, in Debian's Chromium. Prints each page's score and the main metrics, and
writes Lighthouse's JSON reports to ``bench/results/lighthouse/``. A script, not a test: the
scores depend on the machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.95
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class Compressing(SimpleHTTPRequestHandler):
    """Static files; text gzip-compressed when the client accepts it."""

    def send_head(self):  # type: ignore[no-untyped-def]
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirects to the folder's address
            target = target / "index.html"
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepted and target.is_file() and target.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(target.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(target)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def pages(site: Path) -> dict[str, str]:
    """A home, chronology, group and event page of the site (the first of each, by name)."""
    chosen = {"home": "", "chronology": "chronology/"}
    for label, folder in (("group", "groups"), ("event", "events")):
        found = sorted(p.parent.name for p in (site / folder).glob("*/index.html"))
        if found:
            chosen[label] = f"{folder}/{found[0]}/"
    return chosen


def lighthouse_command() -> list[str] | None:
    local = ROOT / "node_modules" / ".bin" / "lighthouse"
    if local.is_file():
        return [str(local)]
    found = shutil.which("lighthouse")
    return [found] if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "lighthouse")
    args = parser.parse_args(argv)
    command = lighthouse_command()
    if command is None:
        print("Lighthouse is not installed: npm install --no-save lighthouse", file=sys.stderr)
        return 2
    if not (args.site / "index.html").is_file():
        print(f"no built site in {args.site}: run make build first", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Compressing, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    failed = 0
    try:
        for label, path in pages(args.site).items():
            report = args.out / f"{label}.json"
            done = subprocess.run(
                [
                    *command,
                    base + path,
                    "--only-categories=performance",
                    "--output=json",
                    f"--output-path={report}",
                    "--quiet",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                env=dict(os.environ, CHROME_PATH=args.chromium),
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0 or not report.is_file():
                print(f"{label:11} /{path}: Lighthouse failed: {' '.join(done.stderr.split())[:300]}")
                failed += 1
                continue
            result = json.loads(report.read_text(encoding="utf-8"))
            score = result["categories"]["performance"]["score"]
            audits = result["audits"]
            metrics = {
                name: audits[key]["displayValue"]
                for name, key in (
                    ("FCP", "first-contentful-paint"),
                    ("LCP", "largest-contentful-paint"),
                    ("TBT", "total-blocking-time"),
                    ("CLS", "cumulative-layout-shift"),
                    ("bytes", "total-byte-weight"),
                )
                if key in audits and "displayValue" in audits[key]
            }
            verdict = "PASS" if score is not None and score >= TARGET else "FAIL"
            print(f"{verdict}  {label:11} /{path}: {score}  " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
            failed += verdict == "FAIL"
    finally:
        server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
