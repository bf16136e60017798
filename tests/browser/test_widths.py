"""Each tab on a phone (390 px) and a laptop (1280 px): nothing wider than the page, the explanation in plain
words with the technical table folded away, animations as GIF and MP4, a chat's authors to choose from, readable
table headers, gallery tiles of one size, and clear words for a bad date or a folder that is not an output folder.

Run with `pytest -m browser tests/browser`; screenshots land in test-artifacts/ (one per test and width, and one
of Reflect before its technical details are opened).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

THUMBNAIL = "#gallery-grid button.thumbnail-item"
PAINT_TIMEOUT_MS = 240_000  # the first picture waits for the affect model to load on 2 cores
CHAT = Path(__file__).parent / "fixtures" / "chat.txt"
TILE_PX = (100, 260)  # a gallery tile is this wide whatever the number of pictures

OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"
HEADERS = """() => [...document.querySelectorAll('#journal-entries th')].map(th => {
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT), rects = [];
  while (walker.nextNode()) {
    if (!walker.currentNode.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(walker.currentNode);
    rects.push(...range.getClientRects());
  }
  const lines = new Set(rects.map(r => Math.round(r.top))).size;
  const text = rects.reduce((w, r) => w + r.width, 0);
  return {name: th.innerText.trim(), cell: th.getBoundingClientRect().width, text, lines};
})"""


def assert_fits(page) -> None:
    assert page.evaluate(OVERFLOW) <= 0, f"the page scrolls sideways at {page.width} px"


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def pick_folder(page, folder: Path) -> None:
    box = page.locator("#gallery-folder input")
    box.click()
    box.fill("")
    page.get_by_role("option", name=str(folder)).click()


def tile_sizes(page) -> list[tuple[float, float]]:
    return [(box["width"], box["height"]) for box in (tile.bounding_box() for tile in page.locator(THUMBNAIL).all())]


def set_slider(page, elem_id: str, value: int) -> None:
    """Set a Gradio slider and wait until its state holds the value.

    Opening an accordion can mount its sliders a second time, which resets a value typed in too early (seen
    about one run in five); so the value is typed again until the slider shows it.
    """
    box, slider = page.locator(f"{elem_id} input[type=number]"), page.locator(f"{elem_id} input[type=range]")
    for _ in range(5):
        box.fill(str(value))
        box.press("Enter")
        try:
            expect(slider).to_have_value(str(value), timeout=1000)
            return
        except AssertionError:
            continue
    expect(slider).to_have_value(str(value))


def test_reflect_fits_explains_in_plain_words_and_offers_the_animation(app, sized_page, artifacts, tmp_path):
    page = sized_page
    page.goto(app.url)
    page.fill("#reflect-text textarea", "I wish I could see the sea again. Work is crushing me and I can't sleep.")
    page.get_by_text("Art direction").click()
    set_slider(page, "#reflect-frames", 4)
    page.click("#reflect-submit")
    page.wait_for_selector("#reflect-download-gif", state="visible", timeout=PAINT_TIMEOUT_MS)
    page.wait_for_function("() => { const img = document.querySelector('#reflect-image img');"
                           " return img && img.complete && img.naturalWidth > 0; }")

    plain = page.locator("#reflect-plain")
    assert plain.is_visible() and "became the subject" in plain.inner_text() and "seed" in plain.inner_text()
    assert not page.locator("#reflect-explanation").is_visible(), "the technical table opens collapsed"
    assert_fits(page)
    page.screenshot(path=str(artifacts / f"reflect_plain_{page.width}px.png"), full_page=True)

    for fmt, magic in (("gif", b"GIF8"), ("mp4", b"ftyp"), ("png", b"\x89PNG")):
        button = "#reflect-download" if fmt == "png" else f"#reflect-download-{fmt}"
        with page.expect_download() as download:
            page.click(button)
        saved = tmp_path / f"picture.{fmt}"
        download.value.save_as(saved)
        assert download.value.suggested_filename.endswith(f".{fmt}") and magic in saved.read_bytes()[:12]

    page.get_by_text("Technical details").click()
    page.wait_for_selector("#reflect-explanation", state="visible")
    table = page.inner_text("#reflect-explanation")
    assert "what you long for" in table and "pleasantness" in table and "SD latent" not in table
    assert ("What it changed" in table) == (page.width > 640), "a phone shows rows as blocks, without the header"
    assert_fits(page)


def test_journal_reads_a_chat_per_author_with_readable_headers(app, sized_page):
    page = sized_page
    page.goto(app.url)
    open_tab(page, "Journal")
    page.set_input_files("#journal-file input[type=file]", str(CHAT))
    page.wait_for_selector("#journal-summary:has-text('3 entries')")
    page.wait_for_selector("#journal-author", state="visible")
    assert "2 people wrote in it" in page.inner_text("#journal-summary")

    headers = page.evaluate(HEADERS)
    assert [h["name"] for h in headers] == ["#", "Date", "Words", "Begins with"]
    for header in headers:
        assert header["lines"] == 1 and header["text"] <= header["cell"], f"header {header} wraps or is cut"
    assert_fits(page)

    page.locator("#journal-author input").click()
    page.get_by_role("option", name="Mia").click()
    page.wait_for_selector("#journal-summary:has-text(\"only Mia's messages\")")
    assert "2 entries" in page.inner_text("#journal-summary")
    assert page.locator("#journal-folder textarea, #journal-folder input").first.input_value() == "chat-Mia"
    assert_fits(page)


def test_gallery_fits_keeps_tiles_small_and_says_what_is_wrong(app, sized_page, seeded_folder, pair_folder):
    page = sized_page
    page.goto(app.url)
    open_tab(page, "Gallery")
    pick_folder(page, pair_folder)
    page.wait_for_function(f"() => document.querySelectorAll('{THUMBNAIL}').length === 2")
    for width, height in tile_sizes(page):
        assert TILE_PX[0] <= width <= TILE_PX[1] and abs(width - height) <= 2, "two pictures make two small tiles"
    assert_fits(page)

    page.locator("#gallery-from textarea").fill("2024-13-45")
    page.locator("#gallery-from textarea").press("Enter")
    page.wait_for_selector("#gallery-count:has-text('is not a date')")
    count = page.inner_text("#gallery-count")
    assert "YYYY-MM-DD" in count and "Showing" not in count and "still showing the 2 pictures" in count
    assert page.locator(THUMBNAIL).count() == 2 and page.locator("#gallery-timeline svg").count()
    assert "Error" not in page.inner_text("#gallery-grid") + page.inner_text("#gallery-timeline")
    page.locator("#gallery-from textarea").fill("")

    box = page.locator("#gallery-folder input")
    box.click()
    box.fill("/etc")
    box.press("Enter")
    page.wait_for_selector("#gallery-count:has-text('is not an output folder')")
    assert "holds a visualizer.sqlite" in page.inner_text("#gallery-count") and page.locator(THUMBNAIL).count() == 2
    assert_fits(page)

    pick_folder(page, seeded_folder)
    page.wait_for_function(f"() => document.querySelectorAll('{THUMBNAIL}').length === 5")
    assert "Showing 5 of 5 entries" in page.inner_text("#gallery-count")
    assert all(TILE_PX[0] <= width <= TILE_PX[1] for width, _ in tile_sizes(page))
    page.locator(THUMBNAIL).first.click()
    page.wait_for_selector("#gallery-plain:has-text('became')")
    assert not page.locator("#gallery-explanation").is_visible()
    assert_fits(page)
