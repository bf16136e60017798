"""Putting a built site in place: only our own files are ever replaced, and a failed export changes nothing.

The site (and its zip) is built in one temporary folder of ours (`visualizer.tempfiles`) beside `--out`; only once
both are complete is the new site swapped in and the zip moved into place (`swap_in`), so a failed export leaves no
partial file and the previous site as it was. An existing `--out` is replaced only when it is an earlier export
whose marker file (`MARKER`, written by `write_marker`) lists every file in it: a file of the user's in it stops the
export (`check_targets`). Two exports to one `--out` are kept apart by an OS lock on a file beside it
(`export_lock`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath, PurePosixPath

from visualizer.errors import UserError
from visualizer.gallery.lock import file_lock
from visualizer.gallery.store import disk_error
from visualizer.tempfiles import temporary_folder, temporary_name

MARKER = ".visualizer-site"  # JSON: who wrote the site and the list of every file it wrote
MADE_BY = "Desire Visualizer gallery export"
EXPORT_LOCK = ".visualizer-export-lock"  # `.SITE.visualizer-export-lock` beside the site; kept, like every lock file
ALREADY_COMPRESSED = (".png", ".jpg", ".gif")  # stored in the zip as they are: deflating them again saves nothing


def checked_paths(out_dir: str | Path, site_dir: str | Path) -> tuple[Path, Path]:
    """The render folder and the site folder, absolute; a UserError for a pair that cannot be exported."""
    if not str(site_dir).strip():
        raise UserError("--out is empty: name a folder for the site, e.g. --out gallery-site")
    if not str(out_dir).strip():
        raise UserError("the render folder is empty: name the folder `visualizer render --out` wrote")
    source, site = Path(os.path.abspath(out_dir)), Path(os.path.abspath(site_dir))
    if site == site.parent:
        raise UserError(f"--out {site_dir} is the root of the file system; name a new folder for the site")
    here = Path.cwd()
    if site == here or site in here.parents:
        raise UserError(f"--out {site_dir} is the folder you are in (or one above it); name a new folder for the "
                        f"site, e.g. --out gallery-site")
    if not source.is_dir():
        raise UserError(f"{out_dir}: {'not a folder' if source.exists() else 'no such folder'} — give the folder "
                        f"`visualizer render --out` wrote")
    real_source, real_site = source.resolve(), site.resolve()
    if real_site == real_source:
        raise UserError(f"--out {site_dir} is the render folder itself; write the site beside it")
    if real_source in real_site.parents:
        raise UserError(f"--out {site_dir} is inside the render folder {out_dir}; write the site beside it")
    if real_site in real_source.parents:
        raise UserError(f"--out {site_dir} holds the render folder {out_dir}; write the site beside it")
    return source, site


def write_marker(build: Path, redact: bool) -> list[str]:
    """Write the marker listing every file of the finished site in `build`; returns that list (relative POSIX paths,
    sorted)."""
    files = sorted(PurePath(os.path.relpath(os.path.join(folder, name), build)).as_posix()  # a third of rglob's memory
                   for folder, _, names in os.walk(build) for name in names)
    (build / MARKER).write_text(json.dumps({"made_by": MADE_BY, "redacted": redact, "files": files}, indent=0),
                                encoding="utf-8")
    return files


def zip_site(site: Path, files: list[str], target: Path) -> Path:
    """Pack the finished site (its `files` and marker) into `target`, under the site's folder name."""
    with zipfile.ZipFile(target, "w") as bundle:
        for name in [*files, MARKER]:
            bundle.write(site / name, f"{site.name}/{name}",
                         zipfile.ZIP_STORED if name.endswith(ALREADY_COMPRESSED) else zipfile.ZIP_DEFLATED)
    return target


def _listed_files(site_dir: Path) -> set[str] | None:
    """The files an earlier export wrote into `site_dir`, from its marker; None without a marker of ours."""
    try:
        record = json.loads((site_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) and record.get("made_by") == MADE_BY else None
    return {name for name in files if isinstance(name, str)} if isinstance(files, list) else None


def _unlisted(site_dir: Path, listed: set[str]) -> Iterator[str]:
    """What in `site_dir` its marker does not list (relative paths): other files, links, folders holding no listed
    file."""
    files = listed | {MARKER}
    folders = {parent.as_posix() for name in listed for parent in PurePosixPath(name).parents}

    def fail(error: OSError) -> None:
        raise error

    for folder, subfolders, names in os.walk(site_dir, onerror=fail):
        base = Path(folder).relative_to(site_dir)
        for name in subfolders:  # a link to a folder is listed here (and never entered)
            relative, path = (base / name).as_posix(), os.path.join(folder, name)
            if relative not in folders or os.path.islink(path):
                yield relative
        for name in names:
            relative, path = (base / name).as_posix(), os.path.join(folder, name)
            if relative not in files or os.path.islink(path) or not os.path.isfile(path):
                yield relative


def check_targets(site_dir: Path, archive: Path | None) -> None:
    """Refuse to replace anything but an empty folder or an earlier export whose marker lists all it holds, and a
    zip but a regular file; nothing has been changed when this refuses."""
    if site_dir.is_symlink():
        raise UserError(f"--out {site_dir} is a symbolic link; give the folder it points to, or a new one")
    if site_dir.exists():
        if not site_dir.is_dir():
            raise UserError(f"{site_dir} exists and is not a folder; pick another --out (nothing was changed)")
        if any(site_dir.iterdir()):
            listed = _listed_files(site_dir)
            if listed is None:
                raise UserError(f"{site_dir} exists and is not a gallery export (no {MARKER} listing its files); "
                                f"pick another --out (nothing was changed)")
            unlisted = sorted(_unlisted(site_dir, listed))
            if unlisted:
                more = f" and {len(unlisted) - 1} more" if len(unlisted) > 1 else ""
                raise UserError(f"{site_dir} holds {site_dir / unlisted[0]}{more}, which the earlier export did not "
                                f"write; move it out of the folder or pick another --out (nothing was changed)")
    if archive is not None and (archive.is_symlink() or archive.exists() and not archive.is_file()):
        raise UserError(f"{archive} exists and is not a regular file; move it away or pick another --out "
                        f"(nothing was changed)")


def export_lock(site_dir: Path):
    """The OS lock of exports to `site_dir` (a file of its own beside it): a second export to the same folder
    stops at once with a clear message."""
    def busy(holder: str | None, waited: float) -> UserError:
        return UserError(f"another export is writing {site_dir}{f' ({holder})' if holder else ''}; wait for it to "
                         f"finish, then run this again")

    return file_lock(site_dir.parent / f".{site_dir.name}{EXPORT_LOCK}", busy)


def remove_killed_exports(site_dir: Path) -> None:
    """Remove the work folders that exports of `site_dir` killed mid-way left (they may hold diary text).

    Called under the export lock, so no live export of this site owns one. The pattern (our prefix, this site's
    name, then mkdtemp's random letters, which hold no "-") matches no folder of another site (`SITE-2`'s among them).
    """
    own = re.compile(re.escape(temporary_name(site_dir.name)) + r"[^-]+")
    for path in site_dir.parent.iterdir():
        if own.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def swap_in(build: Path, site_dir: Path, packed: Path | None, archive: Path | None) -> None:
    """Move the new site (and zip) into place; the previous site goes into our work folder and is removed with it.
    A move that fails puts back what was moved, so the previous site and zip stay as they were."""
    previous = build.with_name(f"{build.name}.previous")
    replacing = site_dir.exists()
    if replacing:
        os.rename(site_dir, previous)
    try:
        os.rename(build, site_dir)
        try:
            if packed is not None:
                os.replace(packed, archive)
        except OSError:
            os.rename(site_dir, build)
            raise
    except OSError:
        if replacing:
            os.rename(previous, site_dir)
        raise


def publish(site_dir: Path, archive: Path | None, write: Callable[[Path], list[str]], what: str) -> list[str]:
    """Build a site with `write(build)` (which returns the files it wrote) in a temporary folder of ours beside
    `site_dir`, zip those files to `archive` where one is asked for, and swap both in only when complete, under the
    export lock; returns `write`'s files. A failure leaves the previous site and zip as they were; an OSError
    becomes a UserError naming `what` ("gallery", "portrait") and the folder."""
    try:
        check_targets(site_dir, archive)  # before anything is written, even the lock file
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with export_lock(site_dir):
            remove_killed_exports(site_dir)
            with temporary_folder(site_dir) as work:
                build = work / site_dir.name
                build.mkdir()
                files = write(build)
                packed = zip_site(build, files, work / archive.name) if archive else None
                check_targets(site_dir, archive)  # again, under the lock: something may have come meanwhile
                swap_in(build, site_dir, packed, archive)
    except OSError as error:
        raise disk_error(error, site_dir.parent) or UserError(f"cannot write the {what} to {site_dir}: "
                                                              f"{error}") from None
    return files
