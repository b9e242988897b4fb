"""What the browser tests check on every page a user reaches: screenshots, width on a phone, an axe scan."""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOTS

# axe-core as bundled by axe-playwright-python (no network), limited to WCAG 2.1 A and AA.
AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


class Screenshots:
    """Save a full-page screenshot of every page visited, numbered in visiting order, under screenshots/browser/<set>/."""

    def __init__(self, name: str):
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.taken: list[Path] = []

    def __call__(self, page: Page, name: str) -> None:
        path = self.folder / f"{len(self.taken) + 1:02d}-{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        page.screenshot(path=path, full_page=True)
        self.taken.append(path)


def page_width(page: Page) -> int:
    """Return how wide the page's content is, in CSS pixels (wider than the viewport means sideways scrolling)."""
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def wider_than_viewport(page: Page) -> list[str]:
    """Return a description of each visible element that sticks out to the right of the viewport (to say what to fix)."""
    return page.evaluate("""() => {
        const limit = document.documentElement.clientWidth;
        const out = [];
        for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > limit + 0.5 && getComputedStyle(el).visibility !== 'hidden') {
                out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(box.right)}`);
            }
        }
        return out.slice(0, 8);
    }""")


def against_the_edges(page: Page, gutter: int = 8) -> list[str]:
    """Return the visible texts, links and controls closer than `gutter` px to the left or right edge of the screen.

    On a phone, words that start at the very edge are hard to read and controls there are hard to tap.
    """
    return page.evaluate("""(gutter) => {
        const width = document.documentElement.clientWidth;
        const out = [];
        const selector = 'a, button, input, select, textarea, label, p, li, dt, dd, h1, h2, h3, h4, span, td, th, legend';
        for (const el of document.body.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (box.width <= 1 || box.height <= 1 || box.bottom < 0 || box.right < 0 || style.visibility === 'hidden') continue;
            const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!ownText && !el.matches('input, select, textarea, button')) continue;
            if (box.left < gutter - 0.5 || box.right > width - gutter + 0.5) {
                out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" x=${Math.round(box.left)}..${Math.round(box.right)}`);
            }
        }
        return out;
    }""", gutter)


def axe_violations(page: Page) -> list[str]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; return one line per violating element."""
    response = AXE.run(page, options=AXE_OPTIONS).response
    return [f"{v['id']} ({v['impact']}): {node['target']} — {' '.join(node['failureSummary'].split())}"
            for v in response["violations"] for node in v["nodes"]]

