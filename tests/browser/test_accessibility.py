"""Accessibility: axe-core finds no serious or critical violation, in light and dark mode.

axe runs once per page and colour scheme (cached). Problems found here earlier and fixed:
the search dialog had no accessible name (overrides/partials/search.html), links in running
text were told apart by colour alone, and a few colours fell below 4.5:1 (docs/assets/wiki.css).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Server

PAGES = ["", "groups/northern-front/", "people/jane-doe/", "years/2020/", "chronology/", "map/"]
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme → Material's data-md-color-scheme


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:6]:
            target = " ".join(t if isinstance(t, str) else json.dumps(t) for t in node["target"])
            lines.append(f"    {target}: {node['html'][:160]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 6:
            lines.append(f"    … and {len(v['nodes']) - 6} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_run(chromium: Browser, server: Server, axe_source: str) -> Iterator[Callable[[str, str], list[dict[str, Any]]]]:
    """(path, scheme) → axe's serious and critical violations on that page.

    Each page is loaded once (system preference: light) and checked, then switched to dark mode
    with the header's palette toggle, as a reader does, and checked again. (Loading a page with
    prefers-color-scheme: dark gives the same 'slate' scheme; the toggle saves a second load.)"""
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    context = chromium.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def to_scheme(scheme: str) -> None:
        want = SCHEMES[scheme]
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == want:
            return
        toggle = page.locator(f"form[data-md-component='palette'] label[title^='Switch to {scheme}']")
        if toggle.count():
            # no colour transitions: axe must see the final colours, not a frame of the fade
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            toggle.first.click()
            page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{want}'")
        else:  # no toggle: set the scheme the way Material's palette does
            page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{want}')")

    def check(scheme: str) -> list[dict[str, Any]]:
        to_scheme(scheme)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]

    def run(path: str, scheme: str) -> list[dict[str, Any]]:
        if path and not (server.root / path / "index.html").is_file():
            pytest.skip(f"the site has no /{path} page")
        if (path, scheme) not in results:
            page.goto(server.url + path, wait_until="load")
            page.add_script_tag(content=axe_source)
            for each in SCHEMES:
                results[(path, each)] = check(each)
        return results[(path, scheme)]

    yield run
    context.close()


CASES = [pytest.param(path, scheme, id=f"{path or 'home'}-{scheme}") for path in PAGES for scheme in SCHEMES]


@pytest.mark.parametrize(("path", "scheme"), CASES)
def test_no_serious_violations(axe_run: Callable[[str, str], list[dict[str, Any]]], path: str, scheme: str) -> None:
    violations = axe_run(path, scheme)
    assert not violations, f"/{path} in {scheme} mode:\n" + describe(violations)
