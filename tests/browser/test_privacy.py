"""Nothing private over HTTP: the app serves the pictures its pages show and no other file, however the path
is spelt, and its temporary folder (Reflect pictures, Gradio's cache) is gone once the app is stopped.

Run with `pytest -m browser tests/browser`.
"""

from __future__ import annotations

import http.client
import os
import signal
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]  # the app's working directory (see conftest.AppServer)

FILE_ROUTES = ["/gradio_api/file=", "/gradio_api/file/", "/file="]
PICTURE_MAGIC = (b"\x89PNG", b"GIF8")


def fetch(server, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (no client-side normalisation of `..` or encoding)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def spellings(target: Path, inside: Path) -> dict[str, str]:
    """Ways to name `target`: absolute, relative to the app's cwd, climbing out of a served folder, encoded."""
    climb = f"{inside}/{'../' * (len(inside.parts) - 1)}{str(target).lstrip('/')}"
    return {"absolute": str(target), "relative": os.path.relpath(target, ROOT), "climbing": climb,
            "encoded": quote(str(target), safe=""), "encoded climbing": quote(climb, safe="")}


def show_a_reflection(page, text: str) -> str:
    """Type `text` in Reflect, wait for its picture; the picture's URL path."""
    page.fill("#reflect-text textarea", text)
    page.click("#reflect-submit")
    page.wait_for_function("() => { const img = document.querySelector('#reflect-image img');"
                           " return img && img.complete && img.naturalWidth > 0; }", timeout=180_000)
    return urlsplit(page.locator("#reflect-image img").get_attribute("src")).path


@pytest.fixture(scope="session")
def private_files(out_dir, seeded_folder) -> dict[str, Path]:
    """The store, a sidecar, a picture no page shows, and a full (unredacted) site export beside them."""
    from visualizer.gallery import export_site

    archive = export_site(seeded_folder, out_dir / "exports" / "seeded-site", redact=False, zip=True)
    images = seeded_folder / "images"
    return {"store": seeded_folder / "visualizer.sqlite", "sidecar": sorted(images.glob("*.json"))[0],
            "picture": sorted(images.glob("*.png"))[0], "export": archive}


@pytest.mark.parametrize("name", ["store", "sidecar", "picture", "export"])
def test_private_files_are_not_served_by_any_spelling(app, private_files, name):
    target = private_files[name]
    assert target.is_file() and target.stat().st_size
    [folder] = app.temporary_folders()
    served = []
    for route in FILE_ROUTES:
        for spelling, path in spellings(target, folder / "gradio").items():
            status, body = fetch(app, route + path)
            if not 400 <= status < 500 or body:
                served.append(f"{route}{path} ({spelling}): {status}, {len(body)} bytes")
    assert not served, "\n".join(served)


def test_the_picture_on_the_page_is_served_and_its_original_is_not(app, page):
    page.goto(app.url)
    shown = show_a_reflection(page, "I wish I could see the sea again, just once.")
    status, body = fetch(app, shown)
    assert status == 200 and body[:4] in PICTURE_MAGIC
    [folder] = app.temporary_folders()
    assert Path(unquote(shown.split("file=", 1)[1])).is_relative_to(folder / "gradio"), "a copy in Gradio's cache"
    originals = [p for p in folder.rglob("*.png") if "gradio" not in p.relative_to(folder).parts]
    assert originals, "Reflect paints into the app's temporary folder"
    assert fetch(app, "/gradio_api/file=" + str(originals[0])) == (404, b"")


def test_gallery_pictures_load_from_copies_in_gradios_cache(app, page, seeded_folder):
    page.goto(app.url)
    page.get_by_role("tab", name="Gallery").click()
    page.locator("#gallery-folder input").click()
    page.get_by_role("option", name=str(seeded_folder)).click()
    page.wait_for_function("() => { const imgs = [...document.querySelectorAll('#gallery-grid img')];"
                           " return imgs.length === 5 && imgs.every(i => i.complete && i.naturalWidth > 0); }")
    [folder] = app.temporary_folders()
    for src in page.locator("#gallery-grid img").evaluate_all("imgs => imgs.map(i => i.src)"):
        assert Path(unquote(urlsplit(src).path.split("file=", 1)[1])).is_relative_to(folder / "gradio")


def test_start_prints_one_address_and_no_gradio_hints(app):
    log = app.log.read_text()
    assert f"running at http://127.0.0.1:{app.port}" in log
    assert "share=True" not in log and "Running on local URL" not in log


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_the_app_removes_its_temporary_folder(fresh_app, page, signum):
    page.goto(fresh_app.url)
    show_a_reflection(page, "Deadlines everywhere; I just want a quiet weekend by the sea.")
    [folder] = fresh_app.temporary_folders()
    assert any((folder / "gradio").rglob("*.png")), "the page's copy in Gradio's cache"
    assert len(list(folder.rglob("*.png"))) >= 2, "and Reflect's own picture"
    fresh_app.process.send_signal(signum)
    fresh_app.process.wait(timeout=60)
    assert fresh_app.process.returncode == (128 + signum if signum == signal.SIGTERM else 0)
    assert not fresh_app.temporary_folders()
