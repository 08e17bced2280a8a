"""axe-core (vendored, tests/web/vendor) run on a page: WCAG 2.1 A and AA rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The violations axe finds on the page as it is now. axe is evaluated through the
    browser's debugging protocol, which the page's CSP does not govern: the page is tested
    under its real policy."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text("utf-8"))
    result: list[dict[str, Any]] = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))", WCAG_21_AA)
    return result


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe on {page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations)
