"""Browser test harness: the real app in a subprocess on a free localhost port, driven by Debian Chromium.

Playwright's own browser download is never used (`playwright install` needs the internet); the tests
launch /usr/bin/chromium and skip with a clear reason when it (or Playwright) is missing. Every test
leaves a full-page screenshot in test-artifacts/ (also on failure), and the app's log is printed when
a test fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("VISUALIZER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-dev-shm-usage"]
START_TIMEOUT_S = 180
AUTH = ("tester", "open-sesame")


def pytest_collection_modifyitems(items):
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright is not installed (pip install -e '.[dev]')"
    if reason is None and not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing; install Debian chromium (.ci/browser.sh)"
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """`python app.py` on a free port; `url` once it answers. Its TMPDIR is `tmpdir`, beside the log, so a
    test can find the app's temporary folder."""

    def __init__(self, out_dir: Path, log: Path, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.tmpdir = log.parent / "tmp"
        self.tmpdir.mkdir(exist_ok=True)
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1",
               "TMPDIR": str(self.tmpdir)}
        env.pop("VISUALIZER_AUTH", None)
        command = [sys.executable, str(ROOT / "app.py"), "--port", str(self.port), "--out-dir", str(out_dir),
                   "--backend", "motif", *extra]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited with {self.process.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"app did not answer on {self.url} within {START_TIMEOUT_S}s:\n{self.tail()}")

    def temporary_folders(self) -> list[Path]:
        from visualizer.ui.workspace import PREFIX

        return sorted(self.tmpdir.glob(f"{PREFIX}*"))

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("outputs")


@pytest.fixture(scope="session")
def app(out_dir, tmp_path_factory, seeded_folder, pair_folder):
    server = AppServer(out_dir, tmp_path_factory.mktemp("logs") / "app.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def auth_app(tmp_path_factory):
    base = tmp_path_factory.mktemp("auth")
    server = AppServer(base / "outputs", base / "app.log", "--auth", ":".join(AUTH), "--no-preload")
    server.auth = AUTH
    yield server
    server.stop()


@pytest.fixture
def fresh_app(tmp_path):
    """An app of the test's own (no preload), for tests that stop it themselves."""
    server = AppServer(tmp_path / "outputs", tmp_path / "app.log", "--no-preload")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


SCREEN_HEIGHTS = {390: 844, 1280: 800}  # a phone's and a laptop's screen; any other width gets 1000 px


def _page(request, browser, artifacts, width: int):
    """A fresh browser context `width` px wide; screenshot afterwards, app log on failure."""
    viewport = {"width": width, "height": SCREEN_HEIGHTS.get(width, 1000)}
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    page.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    if getattr(request.node, "failed_call", False):
        for name in ("app", "auth_app", "fresh_app"):
            if name in request.fixturenames:
                print(f"--- {name} log ---\n{request.getfixturevalue(name).tail()}")
    context.close()


@pytest.fixture
def page(request, browser, artifacts):
    yield from _page(request, browser, artifacts, 1400)


@pytest.fixture(params=[390, 1280], ids=["390px", "1280px"])
def sized_page(request, browser, artifacts):
    """A page the size of a phone's screen (390×844) or a laptop's (1280×800); `sized_page.width` says which."""
    for page in _page(request, browser, artifacts, request.param):
        page.width = request.param
        yield page


@pytest.fixture(scope="session")
def journal_file() -> Path:
    """The example journal shipped in examples/ when present, else the test fixture."""
    examples = sorted((ROOT / "examples").glob("journal*.md")) if (ROOT / "examples").is_dir() else []
    return examples[0] if examples else Path(__file__).parent / "fixtures" / "journal.md"


def _seed(folder: Path, count: int | None = None) -> Path:
    """Render the fixture journal (its first `count` entries) into `folder` before the app starts (motif
    backend, a stand-in reader: no model load)."""
    from visualizer.affect import VAD, Desire, InnerState
    from visualizer.affect.labels import EMOTIONS
    from visualizer.ingest import read_journal
    from visualizer.painting import RenderSettings
    from visualizer.pipeline import render_journal

    moods = [("joy", 4.2, 0.1), ("sadness", 2.0, 0.5), ("nervousness", 2.6, 0.8), ("gratitude", 4.0, 0.2)]

    def analyze(texts):
        states = []
        for i, text in enumerate(texts):
            label, valence, stress = moods[(len(text) + i) % len(moods)]
            emotions = dict.fromkeys(EMOTIONS, 0.02) | {label: 0.8}
            states.append(InnerState(text, emotions, [label], VAD(valence, 3.0, 3.0), stress,
                                     desires=[Desire("the sea", 0.6, "I wish")]))
        return states

    entries = read_journal(Path(__file__).parent / "fixtures" / "journal.md").entries[:count]
    render_journal(entries, folder, RenderSettings(backend="motif", size=128), analyze=analyze)
    return folder


@pytest.fixture(scope="session")
def seeded_folder(out_dir) -> Path:
    """An output folder of five painted entries."""
    return _seed(out_dir / "seeded")


@pytest.fixture(scope="session")
def pair_folder(out_dir) -> Path:
    """An output folder of two painted entries (a small gallery must not blow its tiles up)."""
    return _seed(out_dir / "pair", 2)
