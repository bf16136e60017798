"""One folder, one writer: a second writer stops (or waits), a killed writer's lock never blocks."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from visualizer.errors import UserError
from visualizer.gallery.lock import LOCK_FILE, writer_lock
from visualizer.gallery.store import Store

ROOT = Path(__file__).resolve().parents[1]
HOLD = """
import sys, time
from visualizer.gallery.lock import writer_lock
with writer_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(folder: Path, seconds: float) -> subprocess.Popen:
    """Another process that holds the lock of `folder` for `seconds`; returns once it holds it."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), str(seconds)], stdout=subprocess.PIPE,
                               text=True, cwd=ROOT)
    assert process.stdout.readline().strip() == "locked"
    return process


def test_second_writer_stops_naming_folder_and_holder(tmp_path):
    holder = _holder(tmp_path, 60)
    try:
        with pytest.raises(UserError) as error:
            with writer_lock(tmp_path):
                pass
        message = str(error.value)
        assert message.startswith(f"{tmp_path} is being rendered by another process (pid {holder.pid}, started at ")
        assert message.endswith("; wait for it to finish or choose another --out folder")
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_writer_is_taken_over_with_a_note(tmp_path):
    holder = _holder(tmp_path, 60)
    holder.kill()  # SIGKILL: no cleanup runs, the record stays in the file
    holder.wait()
    with writer_lock(tmp_path) as note:
        assert note is not None and note.startswith(f"took over a stale lock left by pid {holder.pid}, started at ")
        assert json.loads((tmp_path / LOCK_FILE).read_text())["pid"] != holder.pid


def test_clean_release_leaves_no_stale_note(tmp_path):
    with writer_lock(tmp_path) as note:
        assert note is None
    assert (tmp_path / LOCK_FILE).read_text() == ""
    with writer_lock(tmp_path) as note:
        assert note is None


def test_one_process_cannot_hold_a_folder_twice(tmp_path):
    """The lock belongs to the open file, so two renders in one process (UI threads) exclude each other too."""
    with writer_lock(tmp_path):
        with pytest.raises(UserError, match="is being rendered by another process"):
            with writer_lock(tmp_path):
                pass


def test_waiting_writer_goes_on_once_the_holder_finishes(tmp_path):
    holder = _holder(tmp_path, 1.0)
    started = time.monotonic()
    with writer_lock(tmp_path, wait=30) as note:
        assert time.monotonic() - started >= 0.8  # it waited for the holder's second
        assert note is None  # the holder released cleanly
    holder.wait()


def test_waiting_gives_up_after_the_timeout(tmp_path):
    holder = _holder(tmp_path, 60)
    try:
        started = time.monotonic()
        with pytest.raises(UserError, match=r"and still is after 0\.5 s"):
            with writer_lock(tmp_path, wait=0.5):
                pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()


# -- end to end: needs render_journal to hold writer_lock around the run -------------------------------------

RENDER = [sys.executable, "-m", "visualizer.cli", "render", str(ROOT / "examples" / "journal.md"), "--backend", "motif"]


def _start_render(out: Path) -> subprocess.Popen:
    """A first `render` into `out`, returned once it holds the folder's lock."""
    first = subprocess.Popen([*RENDER, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=ROOT)
    deadline = time.monotonic() + 120
    while first.poll() is None and time.monotonic() < deadline:
        try:
            if json.loads((out / LOCK_FILE).read_text())["pid"] == first.pid:
                return first
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    first.kill()
    pytest.fail(f"`visualizer render` never held {out / LOCK_FILE} (does render_journal take writer_lock?): "
                f"{first.communicate()[1][-2000:]}")


def _attempts(out: Path) -> list[int]:
    with Store(out, readonly=True) as store:
        return [row["attempts"] for row in store.entries()]


def test_second_render_on_a_busy_folder_stops_and_nothing_renders_twice(tmp_path):
    out = tmp_path / "out"
    first = _start_render(out)
    second = subprocess.run([*RENDER, "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    _, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err[-2000:]
    assert second.returncode != 0
    assert f"{out} is being rendered by another process (pid {first.pid}, started at " in second.stderr
    attempts = _attempts(out)
    assert attempts and set(attempts) == {1}


def test_second_render_with_wait_goes_on_after_the_first(tmp_path):
    out = tmp_path / "out"
    first = _start_render(out)
    second = subprocess.run([*RENDER, "--out", str(out), "--wait", "600"], capture_output=True, text=True, cwd=ROOT)
    first.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-2000:]
    assert " 0 rendered, " in second.stdout
    attempts = _attempts(out)
    assert attempts and set(attempts) == {1}
