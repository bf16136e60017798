"""Writing pictures and animations so that any of them can be reproduced, and nothing is ever half-written.

Every file is written to a temporary file of the tool's own name (`visualizer.tempfiles`) in the target folder
and moved into place with `os.replace` (atomic on POSIX and Windows), so a killed batch leaves either the old file
or the new one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path

from PIL import Image, PngImagePlugin

from visualizer.errors import UserError
from visualizer.tempfiles import atomic_path

ANIMATION_FORMATS = ("gif", "webp", "mp4")
JSON_KEYS = ("scores", "explanation", "conditioning", "state", "reflection")


def image_metadata(conditioning, state=None, backend_name: str = "", model: str = "", include_text: bool = False,
                   reflection: dict | None = None) -> dict:
    """What is stored with a picture: enough to reproduce it (prompt, seed, model, backend) and to explain it, and
    the entry's reflection when there is one."""
    data = {
        "prompt": conditioning.prompt,
        "negative_prompt": conditioning.negative_prompt,
        "seed": conditioning.seed,
        "user_seed": conditioning.user_seed,
        "style": conditioning.style,
        "model": model,
        "backend": backend_name,
        "scene": conditioning.scene,
        "scores": conditioning.scores,
        "explanation": conditioning.explanation,
        "conditioning": conditioning.to_dict(),
    }
    if state is not None:
        data["state"] = state.to_dict(include_text=include_text)
    if reflection is not None:
        data["reflection"] = reflection
    return data


def save_image(image: Image.Image, path, conditioning, state=None, backend_name: str = "", *, model: str = "",
               include_text: bool = False, reflection: dict | None = None) -> tuple[Path, Path]:
    """Write `path` as PNG with its parameters in text chunks, plus `path.with_suffix('.json')` (same content).

    Text chunks: prompt, negative_prompt, seed, user_seed, style, model, backend, scene as plain text; scores,
    explanation, conditioning, state and reflection as JSON. The diary text is left out unless `include_text`.
    Returns (png_path, json_path). Raises UserError when the folder cannot be written.
    """
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise UserError(f"{path}: images are saved as .png")
    metadata = image_metadata(conditioning, state, backend_name, model, include_text, reflection)
    info = PngImagePlugin.PngInfo()
    for key, value in metadata.items():
        info.add_itxt(key, json.dumps(value, ensure_ascii=False) if key in JSON_KEYS else str(value))
    sidecar = path.with_suffix(".json")
    with atomic_path(path) as temp:
        image.convert("RGB").save(temp, format="PNG", pnginfo=info)
    with atomic_path(sidecar) as temp:
        temp.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return path, sidecar


def read_metadata(path) -> dict:
    """The parameters stored in a PNG written by `save_image` (JSON chunks decoded)."""
    with Image.open(path) as image:
        text = dict(getattr(image, "text", {}))
    return {key: json.loads(value) if key in JSON_KEYS else value for key, value in text.items()}


def save_animation(frames: Iterable[Image.Image], stem_path, formats: Sequence[str] = ANIMATION_FORMATS,
                   fps: int = 12) -> list[Path]:
    """Write the frames as `<stem>.gif`, `<stem>.webp` and/or `<stem>.mp4`, atomically; returns the paths written.

    Every format is encoded by its own ffmpeg process (imageio-ffmpeg) fed each frame as it comes, so memory
    holds one frame whatever the length: `frames` may be a generator that paints as it goes. GIF gets a palette
    of its own per frame, GIF and WebP loop forever, and MP4 is H.264 in yuv420p so every player accepts it.
    """
    unknown = [f for f in formats if f not in ANIMATION_FORMATS]
    if unknown:
        raise UserError(f"unknown animation format {unknown[0]!r}; use {', '.join(ANIMATION_FORMATS)}")
    if not 1 <= int(fps) <= 60:
        raise UserError(f"fps must be 1…60, got {fps!r}")
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise UserError("no frames to save")
    stem = Path(stem_path)
    targets = [stem.with_name(f"{stem.name}.{fmt}") for fmt in formats]
    with ExitStack() as stack:
        temps = [stack.enter_context(atomic_path(target)) for target in targets]
        writers = []
        stack.callback(lambda: [writer.close() for writer in writers])  # ends every started ffmpeg, on an error too
        for temp, fmt in zip(temps, formats):
            writers.append(_writer(temp, fmt, first.size, fps))
        for frame in itertools.chain([first], frames):
            data = frame.convert("RGB").tobytes()
            for writer in writers:
                writer.send(data)
    return targets


def _writer(path: Path, fmt: str, size: tuple[int, int], fps: int):
    """A started imageio-ffmpeg frame writer for `path` in `fmt` (see `_ENCODERS`)."""
    try:
        import imageio_ffmpeg

        writer = imageio_ffmpeg.write_frames(str(path), size, fps=fps, pix_fmt_in="rgb24", ffmpeg_log_level="error",
                                             **_ENCODERS[fmt])
        writer.send(None)
    except Exception as exc:  # imageio-ffmpeg missing or broken: tell the user what to install
        raise UserError(f"animations need imageio-ffmpeg ({exc}); install it, or render with --frames 1") from None
    return writer


_ENCODERS = {  # ffmpeg settings per format
    "gif": {"codec": "gif", "pix_fmt_out": "pal8", "macro_block_size": 1,
            "output_params": ["-vf", "split[a][b];[a]palettegen=stats_mode=single[p];[b][p]paletteuse=new=1",
                              "-loop", "0"]},
    "webp": {"codec": "libwebp_anim", "pix_fmt_out": "yuv420p", "macro_block_size": 1,
             "output_params": ["-quality", "85", "-compression_level", "4", "-loop", "0"]},
    "mp4": {"codec": "libx264", "pix_fmt_out": "yuv420p", "macro_block_size": 8, "quality": 8},
}
