"""Phone first, at 390×844 and 1280×800: a heavy entry's help comes right under the input and is on screen after
Visualise, its numbers are links to dial, nothing on screen names a painful feeling or means; the status line says
what the page waits for; a filter never leaves a removed entry open; the exported site's pages put words first, fold
the technical table, reflow hard-wrapped text and never scroll sideways.

Screenshots land in test-artifacts/ (one per test and width).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from visualizer.affect.labels import EMOTIONS

pytestmark = pytest.mark.browser

THUMBNAIL = "#gallery-grid button.thumbnail-item"
PAINT_TIMEOUT_MS = 240_000  # the first picture waits for the affect model to load on 2 cores
OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"
HEAVY = "I can't do this anymore. Some nights I want to die."
MEANS = ("rope", "pills", "knife", "bridge edge", "self-harm")
WRAPPED = ("I walked down to the harbour this morning and watched the boats come in one\n"
           "by one while the fog lifted slowly over the water and the gulls kept calling.\n\n"
           "tired today\ncalled mum\nfelt better")


def named(text: str) -> list[str]:
    """Feelings (GoEmotions labels but the generic "desire" and "neutral") and means named in `text`."""
    words = [label for label in EMOTIONS if label not in ("desire", "neutral")] + list(MEANS)
    return [word for word in words if re.search(rf"\b{word}", text, re.I)]


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] < page.viewport_size["height"] and box["height"] > 0


def test_a_heavy_entry_puts_help_on_screen_right_under_the_input(app, sized_page, artifacts):
    page = sized_page
    page.goto(app.url)
    page.fill("#reflect-text textarea", HEAVY)
    page.click("#reflect-submit")
    page.wait_for_selector("#crisis-panel", state="visible", timeout=PAINT_TIMEOUT_MS)
    page.wait_for_function("() => window.scrollY > 0 || window.innerWidth >= 768")  # the page has scrolled to it
    page.wait_for_timeout(300)
    assert in_view(page, "#crisis-panel"), "the help is on screen without scrolling"
    panel, submit = page.locator("#crisis-panel").bounding_box(), page.locator("#reflect-submit").bounding_box()
    assert 0 < panel["y"] - (submit["y"] + submit["height"]) < 40, "right under the input"
    if page.width == 390:
        image = page.locator("#reflect-image").bounding_box()
        assert panel["y"] < image["y"] and panel["y"] < page.locator("#reflect-meters").bounding_box()["y"]
    page.screenshot(path=str(artifacts / f"phone_help_{page.width}px.png"))
    assert page.locator("#crisis-panel a[href^='tel:']").count() >= 4, "helpline numbers are links to dial"
    assert page.locator("#crisis-panel a[href='tel:988']").inner_text() == "988"
    page.wait_for_selector("#reflect-image img", timeout=PAINT_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('#reflect-status').innerText.trim()")
    assert not page.locator("#reflect-emotions").is_visible(), "no emotion chart for a heavy entry"
    page.get_by_text("Technical details").click()
    page.wait_for_selector("#reflect-explanation", state="visible")
    body = page.inner_text("body")
    assert body.count("Your words are still welcome here.") == 1
    assert not named(body), f"named on screen: {named(body)}"
    assert page.evaluate(OVERFLOW) <= 0


def test_the_result_comes_into_view_with_its_status(app, sized_page, artifacts):
    page = sized_page
    page.goto(app.url)
    page.fill("#reflect-text textarea", "Deadlines everywhere and I haven't slept. I just want a quiet weekend by the sea.")
    # the status may show for a moment only (a warm model reads fast): note where it first shows, as it shows
    page.evaluate("""() => { window.statusSeen = null; new MutationObserver(() => {
        const status = document.querySelector('#reflect-status');
        if (window.statusSeen || !status || !status.innerText.includes('⏳')) return;
        const a = status.getBoundingClientRect(), b = document.querySelector('#reflect-image').getBoundingClientRect();
        window.statusSeen = {top: a.top, bottom: a.bottom, imageTop: b.top};
    }).observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    page.click("#reflect-submit")
    page.wait_for_selector("#reflect-image img", timeout=PAINT_TIMEOUT_MS)
    seen = page.evaluate("window.statusSeen")
    assert seen, "a status showed while the picture was on its way"
    assert seen["top"] < seen["imageTop"] and seen["bottom"] <= seen["imageTop"] + 1, "where the picture will appear"
    page.wait_for_function("() => !document.querySelector('#reflect-status').innerText.trim()")
    assert in_view(page, "#reflect-result"), "the result is on screen"
    if page.width == 390:
        assert page.evaluate("window.scrollY") > 0, "the phone scrolled to the result"
    assert page.locator("#reflect-emotions").is_visible()
    page.screenshot(path=str(artifacts / f"phone_result_{page.width}px.png"))


def test_a_filter_closes_an_entry_it_removed(app, sized_page, seeded_folder):
    page = sized_page
    page.goto(app.url)
    page.get_by_role("tab", name="Gallery").click()
    box = page.locator("#gallery-folder input")
    box.click()
    box.fill("")
    page.get_by_role("option", name=str(seeded_folder)).click()
    page.wait_for_function(f"() => document.querySelectorAll('{THUMBNAIL}').length === 5")
    page.locator(THUMBNAIL).first.click()  # 2024-03-01
    page.wait_for_selector("#gallery-details:has-text('2024-03-01')")
    page.locator("#gallery-to textarea").fill("2024-03-10")
    page.locator("#gallery-to textarea").press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('{THUMBNAIL}').length === 3")
    assert "2024-03-01" in page.inner_text("#gallery-details"), "still shown: the pane keeps it"
    page.locator("#gallery-from textarea").fill("2024-03-04")
    page.locator("#gallery-from textarea").press("Enter")
    page.wait_for_function(f"() => document.querySelectorAll('{THUMBNAIL}').length === 2")
    page.wait_for_selector("#gallery-details:has-text('Pick a picture')")
    assert not page.locator("#gallery-picture img").count()
    timeline = page.locator("#gallery-timeline img")
    assert timeline.count() == 1 and timeline.bounding_box()["width"] <= 520 + 1
    assert page.evaluate(OVERFLOW) <= 0


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """An exported site of three entries: a hard-wrapped one, a heavy one, a short one (stand-in readings)."""
    from visualizer.affect import VAD, Desire, InnerState
    from visualizer.gallery import export_site
    from visualizer.ingest import Entry
    from visualizer.painting import RenderSettings
    from visualizer.pipeline import render_journal

    def analyze(texts):
        states = []
        for text in texts:
            emotions = dict.fromkeys(EMOTIONS, 0.02) | {"sadness": 0.6, "disapproval": 0.4}
            state = InnerState(text, emotions, ["sadness"], VAD(2.2, 3.0, 2.4), 0.7, stressors=["work"],
                               desires=[Desire("a quiet weekend by the sea", 0.7, "I just want")])
            state.crisis = "anymore" in text
            state.desires = [] if state.crisis else state.desires
            states.append(state)
        return states

    base = tmp_path_factory.mktemp("site")
    entries = [Entry(dt.date(2024, 3, 1), WRAPPED, "j.md"), Entry(dt.date(2024, 3, 2), HEAVY, "j.md"),
               Entry(dt.date(2024, 3, 3), "I just want a quiet weekend by the sea.", "j.md")]
    render_journal(entries, base / "out", RenderSettings(backend="motif", size=128), analyze=analyze)
    return export_site(base / "out", base / "site")


def test_site_pages_put_words_first_and_fit_a_phone(site, sized_page, artifacts):
    page = sized_page
    for path in [site / "index.html", *sorted((site / "entries").glob("*.html"))]:
        page.goto(path.as_uri())
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= page.width, f"{path.name} is {width} px wide on a {page.width} px screen"
        page.screenshot(path=str(artifacts / f"site_{path.stem}_{page.width}px.png"), full_page=True)
    wrapped, heavy, _ = sorted((site / "entries").glob("*.html"))
    page.goto(wrapped.as_uri())
    assert not page.locator("details.technical table").first.is_visible(), "the technical table is folded"
    order = [page.locator(s).first.bounding_box()["y"] for s in (".reflection", ".plain", "blockquote", ".meter")]
    assert order == sorted(order), "reflection, plain words, the text, then the reading"
    quoted = page.inner_text("blockquote")
    assert "come in one by one" in quoted, "a hard-wrapped paragraph reflows to the screen"
    assert "tired today\ncalled mum" in quoted, "a diary of one thought per line keeps its lines"
    page.goto(heavy.as_uri())
    assert in_view(page, ".help") and page.locator(".help a[href='tel:988']").count() == 1
    assert not named(page.inner_text("body")), named(page.inner_text("body"))
