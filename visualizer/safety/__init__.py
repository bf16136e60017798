"""Safety: how an entry with signs of crisis is treated on every face (CLI, Journal, Reflect, film, gallery).

`policy` holds the gentle-picture rule: how such an entry is painted, whoever asks. The safety package imports
no stage above it: the mapping calls the policy, never the other way round.
"""

from visualizer.safety.policy import RULE_KEYS, GentlePicture

__all__ = ["GentlePicture", "RULE_KEYS"]
