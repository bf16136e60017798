"""The tool's own temporary names: the only files and folders it ever removes on its own.

Every half-written file (a picture, a sidecar, an animation, a zip, a site being built) is created under a
name that starts with `TEMP_PREFIX`, which no person or other program would choose, and is moved into place
with `os.replace` once complete. Clean-up after a killed run removes names with this prefix and nothing else:
a user's own `thesis.tmp` or `movie.mkv.part` in the same folder is never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from visualizer.errors import UserError

TEMP_PREFIX = ".desire-visualizer-tmp-"


def is_temporary(name: str) -> bool:
    """True for a name this tool gave to something half-written (and may therefore remove)."""
    return name.startswith(TEMP_PREFIX)


def temporary_name(final: str) -> str:
    """The prefix of a temporary name for `final`: ours, hidden, and saying what it will become."""
    return f"{TEMP_PREFIX}{final}-"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path`, on failure it is removed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=temporary_name(path.stem), suffix=path.suffix)
        os.close(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600 files; finished pictures get the usual permissions
    except OSError as exc:
        raise UserError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None
    try:
        yield Path(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


@contextmanager
def temporary_folder(beside: Path) -> Iterator[Path]:
    """A fresh folder of ours next to `beside` (same file system, so it can be renamed into place); removed on
    exit unless it was moved away."""
    beside = Path(beside)
    folder = Path(tempfile.mkdtemp(dir=beside.parent, prefix=temporary_name(beside.name)))
    try:
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def remove_temporary(folder: Path) -> list[Path]:
    """Remove what a killed run left under our prefix directly in `folder`; returns what was removed."""
    removed = []
    try:
        names = list(Path(folder).iterdir())
    except OSError:
        return removed
    for path in names:
        if not is_temporary(path.name):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed
