"""The portrait on a phone (390 px) and a laptop (1280 px): the page `visualizer portrait` writes and the UI's
Portrait tab (its four tabs in one row on a phone), each with nothing wider than the screen, its calendar squares
and figure in view.

Run with `pytest -m browser tests/browser/test_portrait_browser.py`; screenshots land in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from visualizer.portrait import export

pytestmark = pytest.mark.browser

OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"
LOAD_ALL = """async () => {  // scroll through the page so every lazy picture loads, then wait for them
  for (let y = 0; y < document.body.scrollHeight; y += 500) { window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }
  await Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })));
  window.scrollTo(0, 0);
  return [...document.images].filter(i => !i.naturalWidth).map(i => i.getAttribute('src'));
}"""
WIDEST = """() => Math.max(...[...document.querySelectorAll('.portrait img, .portrait .months, .portrait h2')]
  .map(e => e.getBoundingClientRect().right))"""


def test_the_portrait_page_fits(sized_page, seeded_folder, tmp_path):
    page = sized_page
    export(seeded_folder, tmp_path / "portrait")
    page.goto((tmp_path / "portrait" / "index.html").as_uri())
    assert page.evaluate(LOAD_ALL) == [], "every picture of the page loads"
    assert page.evaluate(OVERFLOW) <= 0, f"the page scrolls sideways at {page.width} px"
    assert page.evaluate(WIDEST) <= page.width
    squares = page.locator(".portrait .days .day")  # 1 … 21 March 2024, five days with an entry
    assert squares.count() == 21 and page.locator(".portrait .days .day.empty").count() == 16
    assert squares.first.is_visible()
    assert page.locator(".portrait img.figure").bounding_box()["width"] <= page.width - 16
    assert "the sea" in page.inner_text(".portrait")  # the fixture's longing returns in every entry


def test_the_portrait_tab_fits(app, sized_page, seeded_folder):
    page = sized_page
    page.goto(app.url)
    tab = page.get_by_role("tab", name="Portrait")
    expect(tab).to_be_visible()  # in the tab row, not behind "More tabs"
    tab.click()
    box = page.locator("#portrait-folder input")
    box.click()
    box.fill("")
    page.get_by_role("option", name=str(seeded_folder)).click()
    page.click("#portrait-draw")
    page.wait_for_selector("#portrait-page .portrait .days .day", timeout=120_000)
    figure = page.locator("#portrait-figure img")
    expect(figure).to_have_attribute("src", re.compile(r"portrait\.png$"))
    figure.scroll_into_view_if_needed()
    assert figure.bounding_box()["width"] <= page.width
    assert page.locator("#portrait-page .portrait .days .day:not(.empty)").count() == 5
    assert page.evaluate(OVERFLOW) <= 0, f"the page scrolls sideways at {page.width} px"
