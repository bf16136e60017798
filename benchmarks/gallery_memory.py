"""Gallery export against journal size: wall-clock seconds and peak memory of `visualizer gallery --redact`.

Issue 20 asks that an export streams the store instead of holding every entry: on 5,000 one-line entries,
`gallery --redact` must peak under 800 MB. This script builds a render folder of N one-line entries without the
models (a Store filled directly, as `visualizer render` leaves it: varied readings drawn from a fixed seed, real
conditioning from `map_state`, 64 px pictures of noise), then runs the export in a child process and prints one
JSON line: entries, seconds, the child's own peak resident memory (wait4's rusage), the number of contact sheets
and the largest one's size, and the site's size.

    python benchmarks/gallery_memory.py N [--zip] [--keep DIR]

`--keep DIR` builds (or reuses) the render folder in DIR, so a second run measures the export alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from visualizer.affect import VAD, Desire, InnerState, SentenceState
from visualizer.affect.labels import EMOTIONS
from visualizer.gallery import Store
from visualizer.gallery.store import STORE_FILE, stem
from visualizer.ingest import Entry
from visualizer.mapping import map_state

VISUALIZER = Path(sys.executable).with_name("visualizer")
READINGS = 32  # distinct readings (and conditionings) the entries cycle through: mapping each entry would dominate
BATCH = 500


def _reading(text: str, rng: np.random.Generator) -> InnerState:
    """A plausible one-sentence reading: a few strong feelings, a mood, sometimes a desire."""
    probabilities = rng.dirichlet(np.full(len(EMOTIONS), 0.3))
    emotions = {label: float(p) for label, p in zip(EMOTIONS, probabilities)}
    active = [label for label, _ in sorted(emotions.items(), key=lambda item: -item[1])[:2]]
    vad = VAD(*(float(v) for v in rng.uniform(1.5, 4.5, 3)))
    stress = float(rng.uniform())
    desires = [Desire("the sea", float(rng.uniform(0.3, 1.0)), "I wish", 0)] if rng.uniform() < 0.3 else []
    sentence = SentenceState(text, emotions, vad, stress, desires)
    return InnerState(text, emotions, active, vad, stress, desires=desires, sentences=[sentence],
                      anxiety=float(rng.uniform()), interest=float(rng.uniform()))


def build_render_folder(out: Path, count: int) -> None:
    """`count` dated one-line entries (every 50th undated), each rendered to one 64 px picture."""
    rng = np.random.default_rng(20)
    readings = [_reading("A quiet day by the water.", rng) for _ in range(READINGS)]
    conditionings = [map_state(reading).to_dict() for reading in readings]
    first = dt.date(1970, 1, 1)
    entries = [Entry(None if i % 50 == 49 else first + dt.timedelta(days=i), f"Day {i}: a quiet day by the water.",
                     "journal.md", line=i + 1) for i in range(count)]
    # noise compresses worst of all, so the contact sheets' sizes are upper bounds for 64 px paintings
    pictures = [Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)) for _ in range(READINGS)]
    with Store(out) as store:
        store.add(entries)
        for start in range(0, count, BATCH):
            batch = entries[start:start + BATCH]
            store.save_states({e.key: readings[(start + i) % READINGS].to_dict() for i, e in enumerate(batch)})
        (out / "images").mkdir(exist_ok=True)
        for i, entry in enumerate(entries):
            image = out / "images" / f"{stem(entry.key, entry.date and entry.date.isoformat())}.png"
            pictures[i % READINGS].save(image)
            store.mark_rendered(entry.key, conditionings[i % READINGS], [image], {"size": 64}, "motif")


def measure_export(out: Path, site: Path, zip_too: bool) -> dict:
    """Run `visualizer gallery --redact` in a child process: its seconds and its own peak RSS (from wait4, so no
    other child's peak is counted)."""
    command = [str(VISUALIZER), "gallery", str(out), "--out", str(site), "--redact"] + (["--zip"] if zip_too else [])
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed")
    peak_kib = usage.ru_maxrss
    sheets = sorted(site.glob("contact_sheet*.png"))
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak_kib / 1024, 1), "contact_sheets": len(sheets),
            "largest_contact_sheet_mb": round(max((s.stat().st_size for s in sheets), default=0) / 2**20, 2),
            "site_mb": round(sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("entries", type=int)
    parser.add_argument("--zip", action="store_true", help="also write the zip (--zip)")
    parser.add_argument("--keep", type=Path, help="build the render folder here (reused when it holds a store)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gallery-memory-") as scratch:
        out = args.keep or Path(scratch) / "out"
        started = time.perf_counter()
        if not (out / STORE_FILE).is_file():
            build_render_folder(out, args.entries)
        built = time.perf_counter() - started
        with Store(out, readonly=True) as store:
            entries = sum(store.counts().values())
        result = {"entries": entries, "build_s": round(built, 1),
                  **measure_export(out, Path(scratch) / "site", args.zip)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
