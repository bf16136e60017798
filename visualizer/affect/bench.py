"""Throughput of the affect stage on a synthetic journal built from real diary sentences.

The sentences (`data/bench_sentences.txt`: the 100 of `examples/journal.md` with more than three words) ship with
the package, so an installed copy benchmarks the same text as a checkout and needs no `examples/` folder.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import time
from pathlib import Path

SENTENCES = Path(__file__).with_name("data") / "bench_sentences.txt"


def synthetic_journal(entries: int, words: int, seed: int = 0) -> list[str]:
    """Entries of about `words` words, each a random draw of the shipped diary sentences (one per line)."""
    sentences = SENTENCES.read_text("utf-8").splitlines()
    rng = random.Random(seed)
    journal = []
    for _ in range(entries):
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < words:
            picked.append(rng.choice(sentences))
        journal.append(" ".join(picked))
    return journal


_COLD_LOAD = """
import time
start = time.perf_counter()
from visualizer.affect.reader import load_model
load_model()
print(time.perf_counter() - start)
"""


def cold_load_seconds() -> float:
    """Imports plus weights in a fresh process: what a user waits for before the first reading."""
    result = subprocess.run([sys.executable, "-c", _COLD_LOAD], capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def bench_analyze(entries: int = 1000, words: int = 150, seed: int = 0) -> dict:
    from visualizer.affect.reader import analyze, load_model
    from visualizer.affect.predict import native_bf16

    load_s = cold_load_seconds()
    model = load_model()
    journal = synthetic_journal(entries, words, seed)
    analyze(journal[:8], model)  # warm-up: first-call allocations are not throughput
    start = time.perf_counter()
    states = analyze(journal, model)
    seconds = time.perf_counter() - start
    sentences = sum(len(s.sentences) for s in states)
    return {
        "sentences_per_s": round(sentences / seconds, 1), "entries_per_s": round(entries / seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_s": round(load_s, 2), "analyze_s": round(seconds, 2), "entries": entries, "sentences": sentences,
        "words_per_entry": words, "bf16": native_bf16(),
    }
