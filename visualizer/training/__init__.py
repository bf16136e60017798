"""Training, evaluation, datasets and benchmarks of the reading: the lab beside the house.

The runtime reading (`visualizer.affect`, `visualizer.safety`) never imports this package; this package imports
them to train their heads and probes, measure them and time them. Heavy dependencies (torch, scikit-learn, the
datasets) load inside the functions that need them.
"""
