"""`visualizer bench analyze|render [--json]`: speed and memory figures (benchmarks, not tests)."""

from __future__ import annotations

import argparse
import json
import platform
from datetime import date

from visualizer.render.registry import BACKEND_METAVAR, backend_name


def register(subcommands) -> None:
    parser = subcommands.add_parser("bench", help="measure speed and memory of a stage")
    parser.add_argument("stage", choices=["analyze", "render"])
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object (last line)")
    group = parser.add_argument_group("analyze")
    group.add_argument("--entries", type=int, default=1000, help="synthetic journal size")
    group.add_argument("--words", type=int, default=150, help="words per synthetic entry (Chinese: 1.5 characters a word)")
    group.add_argument("--language", choices=["en", "zh"], default="en",
                       help="en: English diary sentences, English path; zh: Chinese ones, multilingual path")
    group.add_argument("--baseline", action="store_true",
                       help="also time BERT-base (28 labels, random weights) on the same sentences and give the ratio")
    group = parser.add_argument_group("render")
    group.add_argument("--backend", default="motif", type=backend_name, metavar=BACKEND_METAVAR,
                       help="render backend (default: motif)")
    group.add_argument("--model", help="diffusion model id, folder or .safetensors file")
    group.add_argument("--size", type=int, default=512, help="image side in pixels")
    group.add_argument("--steps", type=int, help="denoising steps (diffusion)")
    group.add_argument("--batch", type=int, help="images per batch")
    group.add_argument("--frames", type=int, default=24, help="frames in the sequence benchmark")
    group.add_argument("--device", help="cuda, mps or cpu")
    group.add_argument("--compile", action="store_true", help="torch.compile the UNet (diffusion)")
    group.add_argument("--tiny-vae", action="store_true", help="decode with AutoencoderTiny (diffusion)")
    group.add_argument("--random-weights", action="store_true",
                       help="full-size architecture with random weights (same FLOPs and memory as the real model)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.stage == "analyze":
        from visualizer.training.bench import bench_analyze

        figures = bench_analyze(args.entries, args.words, language=args.language, baseline=args.baseline)
    else:
        from visualizer.render.bench import bench_render

        figures = bench_render(args)
    figures |= {"machine": f"{platform.machine()} {platform.processor() or ''}".strip(), "date": date.today().isoformat()}
    if args.json:
        print(json.dumps(figures))
    else:
        print("\n".join(f"{k:>18}: {v}" for k, v in figures.items()))
    return 0
