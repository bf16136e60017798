"""The site's copies of an entry's pictures: as they are, or re-encoded from pixels when redacting, and thumbnails.

A redacted site must carry no PNG text chunk, GIF comment or other metadata: the render's files hold the prompt and
the reading there. Re-encoding from pixels is the one way to be sure nothing rides along.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

THUMB = 320  # the longer side of an index card's thumbnail, in pixels


def copy_clean(source: Path, target: Path, redact: bool) -> None:
    """Copy an image; when redacting, re-encode from pixels so no text chunk or comment is carried over."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not redact:
        shutil.copyfile(source, target)
        return
    with Image.open(source) as image:
        frames, durations = [], []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").copy())
            durations.append(image.info.get("duration", 100))
        loop = image.info.get("loop", 0)
    for frame in frames:
        frame.info = {}
    if len(frames) > 1:
        frames[0].save(target, format="GIF" if target.suffix == ".gif" else "WEBP", save_all=True,
                       append_images=frames[1:], duration=durations, loop=loop)
    else:
        frames[0].save(target, format="PNG")


def thumbnail(source: Path, target: Path) -> Image.Image:
    """Write the index card's JPEG thumbnail; returns it, for the contact sheet."""
    target.parent.mkdir(exist_ok=True)
    with Image.open(source) as image:
        thumb = image.convert("RGB")
    thumb.thumbnail((THUMB, THUMB))
    thumb.info = {}
    thumb.save(target, format="JPEG", quality=85)
    return thumb
