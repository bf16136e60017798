"""Throughput of the affect stage on a synthetic journal built from real diary sentences.

The sentences ship with the package, so an installed copy benchmarks the same text as a checkout: English
(`data/bench_sentences.txt`: the 100 of `examples/journal.md` with more than three words) read by the English
path, and Chinese (`data/bench_sentences_zh.txt`: 60 diary sentences written for this benchmark) read by the
multilingual path. A Chinese entry's length counts 1.5 characters as one word, so `--words 150` gives entries
of about 225 characters, the same reading load.

`--baseline` also times a base-size single-task classifier (BERT-base with a 28-label head, random weights: the
same FLOPs and memory as a trained one) on a sample of the same sentences, in the same dtype and batching, in the
same process right after the reading: the speed of the whole reading is then stated as a ratio to it, which holds
across machines and loads where sentences/s do not.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import time
from pathlib import Path

SENTENCES = {"en": Path(__file__).with_name("data") / "bench_sentences.txt",
             "zh": Path(__file__).with_name("data") / "bench_sentences_zh.txt"}
CHARACTERS_PER_WORD = 1.5  # Chinese characters per English word of the same content (a common rule of thumb)


def _words(sentence: str, language: str) -> float:
    return len(sentence) / CHARACTERS_PER_WORD if language == "zh" else len(sentence.split())


def synthetic_journal(entries: int, words: int, seed: int = 0, language: str = "en") -> list[str]:
    """Entries of about `words` words, each a random draw of the shipped diary sentences (one per line)."""
    sentences = SENTENCES[language].read_text("utf-8").splitlines()
    rng = random.Random(seed)
    journal = []
    for _ in range(entries):
        picked: list[str] = []
        while sum(_words(s, language) for s in picked) < words:
            picked.append(rng.choice(sentences))
        journal.append(("" if language == "zh" else " ").join(picked))
    return journal


_COLD_LOAD = """
import sys, time
start = time.perf_counter()
from visualizer.affect.reader import load_model
load_model(sys.argv[1])
print(time.perf_counter() - start)
"""


def cold_load_seconds(weights: Path) -> float:
    """Imports plus weights in a fresh process: what a user waits for before the first reading."""
    result = subprocess.run([sys.executable, "-c", _COLD_LOAD, str(weights)], capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


BASELINE_SAMPLE = 1000  # sentences of the journal the BERT-base yardstick reads (about 10x slower than the reading)


def bert_base_sentences_per_s(tokenizer, sentences: list[str], bf16: bool) -> float:
    """Sentences/s of BERT-base (12 layers, 768 wide, 28-label classification head, random weights) on `sentences`,
    tokenised by the reading's tokenizer (the same uncased WordPiece vocabulary as bert-base-uncased), batched by
    length as the reading batches, under the same autocast."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from visualizer.affect.encoder import length_sorted_batches, pad

    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(num_labels=28)).eval()
    ids = [tokenizer(s, truncation=True, max_length=256)["input_ids"] for s in sentences]
    batches = length_sorted_batches([len(i) for i in ids], 8192, 256)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        model(*pad(ids[:8], tokenizer.pad_token_id))  # warm-up
        start = time.perf_counter()
        for batch in batches:
            input_ids, mask = pad([ids[i] for i in batch], tokenizer.pad_token_id)
            model(input_ids=input_ids, attention_mask=mask)
    return len(sentences) / (time.perf_counter() - start)


def bench_analyze(entries: int = 1000, words: int = 150, seed: int = 0, language: str = "en",
                  baseline: bool = False) -> dict:
    """Reading speed of one path: `language` "en" (the English model) or "zh" (the multilingual one); with
    `baseline`, also the BERT-base yardstick and the ratio of the two (peak RSS is taken before it loads)."""
    from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS
    from visualizer.affect.predict import native_bf16
    from visualizer.affect.reader import analyze, load_model

    weights = MULTILINGUAL_WEIGHTS if language == "zh" else WEIGHTS
    load_s = cold_load_seconds(weights)
    model = load_model(weights)
    paths = {"multilingual": model} if language == "zh" else {"model": model}
    journal = synthetic_journal(entries, words, seed, language)
    analyze(journal[:8], **paths)  # warm-up: first-call allocations are not throughput
    start = time.perf_counter()
    states = analyze(journal, **paths)
    seconds = time.perf_counter() - start
    sentences = sum(len(s.sentences) for s in states)
    figures = {
        "sentences_per_s": round(sentences / seconds, 1), "entries_per_s": round(entries / seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_s": round(load_s, 2), "analyze_s": round(seconds, 2), "entries": entries, "sentences": sentences,
        "words_per_entry": words, "language": language, "bf16": native_bf16(),
    }
    if baseline:
        read = [s.text for state in states for s in state.sentences]
        sample = random.Random(seed).sample(read, min(BASELINE_SAMPLE, len(read)))
        yardstick = bert_base_sentences_per_s(model.tokenizer, sample, native_bf16())
        figures |= {"bert_base_sentences_per_s": round(yardstick, 1),
                    "speed_ratio": round(figures["sentences_per_s"] / yardstick, 2)}
    return figures
