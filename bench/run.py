"""Benchmark the wiki build at several sizes against plain mkdocs-material (the floor).

    .venv/bin/python bench/run.py                      # 300, 1000, 3000 and 10000 events
    .venv/bin/python bench/run.py --sizes 300,1000     # a quicker run
    .venv/bin/python bench/run.py --sizes 3000 --profile 3000 --no-serve

For each size it generates a synthetic knowledge base (bench/synth.py), then
measures, each in a fresh process:

(a) ``mkdocs build --strict`` of the wiki: wall time and peak RSS;
(b) the floor: plain mkdocs-material building the same pages written out as
    static Markdown, with the wiki's mkdocs.yml minus the macros plugin and
    the hook;
(c) load + validate alone (``macros.wiki.build_index``), and its steps;

and at the real size (300 events) (d) how long ``mkdocs serve`` takes to show
an edited event title.  It prints a table, checks the targets of
bench/README.md and writes everything to bench/results/bench.json.
This is a script, not a test: run it by hand or with ``make bench``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TIME = Path("/usr/bin/time")
DEFAULT_SIZES = (300, 1000, 3000, 10000)
REAL_SIZE = 300

#: Targets (bench/README.md).
MAX_RATIO = 1.15  # build time / floor time, at every size
MAX_GROWTH = 11.0  # time ratio for 10x the events
MAX_LOAD_10K = 1.0  # seconds for load + validate of 10,000 events
MAX_RSS_10K_MB = 1024.0
MAX_PAGE_KB = 500.0
MAX_RELOAD_S = 3.0
# Search and the offline edition (issue 19)
MAX_INDEX_SHARE = 0.10  # Pagefind's indexing time / the build's, at 3,000 and 10,000 events
MAX_FIRST_VISIT_KB = 150.0  # compressed HTML + CSS + JS of a page's first visit (no index)
MAX_FIRST_SEARCH_KB = 400.0  # compressed bytes a first search fetches (upper bound, see below)
MAX_SITE_FILES = 20_000  # some static hosts cap a site's file count
#: pages whose first visit is measured: (label, path under the site, or a folder to take the first page of)
FIRST_VISIT_PAGES = [
    ("home", "index.html"),
    ("chronology", "chronology/index.html"),
    ("group", "groups"),
    ("event", "events"),
]

# Runs in a fresh interpreter: the time of build_index alone (imports excluded), then,
# in the same kind of fresh process, each step of it.
_LOAD_SNIPPET = """
import json, sys, time
t0 = time.perf_counter()
from html.parser import HTMLParser
from pathlib import Path
from macros.wiki import build_index
t1 = time.perf_counter()
data, archive, root = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
build_index(data, root, archive)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "build_index_s": t2 - t1}))
"""
_STEPS_SNIPPET = """
import json, sys, time
from html.parser import HTMLParser
from pathlib import Path
from macros.index import Index
from macros.load import load
from macros.quotes import check_quotes
from macros.validate import validate
data, archive, root = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
t0 = time.perf_counter()
raws, errors = load(data, root)
t1 = time.perf_counter()
errors = [*errors, *check_quotes(raws, archive)]
t2 = time.perf_counter()
kb = validate(raws, errors)
t3 = time.perf_counter()
Index(kb)
t4 = time.perf_counter()
print(json.dumps({"load_yaml_s": t1 - t0, "quote_check_s": t2 - t1, "validate_s": t3 - t2, "index_s": t4 - t3}))
"""
# Fallback when /usr/bin/time is missing: a fresh wrapper whose RUSAGE_CHILDREN is the command's alone.
_RUSAGE_SNIPPET = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.call(sys.argv[2:], stdout=sys.stdout, stderr=sys.stderr)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    cpu = usage.ru_utime + usage.ru_stime
    json.dump({"code": code, "wall_s": wall, "cpu_s": cpu, "max_rss_kb": usage.ru_maxrss}, f)
"""


# --------------------------------------------------------------------------
# Measuring one command
# --------------------------------------------------------------------------


def environment(data: Path, archive: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"NO_MKDOCS_2_WARNING": "1", "WIKI_DATA": str(data), "WIKI_ARCHIVE": str(archive)})
    return env


def measure(cmd: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> dict[str, Any]:
    """Run ``cmd`` once; return its wall time (s), peak RSS (MB) and exit code. Output goes to ``log``."""
    stats_file = log.with_suffix(".rusage")
    if TIME.is_file():
        full = [str(TIME), "-v", "-o", str(stats_file), *cmd]
    else:
        full = [sys.executable, "-c", _RUSAGE_SNIPPET, str(stats_file), *cmd]
    with log.open("w") as out:
        started = time.perf_counter()
        code = subprocess.call(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - started
    text = stats_file.read_text() if stats_file.is_file() else ""
    if TIME.is_file():

        def field(name: str) -> float:
            match = re.search(rf"{re.escape(name)}: ([\d.]+)", text)
            return float(match.group(1)) if match else 0.0

        rss_kb = field("Maximum resident set size (kbytes)")
        cpu = field("User time (seconds)") + field("System time (seconds)")
    else:
        info = json.loads(text or "{}")
        rss_kb, wall, cpu = info.get("max_rss_kb", 0), info.get("wall_s", wall), info.get("cpu_s", 0.0)
    return {"code": code, "wall_s": round(wall, 3), "cpu_s": round(cpu, 2), "rss_mb": round(rss_kb / 1024, 1)}


def site_stats(site: Path) -> dict[str, Any]:
    """Pages, largest HTML page, total size and search index size of a built site."""
    largest, largest_size, total, pages = "", 0, 0, 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            if path.name == "index.html":
                pages += 1
            if size > largest_size:
                largest, largest_size = path.relative_to(site).as_posix(), size
    search = site / "search" / "search_index.json"
    big = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)[:5]
    return {
        "pages": pages,
        "largest_html": largest,
        "largest_html_kb": round(largest_size / 1024, 1),
        "largest_five": [{"path": p, "kb": round(s / 1024, 1)} for s, p in big],
        "site_mb": round(total / 1_048_576, 2),
        "search_index_kb": round(search.stat().st_size / 1024, 1) if search.is_file() else 0.0,
    }


def gzipped(data: bytes) -> int:
    """Bytes a static host sends for it, gzip level 6 (Pagefind's own files are gzip already)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def sent(path: Path) -> int:
    """Bytes a static host sends for a file of Pagefind's bundle (its chunks are gzip already)."""
    packed = path.suffix.startswith(".pf") or path.name.startswith("wasm.")
    return path.stat().st_size if packed else gzipped(path.read_bytes())


class _Assets(HTMLParser):
    """Stylesheets and scripts a page loads at once (not those a script loads later)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and "stylesheet" in a.get("rel", "").split() and a.get("href"):
            self.urls.append(a["href"])


def first_visit(site: Path) -> dict[str, Any]:
    """Compressed bytes of the first visit to a home, chronology, group and event page: the
    HTML and the CSS and JS it loads (``kb``; images are inline SVG; no search file loads
    before the search box opens), and everything Chromium fetched (``measured_kb``)."""
    out: dict[str, Any] = {}
    for label, where in FIRST_VISIT_PAGES:
        page = site / where
        if page.is_dir():
            page = next(iter(sorted(p for p in page.glob("*/index.html") if p.parent.name != "index")), page)
        if not page.is_file():
            continue
        parser = _Assets()
        html = page.read_bytes()
        parser.feed(html.decode("utf-8", "replace"))
        total = gzipped(html)
        for url in parser.urls:
            target = (page.parent / url.split("?")[0]).resolve()
            if target.is_file():
                total += gzipped(target.read_bytes())
        out[label] = {"path": page.relative_to(site).as_posix(), "kb": round(total / 1024, 1)}
    pages = {label: visit["path"].removesuffix("index.html") for label, visit in out.items()}
    measured = measured_first_visits(site, pages)
    for label, kb in (measured or {}).items():
        out[label]["measured_kb"] = kb
    return out


def search_stats(site: Path) -> dict[str, Any]:
    """The Pagefind bundle: its size and files, and an upper bound of what a first search
    fetches (the script, worker, WebAssembly, metadata, the largest index chunk and the ten
    largest result fragments; the filter indexes load only when a reader opens the facets,
    reported apart as ``facets_kb``); the site's file count."""
    bundle = site / "pagefind"
    files = [p for p in bundle.rglob("*") if p.is_file()] if bundle.is_dir() else []

    first = 0
    if files:
        fixed = [bundle / n for n in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind")]
        fixed += list(bundle.glob("*.pf_meta"))
        chunks = sorted((p.stat().st_size for p in (bundle / "index").glob("*")), reverse=True)[:1]
        fragments = sorted((p.stat().st_size for p in (bundle / "fragment").glob("*")), reverse=True)[:10]
        first = sum(sent(p) for p in fixed if p.is_file()) + sum(chunks) + sum(fragments)
    return {
        "bundle_kb": round(sum(p.stat().st_size for p in files) / 1024, 1),
        "bundle_files": len(files),
        "first_search_kb": round(first / 1024, 1),
        "facets_kb": round(sum(p.stat().st_size for p in (bundle / "filter").glob("*")) / 1024, 1),
        "site_files": sum(1 for p in site.rglob("*") if p.is_file()),
    }


#: Where Debian's Chromium is (the browser tests' too); the measured searches need it and Playwright.
CHROMIUM = Path("/usr/bin/chromium")


def _page_title(page: Path) -> str | None:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S) if page.is_file() else None
    return re.sub(r"<[^>]+>|&[a-z#0-9]+;", " ", found.group(1)).split("(")[0].strip() if found else None


@contextlib.contextmanager
def _browser_on(site: Path) -> Iterator[tuple[Any, str] | None]:
    """Chromium (Playwright) and the site served on a free loopback port: (browser, base URL),
    or None where Playwright or Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None
        return
    if not CHROMIUM.is_file():
        yield None
        return
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            try:
                yield browser, f"http://127.0.0.1:{server.server_address[1]}/"
            finally:
                browser.close()
    finally:
        server.shutdown()


def _fetched(browser: Any, url: str, then: Callable[[Any], None] | None = None) -> list[str]:
    """The paths of every request a fresh page makes, loading ``url`` until the network is idle
    (and doing ``then`` with the page, if given)."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(urllib.parse.urlsplit(r.url).path))
    page.goto(url, wait_until="load")
    if then is not None:
        then(page)
    page.wait_for_load_state("networkidle")
    context.close()
    return fetched


def _sent_kb(site: Path, paths: list[str]) -> float:
    files = [site / p.lstrip("/") for p in paths]
    return round(sum(sent(f / "index.html" if f.is_dir() else f) for f in files if f.exists()) / 1024, 1)


def measured_first_visits(site: Path, pages: dict[str, str]) -> dict[str, float] | None:
    """What a first visit to each page really fetches, in Chromium, until the network is idle:
    the page, its styles and scripts, and whatever they fetch (compressed KB as a static host
    sends it). Catches what reading the HTML cannot: Material's script once fetched the site's
    whole sitemap on every page (see macros/formats/atom.py)."""
    with _browser_on(site) as running:
        if running is None:
            return None
        browser, base = running
        return {label: _sent_kb(site, _fetched(browser, base + path)) for label, path in pages.items()}


def measured_searches(site: Path) -> dict[str, float] | None:
    """What a first search really fetches from Pagefind's bundle, in Chromium (compressed KB as
    a static host sends it), for three queries: a group's name, a place's name and a common
    word. None where Playwright or Chromium is missing."""
    queries = [
        q
        for q in (
            _page_title(next(iter(sorted((site / "groups").glob("*/index.html"))), site / "none")),
            _page_title(next(iter(sorted((site / "places").glob("*/index.html"))), site / "none")),
            "attack",
        )
        if q
    ]

    def results(page: Any) -> None:
        page.wait_for_selector(".wiki-search__result, .wiki-search__status:has-text('No results')")

    with _browser_on(site) as running:
        if running is None:
            return None
        browser, base = running
        out: dict[str, float] = {}
        for query in queries:
            fetched = _fetched(browser, base + "about/?" + urllib.parse.urlencode({"q": query}), results)
            out[query] = _sent_kb(site, [p for p in fetched if "/pagefind/" in p])
        return out


INDEXED = re.compile(r"search: Pagefind indexed (\d+) pages in ([\d.]+) s")


def indexing_seconds(log: Path) -> float | None:
    """Pagefind's time in a build, from the build's log (macros/hook.py logs it)."""
    found = INDEXED.search(log.read_text(errors="replace")) if log.is_file() else None
    return float(found.group(2)) if found else None


def measure_offline(data: Path, archive: Path, folder: Path, logs: Path) -> dict[str, Any]:
    """``python -m macros.offline`` (make offline) on this knowledge base: time and ZIP size."""
    target = folder / "sahel-wiki-offline.zip"
    m = measure(
        [sys.executable, "-m", "macros.offline", "--output", str(target)],
        environment(data, archive),
        logs / "offline.log",
    )
    if m["code"] or not target.is_file():
        return {"error": f"make offline failed: see {logs / 'offline.log'}"}
    size = target.stat().st_size
    target.unlink()
    return {"wall_s": m["wall_s"], "rss_mb": m["rss_mb"], "zip_mb": round(size / 1_048_576, 2)}


def count_big_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if p.stat().st_size > MAX_PAGE_KB * 1024)


# --------------------------------------------------------------------------
# The floor: the same pages as static Markdown, plain mkdocs-material
# --------------------------------------------------------------------------


class _MacrosEnv:
    """Just enough of mkdocs-macros' env for ``macros.define_env`` (which registers the wiki's macros)."""

    def __init__(self, conf: Any) -> None:
        self.conf = conf
        self.variables: dict[str, Any] = {}
        self.macros: dict[str, Any] = {}

    def macro(self, func: Any, name: str | None = None) -> Any:
        self.macros[name or func.__name__] = func
        return func


#: Set by --floor-search for the floor's writer (a separate process): the floor also builds
#: Material's built-in search index, as a plain mkdocs-material site does.
FLOOR_SEARCH = "BENCH_FLOOR_SEARCH"


def write_floor(data: Path, archive: Path, floor: Path) -> int:
    """Write the generated pages and files, the hand-written docs and a plugin-free mkdocs.yml into ``floor``.

    The pages' Markdown comes from the wiki's own code in this process (``plan()`` and
    ``macros.hook.page_source``), so the floor builds exactly the same text.
    """
    import jinja2
    from mkdocs.config import load_config
    from mkdocs.utils.meta import get_data
    from mkdocs.utils.yaml import yaml_load

    import macros
    from macros.pages import plan

    old_env = {k: os.environ.get(k) for k in ("WIKI_DATA", "WIKI_ARCHIVE", "NO_MKDOCS_2_WARNING")}
    os.environ.update(environment(data, archive))
    try:
        with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
            config = yaml_load(f)
        env = _MacrosEnv(load_config(config_file=str(ROOT / "mkdocs.yml")))
        macros.define_env(env)  # load, validate, index: as the build does at on_config
    finally:
        for key, value in old_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    index = env.variables[macros.INDEX_VARIABLE]
    site = env.variables[macros.SITE_VARIABLE]

    docs = floor / "docs"
    if floor.exists():
        shutil.rmtree(floor)
    docs.mkdir(parents=True)

    def front(meta: dict[str, Any]) -> str:
        return "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\n\n" if meta else ""

    from macros.hook import generated_files, page_source
    from macros.stage import stage, write_if_changed

    specs = list(plan(index))
    # exactly the sources the hook gives MkDocs, and the downloads and other files it adds
    stage(specs, lambda spec: page_source(index, spec, site), lambda spec: docs / spec.uri)
    for name, content in generated_files(index):
        write_if_changed(docs / name, content())
    edition = macros.offline_zip(env.conf)  # the offline edition, if made: the hook publishes it too
    if edition.is_file():
        from macros.offline import ZIP_URI

        (docs / ZIP_URI).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(edition, docs / ZIP_URI)

    # Hand-written pages as the wiki renders them: pages that ask for macros go through Jinja.
    render_default = False
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "macros" in plugin:
            render_default = bool((plugin["macros"] or {}).get("render_by_default", True))
    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    src_docs = ROOT / config.get("docs_dir", "docs")
    for path in sorted(src_docs.rglob("*")):
        if not path.is_file():
            continue
        target = docs / path.relative_to(src_docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".md":
            shutil.copyfile(path, target)
            continue
        body, meta = get_data(path.read_text(encoding="utf-8"))
        if meta.pop("render_macros", render_default):
            body = jinja.from_string(body).render(**env.macros)
        target.write_text(front(meta) + body, encoding="utf-8")

    # The wiki's mkdocs.yml without the macros plugin and the hook.
    config["plugins"] = [
        p for p in (config.get("plugins") or []) if p != "macros" and not (isinstance(p, dict) and "macros" in p)
    ]
    config.pop("hooks", None)
    if os.environ.get(FLOOR_SEARCH) == "1":  # --floor-search: plain Material's own search, as before issue 19
        config["plugins"].append("search")
    config["docs_dir"] = str(docs)
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    config["watch"] = [str(ROOT / w) for w in config.get("watch") or []]
    # The hook adds its pages as not-in-nav; the same for static files, by folder.
    nav_uris = {s.uri for s in specs if s.in_nav}
    folders = sorted({s.uri.rsplit("/", 1)[0] for s in specs if not s.in_nav and "/" in s.uri})
    patterns = [f"/{d}/*.md" for d in folders] + [f"!/{u}" for u in sorted(nav_uris)]
    loose = sorted(s.uri for s in specs if not s.in_nav and "/" not in s.uri)
    patterns += [f"/{u}" for u in loose]
    if patterns:
        config["not_in_nav"] = "\n".join(patterns)
    (floor / "mkdocs.yml").write_text(json.dumps(config, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(specs)


# --------------------------------------------------------------------------
# Load + validate
# --------------------------------------------------------------------------


def measure_load(data: Path, archive: Path, repeat: int) -> dict[str, Any]:
    env = environment(data, archive)
    args = [str(data), str(archive), str(ROOT)]
    runs = [
        json.loads(subprocess.check_output([sys.executable, "-c", _LOAD_SNIPPET, *args], env=env, cwd=ROOT))
        for _ in range(repeat)
    ]
    steps = json.loads(subprocess.check_output([sys.executable, "-c", _STEPS_SNIPPET, *args], env=env, cwd=ROOT))
    return {
        "build_index_s": round(min(r["build_index_s"] for r in runs), 3),
        "runs_s": [round(r["build_index_s"], 3) for r in runs],
        "import_s": round(min(r["import_s"] for r in runs), 3),
        "steps_s": {k: round(v, 3) for k, v in steps.items()},
    }


# --------------------------------------------------------------------------
# mkdocs serve: time from editing a data file to the page showing it
# --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def measure_serve(data: Path, archive: Path, logs: Path, edits: int = 3) -> dict[str, Any]:
    """Start ``mkdocs serve``, edit one event title ``edits`` times, time until the page shows it."""
    events_dir = data / "events"
    path = sorted(events_dir.glob("*.yml"))[len(list(events_dir.glob("*.yml"))) // 2]
    original = path.read_text(encoding="utf-8")
    match = re.search(r"^- id: (\S+)\n(?:  .*\n)*?  title: (.*)$", original, re.MULTILINE)
    if not match:
        return {"error": f"no event title found in {path}"}
    event_id, title_line_start = match.group(1), match.start(2)
    line_end = original.index("\n", title_line_start)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/events/{event_id}/"
    # as `make serve` runs it: --dirty rebuilds only the pages an edit changes
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-w", str(data)]
    log = (logs / "serve.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=environment(data, archive), stdout=log, stderr=subprocess.STDOUT)
    result: dict[str, Any] = {"event": event_id, "file": path.name, "reload_s": []}
    try:
        deadline = started + 600
        while time.perf_counter() < deadline and fetch(url) is None:
            if proc.poll() is not None:
                return {**result, "error": f"mkdocs serve exited with {proc.returncode}; see {log.name}"}
            time.sleep(0.1)
        result["first_build_s"] = round(time.perf_counter() - started, 2)
        for n in range(edits):
            time.sleep(1.5)  # let the watcher settle after the previous build
            marker = f"Benchmark reload {n} {int(time.time())}"
            path.write_text(original[:title_line_start] + marker + original[line_end:], encoding="utf-8")
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < 120:
                page = fetch(url)
                if page and marker in page:
                    break
                time.sleep(0.05)
            else:
                result["reload_s"].append(None)
                continue
            result["reload_s"].append(round(time.perf_counter() - t0, 2))
    finally:
        path.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    done = [r for r in result["reload_s"] if r is not None]
    result["median_s"] = round(statistics.median(done), 2) if done else None
    return result


def mkdocs_build(strict: str, site: Path, config: Path | None = None, *options: str) -> list[str]:
    """The command line of one ``mkdocs build`` into ``site`` (the wiki's, or ``config``'s)."""
    chosen = ["-f", str(config)] if config is not None else []
    return [sys.executable, "-m", "mkdocs", "build", strict, *options, *chosen, "-d", str(site)]


def count_instructions(cmd: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> dict[str, Any]:
    """Instructions that each process of ``cmd`` executes, counted by valgrind's callgrind.

    Unlike times, the counts do not depend on what else the machine is doing; a build
    takes about 60 times as long as usual.  Forked processes (the wiki's rendering workers)
    are counted separately: the largest count stands for the wall time on enough cores,
    the sum for the CPU time.
    """
    with tempfile.TemporaryDirectory() as tmp, log.open("w") as out:
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.%p", *cmd],
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
        counts = []
        for path in Path(tmp).glob("cg.*"):
            with path.open(encoding="utf-8", errors="replace") as f:
                total = next((line.split()[1] for line in f if line.startswith(("summary:", "totals:"))), None)
            if total is not None:
                counts.append(int(total))
    return {"processes": sorted(counts, reverse=True), "largest": max(counts), "total": sum(counts)}


def measure_instructions(data: Path, archive: Path, floor: Path, logs: Path, strict: str) -> dict[str, Any]:
    env = environment(data, archive)
    build = count_instructions(mkdocs_build(strict, logs / "site-cg", None, "-q"), env, logs / "build-cg.log")
    floor_count = count_instructions(
        mkdocs_build(strict, logs / "floor-cg", floor / "mkdocs.yml", "-q"), env, logs / "floor-cg.log", cwd=floor
    )
    for d in ("site-cg", "floor-cg"):
        shutil.rmtree(logs / d, ignore_errors=True)
    return {
        "build": build,
        "floor": floor_count,
        "ratio_largest": round(build["largest"] / floor_count["largest"], 3),
        "ratio_total": round(build["total"] / floor_count["total"], 3),
    }


# --------------------------------------------------------------------------
# Profile
# --------------------------------------------------------------------------

_BUCKETS = (
    ("ours (macros/)", str(ROOT / "macros")),
    ("mkdocs-macros", "/mkdocs_macros/"),
    ("material", "/material/"),
    ("pymdownx", "/pymdownx/"),
    ("markdown", "/markdown/"),
    ("mkdocs", "/mkdocs/"),
    ("jinja2", "/jinja2/"),
    ("pydantic", "/pydantic"),
    ("yaml", "/yaml/"),
    ("babel", "/babel/"),
    ("python stdlib", "/lib/python3"),
)


def bucket(filename: str) -> str:
    for name, marker in _BUCKETS:
        if marker in filename:
            return name
    return "builtins/C" if filename.startswith("~") or filename.startswith("<") else "other"


def profile_build(size: int, data: Path, archive: Path, site: Path, logs: Path, strict: str) -> dict[str, Any]:  # noqa: PLR0917
    """cProfile one strict build; summarise self time by package and the top functions."""
    prof = RESULTS / f"build-{size}.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build", strict, "-q", "-d", str(site)]
    with (logs / f"profile-{size}.log").open("w") as out:
        subprocess.check_call(cmd, cwd=ROOT, env=environment(data, archive), stdout=out, stderr=subprocess.STDOUT)
    stats = pstats.Stats(str(prof))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _, ct, _) in raw.values())
    self_by: dict[str, float] = {}
    rows = []
    for (filename, line, func), (_cc, _nc, tt, ct, _callers) in raw.items():
        name = bucket(filename)
        self_by[name] = self_by.get(name, 0.0) + tt
        short = filename.replace(str(ROOT) + "/", "")
        short = re.sub(r".*site-packages/", "", short)
        rows.append(
            {"function": f"{short}:{line}({func})", "bucket": name, "cum_s": round(ct, 3), "self_s": round(tt, 3)}
        )
    rows.sort(key=lambda r: -r["cum_s"])
    top_by_bucket: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        lst = top_by_bucket.setdefault(row["bucket"], [])
        if len(lst) < 12:
            lst.append(row)
    return {
        "file": str(prof.relative_to(ROOT)),
        "total_s": round(total, 2),
        "self_s_by_bucket": dict(sorted(((k, round(v, 2)) for k, v in self_by.items()), key=lambda kv: -kv[1])),
        "top_cumulative": rows[:40],
        "top_by_bucket": top_by_bucket,
    }


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def run_size(size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    folder = work / f"kb-{size}"
    data, archive, logs = folder / "data", folder / "archive", folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    print(f"\n== {size} events", flush=True)
    t = time.perf_counter()
    stats = synth.generate(data, archive, size, seed=args.seed, overwrite=True)
    counts = stats.counts
    print(
        f"   generated in {time.perf_counter() - t:.1f} s: {counts.sources} sources, {counts.groups} groups, "
        f"{counts.people} people, {counts.places} places, {counts.relations} relations, "
        f"{stats.citations} citations",
        flush=True,
    )
    floor = folder / "floor"
    # In a fresh process, so that it runs the wiki's code as it is now (this run may take an hour).
    out = subprocess.check_output(
        [sys.executable, __file__, "--write-floor", str(data), str(archive), str(floor)], cwd=ROOT, text=True
    )
    pages = int(out.strip().splitlines()[-1])
    env = environment(data, archive)
    repeat = args.repeat if size <= args.repeat_up_to else 1
    wiki_site, floor_site = folder / "site", folder / "floor-site"
    builds, floors = [], []
    strict, strict_warnings = "--strict", []
    for r in range(repeat):
        b = measure(mkdocs_build(strict, wiki_site), env, logs / f"build-{r}.log")
        if b["code"] and strict == "--strict":
            # Still measure (the cost hardly depends on the warnings), but say so loudly.
            text = (logs / f"build-{r}.log").read_text(errors="replace").splitlines()
            strict_warnings = [line for line in text if line.startswith(("WARNING", "ERROR"))]
            print(
                f"   STRICT BUILD FAILED ({len(strict_warnings)} warnings, e.g. {strict_warnings[:1]}); "
                "measuring without --strict",
                flush=True,
            )
            strict = "--no-strict"
            b = measure(mkdocs_build(strict, wiki_site), env, logs / f"build-{r}.log")
        if b["code"]:
            sys.exit(f"wiki build failed at {size} events: see {logs / f'build-{r}.log'}")
        f = measure(
            mkdocs_build(strict, floor_site, floor / "mkdocs.yml"),
            env,
            logs / f"floor-{r}.log",
            cwd=floor,
        )
        if f["code"]:
            sys.exit(f"floor build failed at {size} events: see {logs / f'floor-{r}.log'}")
        builds.append(b)
        floors.append(f)
        print(
            f"   run {r + 1}/{repeat}: build {b['wall_s']:.2f} s (cpu {b['cpu_s']:.2f}) {b['rss_mb']:.0f} MB, "
            f"floor {f['wall_s']:.2f} s (cpu {f['cpu_s']:.2f}) {f['rss_mb']:.0f} MB",
            flush=True,
        )
    build_s = min(b["wall_s"] for b in builds)
    floor_s = min(f["wall_s"] for f in floors)
    build_cpu = min(b["cpu_s"] for b in builds)
    floor_cpu = min(f["cpu_s"] for f in floors)
    site = site_stats(wiki_site)
    floor_info = site_stats(floor_site)
    fastest = min(range(len(builds)), key=lambda i: builds[i]["wall_s"])
    indexing = indexing_seconds(logs / f"build-{fastest}.log")
    search = search_stats(wiki_site) | {
        "indexing_s": indexing,
        "indexing_share": round(indexing / build_s, 3) if indexing else None,
        # the floor runs no search (unless --floor-search): the wiki's ratio without Pagefind's share
        "ratio_without_indexing": round((build_s - indexing) / floor_s, 3)
        if indexing and os.environ.get(FLOOR_SEARCH) != "1"
        else None,
        "first_visit": first_visit(wiki_site),
        "first_search_measured_kb": measured_searches(wiki_site),
    }
    print(f"   search: {search}", flush=True)
    if size in args.offline:
        print("   offline edition (make offline) ...", flush=True)
        search["offline"] = measure_offline(data, archive, folder, logs)
        print(f"   offline: {search['offline']}", flush=True)
    load = measure_load(data, archive, args.load_repeat)
    print(f"   load+validate {load['build_index_s']:.3f} s {load['steps_s']}", flush=True)
    result = {
        "events": size,
        "counts": {k: getattr(counts, k) for k in ("sources", "groups", "people", "places", "relations")},
        "years": list(counts.years),
        "citations": stats.citations,
        "data_kb": round(stats.data_bytes / 1024),
        "strict_ok": not strict_warnings,
        "strict_warnings": strict_warnings[:20],
        "strict_warning_count": len(strict_warnings),
        "generated_pages": pages,
        "pages": site["pages"],
        "floor_pages": floor_info["pages"],
        "build": {"wall_s": build_s, "cpu_s": build_cpu, "rss_mb": max(b["rss_mb"] for b in builds), "runs": builds},
        "floor": {"wall_s": floor_s, "cpu_s": floor_cpu, "rss_mb": max(f["rss_mb"] for f in floors), "runs": floors},
        "ratio": round(build_s / floor_s, 3),
        "floor_search": os.environ.get(FLOOR_SEARCH) == "1",
        # Each build and its floor run back to back, so the machine's drift (minutes long) moves
        # both alike: the median of the pairs' ratios, beside the ratio of the fastest runs.
        "ratio_paired": round(
            statistics.median(b["wall_s"] / f["wall_s"] for b, f in zip(builds, floors, strict=True)), 3
        ),
        "ratio_cpu": round(build_cpu / floor_cpu, 3) if floor_cpu else None,
        "largest_html": {"path": site["largest_html"], "kb": site["largest_html_kb"]},
        "largest_five": site["largest_five"],
        "pages_over_500kb": count_big_pages(wiki_site),
        "site_mb": site["site_mb"],
        "floor_site_mb": floor_info["site_mb"],
        "search_index_kb": site["search_index_kb"],
        "search": search,
        "load_validate": load,
        "loadavg_1m_after": round(os.getloadavg()[0], 2),  # other work on the machine skews times
    }
    if size in args.instructions:
        print("   counting instructions (callgrind; slow) ...", flush=True)
        cg = measure_instructions(data, archive, floor, logs, strict)
        result["instructions"] = cg
        print(
            f"   instructions: build {cg['build']['processes']}, floor {cg['floor']['processes']}; "
            f"ratio {cg['ratio_largest']:.3f} (largest process), {cg['ratio_total']:.3f} (all processes)",
            flush=True,
        )
    if args.profile and size in args.profile:
        print("   profiling the build (cProfile) ...", flush=True)
        result["profile"] = profile_build(size, data, archive, folder / "site-profile", logs, strict)
        shutil.rmtree(folder / "site-profile", ignore_errors=True)
    if not args.keep:
        for d in (wiki_site, floor_site, floor):
            shutil.rmtree(d, ignore_errors=True)
    return result


def growth(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Time ratios between sizes whose event counts differ about tenfold."""
    rows = []
    for a in results:
        for b in results:
            factor = b["events"] / a["events"]
            if 9 <= factor <= 11:
                rows.append(
                    {
                        "from": a["events"],
                        "to": b["events"],
                        "events_x": round(factor, 2),
                        "build_x": round(b["build"]["wall_s"] / a["build"]["wall_s"], 2),
                        "build_cpu_x": round(b["build"]["cpu_s"] / a["build"]["cpu_s"], 2)
                        if a["build"]["cpu_s"]
                        else None,
                        "floor_x": round(b["floor"]["wall_s"] / a["floor"]["wall_s"], 2),
                        "load_x": round(b["load_validate"]["build_index_s"] / a["load_validate"]["build_index_s"], 2),
                    }
                )
    return rows


def targets(
    results: list[dict[str, Any]], grow: list[dict[str, Any]], serve: dict[str, Any] | None
) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: str, ok: bool | None) -> None:
        checks.append({"target": name, "value": value, "limit": limit, "pass": ok})

    for r in results:
        add(f"strict build at {r['events']}", f"{r['strict_warning_count']} warnings", "0", r["strict_ok"])
    for r in results:
        add(
            f"build/floor at {r['events']}",
            f"{r['ratio']} (cpu {r['ratio_cpu']}, paired runs {r.get('ratio_paired')})",
            f"≤ {MAX_RATIO}",
            r["ratio"] <= MAX_RATIO,
        )
    for g in grow:
        add(f"growth {g['from']}→{g['to']} (build)", g["build_x"], f"≤ {MAX_GROWTH}x", g["build_x"] <= MAX_GROWTH)
    big = next((r for r in results if r["events"] == 10000), None)
    if big:
        lv = big["load_validate"]["build_index_s"]
        add("load+validate at 10000", lv, f"< {MAX_LOAD_10K} s", lv < MAX_LOAD_10K)
        rss = big["build"]["rss_mb"]
        add("peak memory at 10000", rss, f"< {MAX_RSS_10K_MB:.0f} MB", rss < MAX_RSS_10K_MB)
    else:
        add("load+validate at 10000", None, f"< {MAX_LOAD_10K} s", None)
        add("peak memory at 10000", None, f"< {MAX_RSS_10K_MB:.0f} MB", None)
    for r in results:
        add(
            f"largest page at {r['events']}",
            f"{r['largest_html']['kb']} KB ({r['largest_html']['path']})",
            f"≤ {MAX_PAGE_KB:.0f} KB",
            r["largest_html"]["kb"] <= MAX_PAGE_KB,
        )
    for r in results:
        s = r.get("search") or {}
        share = s.get("indexing_share")
        if r["events"] >= 3000:
            add(
                f"indexing share at {r['events']}",
                share,
                f"≤ {MAX_INDEX_SHARE}",
                None if share is None else share <= MAX_INDEX_SHARE,
            )
        for label, visit in (s.get("first_visit") or {}).items():
            kb = max(visit["kb"], visit.get("measured_kb", 0))  # measured in Chromium where it could be
            add(
                f"first visit, {label}, at {r['events']}",
                kb,
                f"≤ {MAX_FIRST_VISIT_KB:.0f} KB",
                kb <= MAX_FIRST_VISIT_KB,
            )
        if "first_search_kb" in s:
            add(
                f"first search at {r['events']} (upper bound)",
                s["first_search_kb"],
                f"≤ {MAX_FIRST_SEARCH_KB:.0f} KB",
                s["first_search_kb"] <= MAX_FIRST_SEARCH_KB,
            )
        if s.get("first_search_measured_kb"):
            worst = max(s["first_search_measured_kb"].values())
            add(
                f"first search at {r['events']}, measured in Chromium (the largest of {s['first_search_measured_kb']})",
                worst,
                f"≤ {MAX_FIRST_SEARCH_KB:.0f} KB",
                worst <= MAX_FIRST_SEARCH_KB,
            )
            add(
                f"site files at {r['events']}", s["site_files"], f"< {MAX_SITE_FILES}", s["site_files"] < MAX_SITE_FILES
            )
            # extra.wiki.search: titles leaves Pagefind's bundle out and adds one title index (README)
            titles = s["site_files"] - s["bundle_files"] + 1
            label = f"site files at {r['events']} with search: titles"
            add(label, titles, f"< {MAX_SITE_FILES}", titles < MAX_SITE_FILES)
        if "offline" in s:
            add(f"offline ZIP at {r['events']}", s["offline"], "(reported)", None)
    if serve is not None:
        median = serve.get("median_s")
        add(
            f"serve reload at {serve.get('events')}",
            median,
            f"< {MAX_RELOAD_S} s",
            None if median is None else median < MAX_RELOAD_S,
        )
    return checks


def print_table(results: list[dict[str, Any]]) -> None:
    head = (
        "events",
        "pages",
        "build s",
        "floor s",
        "ratio",
        "cpu ratio",
        "build MB",
        "floor MB",
        "largest page",
        "KB",
        "site MB",
        "search KB",
        "load+val s",
    )
    rows = [
        (
            str(r["events"]),
            str(r["pages"]),
            f"{r['build']['wall_s']:.2f}",
            f"{r['floor']['wall_s']:.2f}",
            f"{r['ratio']:.2f}",
            f"{r['ratio_cpu'] or 0:.2f}",
            f"{r['build']['rss_mb']:.0f}",
            f"{r['floor']['rss_mb']:.0f}",
            r["largest_html"]["path"],
            f"{r['largest_html']['kb']:.0f}",
            f"{r['site_mb']:.1f}",
            f"{r['search_index_kb']:.0f}",
            f"{r['load_validate']['build_index_s']:.3f}",
        )
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    print()
    print("  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated event counts (default: %(default)s)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="builds per size, the fastest counts (default: 3)")
    parser.add_argument(
        "--repeat-up-to", type=int, default=3000, help="larger sizes are built once (default: %(default)s events)"
    )
    parser.add_argument("--load-repeat", type=int, default=3, help="fresh processes timing load+validate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip the mkdocs serve reload test")
    parser.add_argument("--serve-size", type=int, default=REAL_SIZE)
    parser.add_argument("--profile", default="", help="comma-separated sizes to also build under cProfile")
    parser.add_argument(
        "--instructions",
        default="",
        help="comma-separated sizes whose build and floor are also run under valgrind (callgrind) to count "
        "instructions, a ratio that the machine's load does not change (about 60 times slower)",
    )
    parser.add_argument(
        "--offline",
        type=lambda text: {int(s) for s in text.split(",") if s},
        default={REAL_SIZE, 3000},
        help="sizes at which to also build the offline edition (make offline; default: 300,3000)",
    )
    parser.add_argument(
        "--floor-search",
        action="store_true",
        help="the floor also builds Material's built-in search index (a plain mkdocs-material site's default, "
        "which the wiki replaced by Pagefind): the like-for-like floor for a build that includes its search",
    )
    parser.add_argument("--workdir", type=Path, default=RESULTS / "work")
    parser.add_argument("--keep", action="store_true", help="keep the built sites in the work folder")
    parser.add_argument("--out", type=Path, default=RESULTS / "bench.json")
    parser.add_argument(
        "--write-floor", nargs=3, type=Path, metavar=("DATA", "ARCHIVE", "FLOOR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.floor_search:
        os.environ[FLOOR_SEARCH] = "1"
    if args.write_floor:
        print(write_floor(*args.write_floor))
        return 0
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.profile = [int(s) for s in args.profile.split(",") if s.strip()]
    args.instructions = [int(s) for s in args.instructions.split(",") if s.strip()]
    if args.instructions and not shutil.which("valgrind"):
        parser.error("--instructions needs valgrind (apt-get install valgrind)")

    RESULTS.mkdir(parents=True, exist_ok=True)
    args.workdir.mkdir(parents=True, exist_ok=True)
    # Byte-compile the wiki's code first, as any normal run leaves it: where the environment
    # sets PYTHONDONTWRITEBYTECODE (some sandboxes and containers do), every build would
    # otherwise compile macros/ from source, a cost no user's second build pays.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "macros")], check=True)
    versions = {}
    for dist in ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "pydantic", "PyYAML"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[dist] = version(dist)
    report: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "versions": versions,
        "method": {
            "repeat": args.repeat,
            "repeat_up_to": args.repeat_up_to,
            "seed": args.seed,
            "rss": "/usr/bin/time -v" if TIME.is_file() else "getrusage(RUSAGE_CHILDREN)",
            "bytecode": "macros/ compiled before the builds (compileall)",
        },
        "sizes": [],
    }
    results = []
    for size in args.sizes:
        results.append(run_size(size, args, args.workdir))
        report["sizes"] = results
        args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")  # partial results survive a stop

    serve = None
    if args.serve:
        folder = args.workdir / f"kb-{args.serve_size}"
        data, archive = folder / "data", folder / "archive"
        if not (data / "sources.yml").is_file():
            synth.generate(data, archive, args.serve_size, seed=args.seed, overwrite=True)
        (folder / "logs").mkdir(parents=True, exist_ok=True)
        print(f"\n== mkdocs serve at {args.serve_size} events", flush=True)
        serve = {"events": args.serve_size, **measure_serve(data, archive, folder / "logs")}
        print(f"   first build {serve.get('first_build_s')} s; reloads {serve.get('reload_s')} s", flush=True)
        report["serve"] = serve

    grow = growth(results)
    report["growth"] = grow
    report["targets"] = targets(results, grow, serve)
    args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")

    print_table(results)
    if grow:
        print("\ngrowth (10x events):")
        for g in grow:
            print(
                f"  {g['from']} → {g['to']}: build {g['build_x']}x (cpu {g['build_cpu_x']}x), floor {g['floor_x']}x, "
                f"load+validate {g['load_x']}x"
            )
    for r in results:
        if "profile" in r:
            p = r["profile"]
            print(
                f"\nprofile of the {r['events']}-event build ({p['file']}, {p['total_s']} s under cProfile), "
                "self time by package:"
            )
            for name, secs in p["self_s_by_bucket"].items():
                print(f"  {name:18} {secs:8.2f} s")
    print("\ntargets:")
    for check in report["targets"]:
        status = {True: "PASS", False: "FAIL", None: "n/a "}[check["pass"]]
        print(f"  {status}  {check['target']}: {check['value']} (target {check['limit']})")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
