"""Writing pictures and animations so that any of them can be reproduced, and nothing is ever half-written.

Every file is written to a temporary file of the tool's own name (`visualizer.tempfiles`) in the target folder
and moved into place with `os.replace` (atomic on POSIX and Windows), so a killed batch leaves either the old file
or the new one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from PIL import Image, PngImagePlugin

from visualizer.errors import UserError
from visualizer.tempfiles import atomic_path

ANIMATION_FORMATS = ("gif", "webp", "mp4")
JSON_KEYS = ("scores", "explanation", "conditioning", "state")


def image_metadata(conditioning, state=None, backend_name: str = "", model: str = "", include_text: bool = False) -> dict:
    """What is stored with a picture: enough to reproduce it (prompt, seed, model, backend) and to explain it."""
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
    return data


def save_image(image: Image.Image, path, conditioning, state=None, backend_name: str = "", *, model: str = "",
               include_text: bool = False) -> tuple[Path, Path]:
    """Write `path` as PNG with its parameters in text chunks, plus `path.with_suffix('.json')` (same content).

    Text chunks: prompt, negative_prompt, seed, user_seed, style, model, backend, scene as plain text; scores,
    explanation, conditioning and state as JSON. The diary text is left out unless `include_text`.
    Returns (png_path, json_path). Raises UserError when the folder cannot be written.
    """
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise UserError(f"{path}: images are saved as .png")
    metadata = image_metadata(conditioning, state, backend_name, model, include_text)
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


def save_animation(frames: Sequence[Image.Image], stem_path, formats: Sequence[str] = ANIMATION_FORMATS,
                   fps: int = 12) -> list[Path]:
    """Write the frames as `<stem>.gif`, `<stem>.webp` and/or `<stem>.mp4` (H.264 via imageio-ffmpeg), atomically.

    GIF and WebP loop forever; MP4 is yuv420p so every player accepts it. Returns the paths written.
    """
    frames = [f.convert("RGB") for f in frames]
    if not frames:
        raise UserError("no frames to save")
    unknown = [f for f in formats if f not in ANIMATION_FORMATS]
    if unknown:
        raise UserError(f"unknown animation format {unknown[0]!r}; use {', '.join(ANIMATION_FORMATS)}")
    if not 1 <= int(fps) <= 60:
        raise UserError(f"fps must be 1…60, got {fps!r}")
    stem = Path(stem_path)
    written = []
    duration = round(1000 / fps)
    for fmt in formats:
        target = stem.with_name(f"{stem.name}.{fmt}")
        with atomic_path(target) as temp:
            if fmt == "gif":
                frames[0].save(temp, format="GIF", save_all=True, append_images=frames[1:], duration=duration, loop=0,
                               optimize=False)
            elif fmt == "webp":
                frames[0].save(temp, format="WEBP", save_all=True, append_images=frames[1:], duration=duration, loop=0,
                               quality=85, method=4)
            else:
                _write_mp4(frames, temp, fps)
        written.append(target)
    return written


def _write_mp4(frames: list[Image.Image], path: Path, fps: int) -> None:
    import imageio.v2 as imageio
    import numpy as np

    try:
        writer = imageio.get_writer(str(path), format="FFMPEG", mode="I", fps=fps, codec="libx264",
                                    pixelformat="yuv420p", macro_block_size=8, quality=8)
    except Exception as exc:  # imageio-ffmpeg missing or broken: tell the user what to install
        raise UserError(f"MP4 export needs imageio-ffmpeg ({exc}); install it or use --format gif/webp") from None
    with writer:
        for frame in frames:
            writer.append_data(np.asarray(frame))
