"""Time and peak memory against journal size: render, a resume with nothing to do, and `gallery --redact`.

    .venv/bin/python benchmarks/journal_scale.py 1000 5000 20000 [--work DIR] [--size 64]

For each size N it writes a JSONL journal of N one-line entries (varied, seeded), then runs in a fresh process
each: `visualizer render` (the shipped reading, the motif painter at --size px), the same command again (a
resume with nothing to do) and `visualizer gallery --redact`. It prints one JSON line per size: seconds and peak
RSS (MB, of that process, from wait4) per step, the store's bytes per entry (after a WAL checkpoint; pictures
not counted) and the contact sheets' sizes. Figures belong on docs/speed.md with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

VISUALIZER = [sys.executable, "-m", "visualizer.cli"]
OPENINGS = ["Work was", "The morning felt", "Dinner with my sister was", "The walk home was", "Today was",
            "The meeting ran long and it was", "Rain all day, and I felt", "After the call I was"]
MOODS = ["quiet", "exhausting", "lovely", "tense", "grey", "bright", "lonely", "calm", "a relief", "strange"]
WISHES = ["", " I wish I could see the sea again.", " I miss my old friends.", " All I want is a long sleep.",
          " I can't wait for the weekend."]


def journal(path: Path, n: int, seed: int = 0) -> None:
    """N dated one-line entries, in the shape people export."""
    rng = random.Random(seed)
    last = dt.date(2026, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            day = (last - dt.timedelta(days=n - i)).isoformat()
            text = f"{rng.choice(OPENINGS)} {rng.choice(MOODS)} ({i}).{rng.choice(WISHES)}"
            out.write(json.dumps({"date": day, "text": text}) + "\n")


def measured(command: list[str]) -> dict:
    """Run `command` in its own process; its wall seconds, peak RSS in MB and exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    error = process.stderr.read().decode(errors="replace")[-400:] if status else ""
    process.stderr.close()
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024), "exit": status >> 8} | (
        {"error": error} if error else {})


def store_bytes_per_entry(folder: Path, n: int) -> int:
    with sqlite3.connect(folder / "visualizer.sqlite") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return round((folder / "visualizer.sqlite").stat().st_size / n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="+", help="journal sizes (entries)")
    parser.add_argument("--work", type=Path, default=Path("outputs/journal_scale"), help="where journals go")
    parser.add_argument("--size", type=int, default=64, help="picture side in pixels")
    args = parser.parse_args()
    for n in args.sizes:
        folder = args.work / f"n{n}"
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "journal.jsonl"
        journal(source, n)
        out, site = folder / "render", folder / "site"
        render = [*VISUALIZER, "render", str(source), "--out", str(out), "--backend", "motif", "--size", str(args.size)]
        result = {"entries": n, "size": args.size, "render": measured(render), "resume": measured(render)}
        result["store_bytes_per_entry"] = store_bytes_per_entry(out, n)
        result["gallery_redact"] = measured([*VISUALIZER, "gallery", str(out), "--out", str(site), "--redact"])
        result["contact_sheets_mb"] = [round(p.stat().st_size / 2**20, 1) for p in sorted(site.glob("contact_sheet*"))]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
