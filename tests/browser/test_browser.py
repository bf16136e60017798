"""The web UI in a real browser: Reflect, Journal, Gallery, bad input, two users, auth.

Run with `pytest -m browser tests/browser`; timings of the Reflect tab are written to
test-artifacts/reflect_timings.json (measured, never asserted).
"""

from __future__ import annotations

import json
import time
import zipfile

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOAST = ".toast-body"
THUMBNAIL = "button.thumbnail-item"


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def submit(page, text: str) -> tuple[float, float]:
    """Clear (only a page that shows a reading: a fresh page has nothing to clear), type, press Visualise and see the
    reading's request leave with the text; seconds until the reading shows and until the picture shows."""
    if page.locator("#reflect-meters .dv-meter").count():
        page.click("#reflect-clear")
        page.wait_for_function("() => !document.querySelector('#reflect-meters .dv-meter')"
                               " && !document.querySelector('#reflect-image img')")
    page.fill("#reflect-text textarea", text)
    expect(page.locator("#reflect-text textarea")).to_have_value(text)
    start = time.perf_counter()
    sent = json.dumps(text, ensure_ascii=False)
    with page.expect_request(lambda r: "queue/join" in r.url and sent in (r.post_data or "")):  # the click was heard
        page.click("#reflect-submit")
    page.wait_for_selector("#reflect-meters .dv-meter")
    reading = time.perf_counter() - start
    page.wait_for_function("() => { const img = document.querySelector('#reflect-image img');"
                           " return img && img.complete && img.naturalWidth > 0; }")
    return reading, time.perf_counter() - start


def test_submit_text_shows_reading_then_image_with_explanation(app, page, artifacts, tmp_path):
    page.goto(app.url)
    submit(page, "The rain kept me inside all day.")  # warm-up: the first request may still load the model
    timings = [submit(page, text) for text in (
        "I miss my grandmother's kitchen. I wish I could smell her bread again, just once.",
        "Got the job!! I can't stop smiling, everything feels possible today.",
        "Deadlines everywhere and I haven't slept. I just want a quiet weekend by the sea.",
    )]
    (artifacts / "reflect_timings.json").write_text(json.dumps({
        "reading_s": [round(r, 3) for r, _ in timings], "image_s": [round(i, 3) for _, i in timings],
        "note": "seconds from pressing Visualise, motif backend, 512 px, measured in Chromium",
    }, indent=2))
    assert "You long for a quiet weekend by the sea." in page.inner_text("#reflect-reflection"), "a reflection"
    assert "became" in page.inner_text("#reflect-plain"), "the explanation in plain words shows first"
    assert not page.locator("#reflect-explanation").is_visible(), "the technical table waits, folded"
    page.get_by_text("Technical details").click()
    explanation = page.inner_text("#reflect-explanation")
    assert "What it changed" in explanation and "brightness" in explanation
    assert page.locator("#reflect-emotions svg").count() and "Valence" in page.inner_text("#reflect-meters")

    with page.expect_download() as download:
        page.click("#reflect-download")
    png = tmp_path / "reflection.png"
    download.value.save_as(png)
    with Image.open(png) as image:
        assert image.format == "PNG" and image.text, "the PNG carries its parameters in text chunks"


def test_new_seed_repaints(app, page):
    page.goto(app.url)
    submit(page, "A slow, grey Sunday.")
    before = page.locator("#reflect-image img").get_attribute("src")
    assert "seed 0" in page.inner_text("#reflect-plain")
    page.click("#reflect-again")
    page.wait_for_function("before => { const img = document.querySelector('#reflect-image img');"
                           " return img && img.getAttribute('src') !== before; }", arg=before)
    page.wait_for_function("() => !document.querySelector('#reflect-plain').innerText.includes('seed 0')")


def test_empty_submit_says_what_to_do(app, page):
    page.goto(app.url)
    page.click("#reflect-submit")
    assert "Write a few words" in page.locator(TOAST).first.inner_text()


def test_huge_paste_is_read_in_part_and_still_painted(app, page):
    page.goto(app.url)
    text = ("I keep walking the same streets and thinking about the sea. " * 3400)[:200_000]
    page.fill("#reflect-text textarea", text)
    page.click("#reflect-submit")
    page.wait_for_selector(f"{TOAST}:has-text('long text')")
    page.wait_for_selector("#reflect-image img")


def test_crisis_text_shows_where_to_find_help(app, page):
    page.goto(app.url)
    submit(page, "I can't do this anymore. Some nights I want to die.")
    panel = page.locator("#crisis-panel")
    assert panel.is_visible() and "findahelpline.com" in panel.inner_text()
    reflection = page.locator("#reflect-reflection")
    assert "alone" in reflection.inner_text() and "sad" not in reflection.inner_text()
    assert page.evaluate("() => !!(document.querySelector('#crisis-panel').compareDocumentPosition("
                         "document.querySelector('#reflect-reflection')) & Node.DOCUMENT_POSITION_FOLLOWING)"), \
        "help first, then the reflection, in the page's reading order (side by side on a wide screen)"
    submit(page, "Lovely walk by the river with friends.")
    assert not panel.is_visible()


def test_two_users_render_at_once(app, browser):
    """Two sessions press Visualise together: the queue serialises the renders, both get their picture."""
    results = {}
    contexts = [browser.new_context() for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    try:
        for page in pages:
            page.goto(app.url)
            page.wait_for_selector("#reflect-text textarea")
        for page, text in zip(pages, ("Dancing in the kitchen at midnight.", "Waiting for the test results.")):
            page.fill("#reflect-text textarea", text)
        for page in pages:
            page.click("#reflect-submit")
        for page in pages:
            page.wait_for_selector("#reflect-image img", timeout=120_000)
            results[page] = page.locator("#reflect-image img").get_attribute("src")
        assert len(set(results.values())) == 2, "each user gets their own picture"
        assert not pages[0].locator(f"{TOAST}.error").count() and not pages[1].locator(f"{TOAST}.error").count()
    finally:
        for context in contexts:
            context.close()


def test_journal_upload_renders_every_entry(app, page, journal_file):
    from visualizer.ingest import read_journal

    expected = len(read_journal(journal_file).entries)
    page.goto(app.url)
    open_tab(page, "Journal")
    page.set_input_files("#journal-file input[type=file]", str(journal_file))
    page.wait_for_selector(f"#journal-summary:has-text('{expected} entries')")
    page.click("#journal-render")
    page.wait_for_selector("#journal-result:has-text('Done')", timeout=300_000)
    expect(page.locator(f"#journal-gallery {THUMBNAIL}")).to_have_count(expected)
    # a second run resumes from the store: nothing is rendered twice
    page.click("#journal-render")
    page.wait_for_selector(f"#journal-result:has-text('{expected} already there')", timeout=120_000)
    expect(page.locator(f"#journal-gallery {THUMBNAIL}")).to_have_count(expected)


@pytest.mark.parametrize("name, payload, message", [
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    ("report.docx", None, "zip holds no"),
])
def test_bad_upload_shows_an_error(app, page, tmp_path, name, payload, message):
    path = tmp_path / name
    if payload is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(payload)
    page.goto(app.url)
    open_tab(page, "Journal")
    page.set_input_files("#journal-file input[type=file]", str(path))
    page.wait_for_selector(f"{TOAST}:has-text('{message}')")
    assert "Could not read the journal" in page.inner_text("#journal-summary")
    assert page.locator("#journal-render").is_disabled()


def test_gallery_filters_opens_and_exports_zip(app, page, seeded_folder, tmp_path):
    page.goto(app.url)
    open_tab(page, "Gallery")
    page.locator("#gallery-folder input").click()
    page.get_by_role("option", name=str(seeded_folder)).click()
    # The grid may still show the folder opened before (an earlier test's outputs) for a moment,
    # so wait for the seeded folder's five pictures rather than counting the first grid drawn.
    expect(page.locator(f"#gallery-grid {THUMBNAIL}")).to_have_count(5)

    page.locator("#gallery-from textarea").fill("2024-03-09")
    page.locator("#gallery-from textarea").press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('#gallery-grid {THUMBNAIL}').length === 3")

    page.locator(f"#gallery-grid {THUMBNAIL}").first.click()
    page.wait_for_selector("#gallery-details:has-text('Strongest feelings')")
    assert page.locator("#gallery-picture img").count() == 1
    assert page.locator("#gallery-timeline svg").count()

    page.click("#export-button")
    link = page.locator("#export-file a[download], #export-file a.download-link").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    archive = tmp_path / "site.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as site:
        names = site.namelist()
        assert any(n.endswith("index.html") for n in names)
        pages = "".join(site.read(n).decode("utf-8", "replace") for n in names if n.endswith(".html"))
    assert "harbour" not in pages, "redact is on by default: no diary text in the export"


def test_login_is_required_when_auth_is_on(auth_app, page, artifacts):
    user, password = auth_app.auth
    page.goto(auth_app.url)
    page.wait_for_selector("input[type=password]")
    page.screenshot(path=str(artifacts / "login_page.png"))
    assert not page.locator("#reflect-text").count()
    page.locator("input[type=text], input[name=username]").first.fill(user)
    page.fill("input[type=password]", "wrong")
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("text=/incorrect|invalid/i")
    assert not page.locator("#reflect-text").count()
    page.locator("input[type=text], input[name=username]").first.fill(user)
    page.fill("input[type=password]", password)
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("#reflect-text textarea")
