"""`visualizer eval goemotions|emobank|dreaddit PATH [--json]`: metrics of the shipped heads on a labelled file.

`visualizer eval zh-emotions PATH [--json]`: the multilingual reading on Chinese posts (JSON lines `{"text", "label"}`
with the seven Weibo labels), scored as the top of the 28 probabilities summed into those groups.

`visualizer eval entries [PATH] [--data DIR] [--json]`: the whole-entry reading on multi-sentence entries, either
hand-written accounts (PATH, JSON lines `{"text", "label"}`) or entries assembled from the GoEmotions dev split.

`visualizer eval fresh DIR [--json]`: the whole reading (`analyze`: rules, crisis probe, harm net, both languages) on
a fresh held-back set's files (`training/fresh.py`): crisis flagged and false flags, harm wishes left as desires,
accounts' macro-F1, neutral-first rate and valence by group.
"""

from __future__ import annotations

import argparse
import json

from visualizer.errors import UserError
from visualizer.training.paths import SHARED_DATA


def register(subcommands) -> None:
    parser = subcommands.add_parser("eval", help="measure the affect heads on a labelled dataset file")
    parser.add_argument("dataset", choices=["goemotions", "emobank", "dreaddit", "entries", "zh-emotions", "fresh"])
    parser.add_argument("path", nargs="?",
                        help="GoEmotions TSV, EmoBank CSV, Dreaddit CSV or Chinese posts JSONL; entries: optional "
                             "accounts JSONL; fresh: the folder of a fresh held-back set")
    parser.add_argument("--data", default=str(SHARED_DATA),
                        help="entries without PATH: the data folder whose goemotions/dev.tsv the entries come from")
    parser.add_argument("--split", help="EmoBank: keep only rows of this split (e.g. test)")
    parser.add_argument("--weights", help="affect weights file (default: the shipped English ones; the shipped "
                        "multilingual ones for zh-emotions; not for fresh, which reads with both)")
    parser.add_argument("--json", action="store_true", help="print the metrics as one JSON object (last line)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from visualizer.training import evaluate
    from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS
    from visualizer.affect.reader import load_model

    if args.dataset != "entries" and not args.path:
        raise UserError(f"eval {args.dataset}: give the dataset " + ("folder" if args.dataset == "fresh" else "file"))
    if args.dataset == "fresh":
        from visualizer.training.fresh import evaluate_fresh

        if args.weights:  # analyze routes each text to the English or the multilingual model itself
            raise UserError("eval fresh reads with the shipped models of both languages; --weights does not apply")

        print(json.dumps(evaluate_fresh(args.path), indent=None if args.json else 2, ensure_ascii=False))
        return 0
    model = load_model(args.weights or (MULTILINGUAL_WEIGHTS if args.dataset == "zh-emotions" else WEIGHTS))
    if args.dataset == "zh-emotions":
        metrics = evaluate.eval_zh_emotions(model, args.path)
    elif args.dataset == "entries":
        metrics = evaluate.eval_entries(model, args.data, args.path)
    elif args.dataset == "goemotions":
        metrics = evaluate.eval_goemotions(model, args.path)
    elif args.dataset == "emobank":
        metrics = evaluate.eval_emobank(model, args.path, args.split)
    else:
        metrics = evaluate.eval_dreaddit(model, args.path)
    if args.json:
        print(json.dumps(metrics))
    else:
        print("\n".join(f"{k:>16}: {v:.4f}" if isinstance(v, float) else f"{k:>16}: {v}" for k, v in metrics.items()))
    return 0
