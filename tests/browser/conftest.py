"""Browser tests: the built fixture site served on 127.0.0.1, driven by headless Chromium.

Chromium is the Debian package at /usr/bin/chromium (never a Playwright download).
Without it the tests are skipped, unless WIKI_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REQUIRED = os.environ.get("WIKI_REQUIRE_BROWSER") == "1"
#: schemes that never leave the browser
LOCAL_SCHEMES = ("data", "blob", "about")


def unavailable(reason: str) -> None:
    """Skip with a one-line reason, or fail when the browser tests are required."""
    if REQUIRED:
        pytest.fail(f"{reason} (and WIKI_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# -- a local web server ----------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that navigates away drops its connections: not an error worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Server:
    root: Path
    url: str  # 'http://127.0.0.1:PORT/'
    host: str  # '127.0.0.1:PORT'


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Server]:
    """Serve ``root`` on a free port of 127.0.0.1 from a thread."""
    httpd = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, name="wiki-http", daemon=True)
    thread.start()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    try:
        yield Server(root, f"http://{host}/", host)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def server(fixture_site: Path) -> Iterator[Server]:
    """The fixture site (built once per session by tests/conftest.py), served over HTTP."""
    with serve(fixture_site) as running:
        yield running


# -- Chromium --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM}: browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package is not installed: browser tests skipped")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
    except Exception as exc:
        manager.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start: {str(exc).splitlines()[0]}")
    yield browser
    browser.close()
    manager.stop()


@dataclass
class Recorder:
    """Everything a page did that the tests look at."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

        def dismiss(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", dismiss)

    def foreign_requests(self, host: str) -> list[str]:
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                foreign.append(url)
        return foreign


@pytest.fixture
def new_page(chromium: Browser) -> Iterator[Callable[..., tuple[Page, Recorder]]]:
    """``new_page(**context_options)`` → (a page in a fresh context, its recorder)."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> tuple[Page, Recorder]:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        recorder = Recorder()
        recorder.attach(page)
        return page, recorder

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        unavailable(f"axe-core is not installed at {AXE.relative_to(ROOT)} (run 'npm ci'): accessibility tests skipped")
    return AXE.read_text(encoding="utf-8")


#: one page of each kind: (path under the site root, text its <h1> contains)
SAMPLE_PAGES = [
    ("", "Sahel Conflict Wiki"),
    ("groups/northern-front/", "Northern Front"),
    ("people/jane-doe/", "Jane Doe"),
    ("events/riverton-market-attack/", "Attack on Riverton market"),
    ("sources/alpha-gazette/", "Front attacks Riverton market"),
    ("years/2020/", "2020"),
    ("chronology/", "Chronology"),
    ("groups/", "Groups and organisations"),
    ("contested/", "Contested facts"),
]


#: the search box (docs/assets/search.js): the header button, the query field, result links
SEARCH_BUTTON = ".wiki-search__open"
SEARCH_INPUT = "#wiki-search-q"
SEARCH_LINKS = ".wiki-search__results .wiki-search__link"


def search_for(page: Page, query: str) -> None:
    """Open the search dialog from the header of the page shown, type ``query``, wait for results."""
    from playwright.sync_api import expect

    page.locator(SEARCH_BUTTON).click()
    box = page.locator(SEARCH_INPUT)
    box.press_sequentially(query, delay=10)
    expect(page.locator(".wiki-search__status")).to_contain_text(f"for “{query}”")


def first_search_hit(page: Page, site_url: str, query: str) -> Locator:
    """Type ``query`` into the search box of the home page; the first result's link."""
    from playwright.sync_api import expect

    page.goto(site_url, wait_until="load")
    search_for(page, query)
    first = page.locator(SEARCH_LINKS).first
    expect(first).to_be_visible()
    return first
