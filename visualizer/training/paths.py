"""Where training and evaluation find their data, declared once.

Both are folders of the checkout, read from the working directory, as `visualizer train` and `visualizer eval` are
run from the checkout's root; neither ships in the wheel. `SHARED_DATA` holds the public datasets (GoEmotions,
EmoBank, Dreaddit, the Weibo posts…; sources and terms in its README); `OWN_DATA` the lines we wrote to train on;
`EVALUATION_DATA` the dev and held-back sets we wrote to measure with, never trained on.
"""

from __future__ import annotations

from pathlib import Path

SHARED_DATA = Path("../shared/data")
OWN_DATA = Path("data/training")
EVALUATION_DATA = Path("data/evaluation")
