"""`bench_render(args) -> dict`: speed of a render backend (called by `visualizer bench render`).

motif and tiny run anywhere; motif also reports `smoothness` (largest over mean change between consecutive
frames, goal ≤ 2) for a 12-frame sequence of a four-sentence entry and a mood film over four entries.
diffusion on a GPU builds full-size architectures with random weights (no download): `--model arch:sd-turbo`
(default; the SD 2.1-base UNet/VAE/OpenCLIP-H text encoder that sd-turbo ships) or `--model arch:sdxl` (SDXL
UNet, two text encoders); any other `--model` loads real weights. It times fp16 variants — SDPA vs classic
attention, channels-last, torch.compile (default and CUDA-graph "reduce-overhead" modes), full VAE vs
AutoencoderTiny — and a batch sweep, and reports the best plus each variant's speed-up in `variants`.
"""

from __future__ import annotations

import time

from visualizer.affect.state import VAD, Desire, InnerState, SentenceState
from visualizer.errors import UserError
from visualizer.mapping import map_state
from visualizer.affect.labels import EMOTIONS

ARCHITECTURES = ("arch:sd-turbo", "arch:sdxl")


def _state() -> InnerState:
    """A fixed two-sentence entry, so every run renders the same thing."""
    emotions = {e: 0.02 for e in EMOTIONS} | {"desire": 0.7, "sadness": 0.4, "optimism": 0.3}
    first = SentenceState("The office was loud and grey.", emotions | {"annoyance": 0.5}, VAD(2.5, 3.6, 2.6), 0.6)
    second = SentenceState("I long to see the sea again.", emotions, VAD(3.2, 2.8, 2.9), 0.2,
                           [Desire("the sea", 0.8, "I long to", 1)])
    return InnerState(text="The office was loud and grey. I long to see the sea again.", emotions=emotions,
                      active=["desire", "sadness"], vad=VAD(2.9, 3.1, 2.8), stress=0.4,
                      desires=[Desire("the sea", 0.8, "I long to", 1)], sentences=[first, second])


def _story() -> list[InnerState]:
    """Four sentences of one day that move through very different feelings (the hardest case for smoothness)."""
    emotions = {e: 0.02 for e in EMOTIONS}
    sea = [Desire("the sea", 0.8, "I long to", 2)]
    sentences = [
        SentenceState("The office was loud and I was furious.", emotions | {"anger": 0.7}, VAD(1.9, 4.2, 2.5), 0.8),
        SentenceState("At night I cried a little.", emotions | {"sadness": 0.8}, VAD(1.8, 2.2, 2.0), 0.5),
        SentenceState("I long to see the sea again.", emotions | {"desire": 0.8}, VAD(3.2, 2.8, 2.9), 0.2, sea),
        SentenceState("Mum called and we laughed.", emotions | {"joy": 0.8, "love": 0.5}, VAD(4.4, 3.3, 3.4), 0.0)]
    day = InnerState(text=" ".join(s.text for s in sentences), emotions=emotions | {"desire": 0.6, "sadness": 0.4},
                     active=["desire", "sadness"], vad=VAD(3.0, 3.1, 2.8), stress=0.4, desires=sea, sentences=sentences)
    days = [InnerState(text=s.text, emotions=s.emotions, active=[], vad=s.vad, stress=s.stress, desires=s.desires)
            for s in sentences]
    return [day, *days]


def smoothness(backend, size: int) -> dict:
    """Largest over mean consecutive-frame change (1 = perfectly even, goal ≤ 2) for a 12-frame sequence of a
    four-sentence entry and for a mood film over four different entries (4 frames between entries)."""
    from visualizer.render.film import mood_film
    from visualizer.render.painter.pace import steps, unevenness

    day, *entries = _story()
    sequence = backend.render_sequence(map_state(day, seed=0, key="bench-story"), 12, size)
    film = list(mood_film([map_state(e, seed=0, key=f"bench-day-{i}") for i, e in enumerate(entries)], 4, backend, size))
    return {"sequence_12": round(unevenness(sequence), 3), "film": round(unevenness(film), 3),
            "sequence_mean_step": round(float(steps(sequence).mean()), 2),
            "film_mean_step": round(float(steps(film).mean()), 2)}


def _timed(fn, sync=lambda: None) -> tuple[float, float]:
    sync()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    sync()
    return time.perf_counter() - wall, time.process_time() - cpu


def _cpu_bench(backend, size: int, batch: int, frames: int, repeats: int) -> dict:
    state = _state()
    cond = map_state(state, seed=0, style="watercolor")
    backend.render([cond] * batch, size)  # warm-up: imports, caches
    fresh = [[map_state(state, seed=1 + r * batch + i) for i in range(batch)] for r in range(repeats)]  # new seeds: no cache
    wall, cpu = _timed(lambda: [backend.render(group, size) for group in fresh])
    images = batch * repeats
    backend.render_sequence(cond, 2, size)
    fwall, fcpu = _timed(lambda: backend.render_sequence(cond, frames, size))
    return {"seconds_per_image": round(wall / images, 4), "images_per_s": round(images / wall, 3),
            "frames_per_s": round(frames / fwall, 3), "cpu_seconds_per_image": round(cpu / images, 4),
            "cpu_frames_per_s": round(frames / max(fcpu, 1e-9), 3)}


def bench_render(args) -> dict:
    """Benchmark `args.backend` (motif | tiny | diffusion) at `args.size`, `args.steps`, `args.batch`, `args.frames`."""
    backend_name = getattr(args, "backend", None) or "motif"
    size = getattr(args, "size", None) or {"tiny": 128}.get(backend_name, 512)
    frames = getattr(args, "frames", None) or 48
    batch = getattr(args, "batch", None)
    device = getattr(args, "device", None)
    model = getattr(args, "model", None)
    if backend_name == "motif":
        from visualizer.render.motif import MotifBackend

        backend = MotifBackend()
        result = _cpu_bench(backend, size, batch or 1, frames, repeats=5)
        return {**result, "smoothness": smoothness(backend, size), "resolution": size, "steps": None,
                "batch": batch or 1, "device": "cpu", "backend": "motif", "dtype": "float32",
                "notes": "numpy + Pillow painter; frames reuse the keyframes' seeded noise fields and are paced by "
                         "measured change (render/pace.py)"}
    if backend_name == "tiny":
        from visualizer.render.select import get_backend

        backend = get_backend("tiny", device=device)
        result = _cpu_bench(backend, size, batch or 1, min(frames, 16), repeats=3)
        return {**result, "resolution": size, "steps": backend.profile.steps, "batch": batch or 1,
                "device": backend.device, "backend": "tiny", "dtype": str(backend.dtype).replace("torch.", ""),
                "notes": "random miniature SD pipeline on the diffusion code path; measures overhead, not quality"}
    if backend_name != "diffusion":
        raise UserError(f"bench render knows motif, tiny and diffusion, not {backend_name!r}")
    from visualizer.render.gpu_bench import bench_diffusion

    cond = map_state(_state(), seed=0, style="cinematic")
    return bench_diffusion(cond, model or ARCHITECTURES[0], size, getattr(args, "steps", None) or 1, batch, frames,
                           device)
