"""`visualizer eval goemotions|emobank|dreaddit PATH [--json]`: metrics of the shipped heads on a labelled file."""

from __future__ import annotations

import argparse
import json


def register(subcommands) -> None:
    parser = subcommands.add_parser("eval", help="measure the affect heads on a labelled dataset file")
    parser.add_argument("dataset", choices=["goemotions", "emobank", "dreaddit"])
    parser.add_argument("path", help="GoEmotions TSV, EmoBank CSV or Dreaddit CSV")
    parser.add_argument("--split", help="EmoBank: keep only rows of this split (e.g. test)")
    parser.add_argument("--weights", help="affect weights file (default: the shipped ones)")
    parser.add_argument("--json", action="store_true", help="print the metrics as one JSON object (last line)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from visualizer.affect import evaluate
    from visualizer.affect.analyze import load_model

    model = load_model(args.weights) if args.weights else load_model()
    if args.dataset == "goemotions":
        metrics = evaluate.eval_goemotions(model, args.path)
    elif args.dataset == "emobank":
        metrics = evaluate.eval_emobank(model, args.path, args.split)
    else:
        metrics = evaluate.eval_dreaddit(model, args.path)
    if args.json:
        print(json.dumps(metrics))
    else:
        print("\n".join(f"{k:>10}: {v:.4f}" if isinstance(v, float) else f"{k:>10}: {v}" for k, v in metrics.items()))
    return 0
