#!/usr/bin/env bash
# Creates .venv with the CPU build of PyTorch and installs Desire Visualizer into it.
# On a machine with an NVIDIA GPU, install the CUDA build of torch into .venv first, then run this.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -c "import torch" 2>/dev/null || pip install -q torch==2.13.0
pip install -q -e ".[dev]"
echo "ready: .venv/bin/visualizer --help"
