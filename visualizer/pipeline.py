"""`render_journal`: entries → analysed → mapped → rendered → recorded, resumable. The CLI and the UI call it.

Two passes rather than one entry at a time: analysis is one batched encoder pass per chunk (256 entries),
rendering batches conditionings for the backend. Each chunk and each entry is committed to the store as
soon as it is done, so a killed run loses at most the work in flight, and a rerun picks up from the
store: finished entries are skipped, failed ones retried, nothing is rendered twice under two names.

A failure is isolated to its entry: a chunk or batch that raises is retried entry by entry, so one
poisoned entry is recorded as failed and the others go on. Only a full or read-only disk stops the run
(every later write would fail too) — as a UserError, with the store left consistent.

Under `accelerate launch` every process reads the same entry list, `PartialState.split_between_processes`
gives each a disjoint slice, and all of them write to the one SQLite store (WAL, busy timeout).
"""

from __future__ import annotations

import os
import sqlite3
import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from visualizer.safety.help import help_languages
from visualizer.errors import UserError
from visualizer.gallery.lock import LOCK_FILE, writer_lock
from visualizer.gallery.store import ANIMATIONS, IMAGES, STORE_FILE, Store, disk_error
from visualizer.ingest import Entry
from visualizer.painting import Job, RenderSettings, conditioning_for, paint
from visualizer.tempfiles import is_temporary

ANALYZE_CHUNK = 256
DEFAULT_RENDER_BATCH = 4
FILM_STEM = "mood_film"

Progress = Callable[[int, int, int, str], None]
"""progress(done, total, failed, stage) with stage "analyze" or "render"; called after every chunk/batch."""


@dataclass
class Summary:
    """What a run did. `entries` counts distinct entries; rendered + skipped + failed == entries.

    `crisis` counts the entries whose reading shows signs of crisis (painted by the safety rule), so
    every face can point to help, and `help_languages` says in which languages (Chinese writers get the Chinese
    help). `notices` counts the entries behind each reading-path notice (entries not read as English).
    `lock_note` says when a killed run's lock on the folder was taken over.
    `baseline_note` says, once, why no personal baseline was used ("too few entries …").
    """

    entries: int
    rendered: int = 0
    skipped: int = 0
    failed: int = 0
    out: str = ""
    backend: str = ""
    reason: str = ""
    film: str | None = None
    film_error: str | None = None
    crisis: int = 0
    help_languages: list[str] = field(default_factory=list)
    notices: dict[str, int] = field(default_factory=dict)
    lock_note: str | None = None
    baseline_note: str | None = None
    seconds: float = 0.0
    failures: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        """The stable shape printed as the last line of `visualizer render --json`."""
        return {"entries": self.entries, "rendered": self.rendered, "skipped": self.skipped, "failed": self.failed,
                "out": self.out}


class _Processes:
    """The accelerate distributed state when launched with several processes, a no-op stand-in otherwise."""

    def __init__(self) -> None:
        self.state = None
        if int(os.environ.get("WORLD_SIZE", "1")) > 1:
            import torch
            from accelerate import PartialState
            from accelerate.utils import parse_flag_from_env

            # without a GPU, accelerate's multi-process mode is MULTI_CPU, which it only enters when asked
            cpu = parse_flag_from_env("ACCELERATE_USE_CPU") or not torch.cuda.is_available()
            self.state = PartialState(cpu=cpu)

    @property
    def is_main(self) -> bool:
        return self.state is None or self.state.is_main_process

    @property
    def device(self):
        return self.state.device if self.state is not None else None

    def wait(self) -> None:
        if self.state is not None:
            self.state.wait_for_everyone()

    def split(self, keys: list[str]) -> list[str]:
        if self.state is None:
            return keys
        with self.state.split_between_processes(keys) as mine:
            return list(mine)

    def gather(self, item: dict) -> list[dict]:
        if self.state is None:
            return [item]
        from accelerate.utils import gather_object

        return gather_object([item])


def _error_text(error: BaseException) -> str:
    last = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return f"{type(error).__name__}: {error}{where}"


def render_journal(entries: Sequence[Entry], out_dir: str | Path, settings: RenderSettings | None = None,
                   progress: Progress | None = None, *, backend=None, analyze: Callable | None = None,
                   analyze_chunk: int = ANALYZE_CHUNK, render_batch: int | None = None,
                   on_backend: Callable[[object], None] | None = None, wait: float = 0,
                   force: bool = False) -> Summary:
    """Analyse, map and render every entry not yet done into `out_dir`; returns what happened.

    `settings` says how pictures are made (defaults: `RenderSettings()`). An entry counts as done when it
    was rendered with the same backend, model, style, seed, strength, frames, size and baseline mode (and,
    with `baseline="journal"`, the same rounded reading against the writer's usual) and its files are still
    there; changing any of those re-renders it in place. `backend` is an already built backend to
    use instead of building `settings.backend` (the UI shares one). `analyze` defaults to
    `visualizer.affect.analyze` (tests pass a fake). `on_backend` is told which backend will paint, before
    the first picture. One process renders into a folder at a time (`visualizer.gallery.lock`): `wait` is
    how many seconds to wait for another one; 0 stops at once with a UserError. A folder that already holds
    other things and no store is refused unless `force` (`check_render_folder`).
    """
    started = time.perf_counter()
    settings = (settings or RenderSettings()).checked()
    out_dir = check_render_folder(out_dir, force)
    processes = _Processes()
    with (writer_lock(out_dir, wait) if processes.is_main else nullcontext()) as lock_note:
        summary = _run(entries, out_dir, settings, processes, progress, backend, analyze, analyze_chunk,
                       render_batch, on_backend)
    summary.lock_note = lock_note
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def check_render_folder(out_dir: str | Path, force: bool = False) -> Path:
    """`out_dir` as a Path, once it is clear that rendering there touches nothing of the user's.

    A render adds `visualizer.sqlite`, `visualizer.lock`, `images/` and `animations/` (and `mood_film.*`) and
    never changes anything else, but a folder already full of someone's files is more often a typo than a wish:
    without a store there, anything besides what a killed first run left is refused unless `force`.
    """
    if not str(out_dir).strip():
        raise UserError("--out is empty (an unset variable?); name the folder to render into")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"--out {out_dir} is a file, not a folder")
    if force or not out_dir.is_dir() or (out_dir / STORE_FILE).exists():
        return out_dir
    try:
        theirs = sorted(p.name for p in out_dir.iterdir() if p.name != LOCK_FILE and not is_temporary(p.name))
    except OSError as error:
        raise disk_error(error, out_dir) or UserError(f"cannot read {out_dir}: {error.strerror or error}") from None
    if theirs:
        shown = ", ".join(theirs[:5]) + (f" and {len(theirs) - 5} more" if len(theirs) > 5 else "")
        raise UserError(f"{out_dir} already holds files of its own ({shown}) and no {STORE_FILE}. Rendering would "
                        f"add {STORE_FILE}, {LOCK_FILE}, {IMAGES}/ and {ANIMATIONS}/ (and {FILM_STEM}.* with "
                        f"--film) beside them and change nothing else: pass --force to go ahead, or choose a new or "
                        f"empty folder")
    return out_dir


def _run(entries: Sequence[Entry], out_dir: Path, settings: RenderSettings, processes: _Processes,
         progress: Progress | None, backend, analyze: Callable | None, analyze_chunk: int, render_batch: int | None,
         on_backend: Callable[[object], None] | None) -> Summary:
    """The run itself, under the folder's writer lock."""
    if processes.is_main:
        with Store(out_dir, clean=True) as store:  # the main process alone removes temporary files
            store.add(entries)
    processes.wait()
    keys = list(dict.fromkeys(e.key for e in entries))
    mine = processes.split(keys)
    summary = Summary(entries=len(mine), out=str(out_dir))
    failed_keys: set[str] = set()
    with Store(out_dir) as store:
        _analyse(store, mine, analyze, analyze_chunk, progress, failed_keys)
        analysed = [k for k in mine if k not in failed_keys]
        processes.wait()  # the baseline reads every process's readings
        relatives, summary.baseline_note, wishes = _read_back(store, keys, set(mine), settings, processes.is_main,
                                                              summary)
        if backend is None:
            from visualizer.render import get_backend

            backend = get_backend(settings.backend, model=settings.model, device=settings.device or processes.device)
        summary.backend, summary.reason = backend.name, getattr(backend, "reason", "")
        if on_backend:
            on_backend(backend)
        params = _entry_params(settings.params(backend), analysed, relatives, settings)
        todo = store.needs_render({k: params[k] for k in analysed})
        histories = _histories(entries, keys, wishes, relatives) if todo else {}
        _render(store, backend, todo, settings, params, progress, failed_keys, out_dir, render_batch, relatives,
                histories)
        summary.failed = len(failed_keys)
        summary.rendered = len([k for k in todo if k not in failed_keys])
        summary.skipped = summary.entries - summary.rendered - summary.failed
        rows = store.entries(failed_keys)
        summary.failures = [{"key": r["key"], "date": r["date"], "stage": r["stage"], "error": r["error"],
                             "where": f"{r['source']}:{r['line']}" if r["line"] else r["source"]} for r in rows]
    summary = _combine(processes, summary)
    if settings.film and processes.is_main:
        try:
            summary.film = _film(out_dir, keys, backend, settings, summary.rendered == 0)
        except Exception as error:  # the pictures are safe; the film alone failed
            summary.film_error = _error_text(error)
    return summary


def _read_back(store: Store, keys: list[str], mine: set[str], settings: RenderSettings, is_main: bool,
               summary: Summary) -> tuple[dict, str | None, dict]:
    """One streamed pass over the stored readings of `keys`: counts the entries of `mine` whose reading shows signs
    of crisis (and their languages) and each notice into `summary`, and returns each entry's relative reading
    against the journal's usual (`visualizer.affect.baseline`) with a note when there is none, and the wishes of
    each entry that has some (their phrases and its crisis flag, for the reflections' echoes). The main process
    records the usual in the store's meta table ("baseline"); each relative reading is kept with its picture's
    parameters."""
    from visualizer.affect.baseline import from_scores, readable, scores
    from visualizer.affect.state import InnerState

    flagged, table, usable, wishes = [], {}, [], {}
    for key, stored in store.readings(keys):
        if stored.get("desires"):
            wishes[key] = ([d["text"] for d in stored["desires"]], bool(stored.get("crisis")))
        if key in mine:
            if stored.get("crisis"):
                flagged.append(stored.get("language", "en"))
            if stored.get("notice"):
                summary.notices[stored["notice"]] = summary.notices.get(stored["notice"], 0) + 1
        if settings.baseline == "journal":
            state = InnerState.from_dict(stored)
            table[key] = scores(state)
            if readable(state):
                usable.append(table[key])
    summary.crisis = len(flagged)
    summary.help_languages = help_languages(flagged)
    if settings.baseline != "journal":
        return {}, None, wishes
    usual = from_scores(usable)
    relatives = {key: usual.relative_to(values) for key, values in table.items()} if usual.available else {}
    if is_main:
        store.set_meta("baseline", {"mode": settings.baseline, "baseline": usual.to_dict()})
    return relatives, usual.note or None, wishes


def _histories(entries: Sequence[Entry], keys: list[str], wishes: dict, relatives: dict) -> dict:
    """Each entry's `History` for its reflection, the journal walked in its order (`visualizer.reflection.Journal`):
    its date, its relative reading, the earlier mentions of its wishes."""
    from visualizer.reflection import Journal

    dates = {entry.key: entry.date.isoformat() if entry.date else None for entry in entries}
    journal = Journal()
    return {key: journal.history(dates.get(key), *wishes.get(key, ((), False)), relatives.get(key)) for key in keys}


def _entry_params(common: dict, keys: list[str], relatives: dict, settings: RenderSettings) -> dict[str, dict]:
    """What makes each entry's stored picture current: the settings plus, with a baseline, its own relative
    reading (rounded), so that a changed usual re-renders exactly the entries whose relative reading moved."""
    if settings.baseline != "journal":
        return {k: common for k in keys}
    return {k: {**common, "relative": relatives.get(k)} for k in keys}


def _combine(processes: _Processes, summary: Summary) -> Summary:
    """Totals over all processes (identical to `summary` in a single process)."""
    parts = processes.gather(asdict(summary))
    if len(parts) == 1:
        return summary
    total = Summary(**{**parts[0], "failures": []})
    for name in ("entries", "rendered", "skipped", "failed", "crisis"):
        setattr(total, name, sum(p[name] for p in parts))
    total.help_languages = help_languages([language for p in parts for language in p["help_languages"]])
    total.notices = {notice: sum(p["notices"].get(notice, 0) for p in parts) for p in parts for notice in p["notices"]}
    total.failures = [f for p in parts for f in p["failures"]]
    return total


def _analyse(store: Store, keys: list[str], analyze: Callable | None, chunk: int, progress: Progress | None,
             failed: set[str]) -> None:
    """Analyse entries without a stored state, `chunk` at a time, committing each chunk."""
    todo = store.needs_analysis(keys)
    if analyze is None and todo:
        from visualizer.affect import analyze, load_model

        try:  # a missing or broken model would fail every entry the same way: say it once
            load_model()
        except UserError:
            raise
        except Exception as error:
            raise UserError(f"cannot load the affect model: {error}") from None
    done = 0
    for start in range(0, len(todo), chunk):
        batch = todo[start:start + chunk]
        texts = store.texts(batch)
        try:
            states = dict(zip(batch, analyze([texts[k] for k in batch]), strict=True))
        except Exception:  # isolate the entry that broke the chunk
            states = {}
            for key in batch:
                try:
                    states[key] = analyze([texts[key]])[0]
                except Exception as single:
                    store.mark_failed(key, "analyze", _error_text(single))
                    failed.add(key)
        store.save_states({k: s.to_dict() for k, s in states.items()})
        done += len(batch)
        if progress:
            progress(done, len(todo), len(failed), "analyze")


class _StopRun(Exception):
    """Writing a file failed for a reason every later entry would share (disk full, read-only): stop the run."""

    def __init__(self, error: UserError):
        super().__init__(str(error))
        self.error = error


def _render(store: Store, backend, keys: list[str], settings: RenderSettings, params: dict[str, dict],
            progress: Progress | None, failed: set[str], out_dir: Path, batch_size: int | None,
            relatives: dict | None = None, histories: dict | None = None) -> None:
    from visualizer.affect import InnerState
    from visualizer.reflection import reflect

    batch_size = batch_size or getattr(backend, "batch_size", None) or DEFAULT_RENDER_BATCH
    if settings.frames > 1:
        batch_size = 1  # a sequence is already a batch of frames
    done = 0
    for start in range(0, len(keys), batch_size):
        jobs, conds = [], []
        for row in store.entries(keys[start:start + batch_size]):
            try:
                state = InnerState.from_dict(row["state"])
                job = Job(row["key"], row["date"], state, (relatives or {}).get(row["key"]),
                          reflect(state, (histories or {}).get(row["key"])).to_dict())
                conds.append(conditioning_for(job, settings))
                jobs.append(job)
            except Exception as error:
                store.mark_failed(row["key"], "map", _error_text(error))
                failed.add(row["key"])
        try:
            _paint(store, backend, jobs, conds, settings, params, out_dir)
        except _StopRun as stop:
            raise stop.error from None
        except Exception:
            for job, cond in zip(jobs, conds):  # retry one by one so only the poisoned entry fails
                try:
                    _paint(store, backend, [job], [cond], settings, params, out_dir)
                except _StopRun as stop:
                    raise stop.error from None
                except Exception as single:
                    store.mark_failed(job.key, "render", _error_text(single))
                    failed.add(job.key)
        done += len(keys[start:start + batch_size])
        if progress:
            progress(done, len(keys), len(failed), "render")


def _paint(store: Store, backend, jobs: list[Job], conds: list, settings: RenderSettings, params: dict[str, dict],
           out_dir: Path) -> None:
    """Paint and save `jobs`, then mark them rendered: a row says rendered only once its files are in place."""
    if not jobs:
        return
    try:
        for done in paint(backend, jobs, settings, out_dir, conditionings=conds):
            stored = done.conditioning.to_dict() | {"reflection": done.job.reflection}  # read by `Record.reflection`
            store.mark_rendered(done.job.key, stored, done.files, params[done.job.key], backend.name)
    except UserError as error:  # from save_* or the store: the folder cannot be written
        raise _StopRun(error) from None
    except (OSError, sqlite3.Error) as error:
        fatal = disk_error(error, out_dir)
        if fatal:
            raise _StopRun(fatal) from None
        raise  # e.g. an image the encoder rejects: this entry fails, the run goes on


def _film(out_dir: Path, keys: list[str], backend, settings: RenderSettings, reuse: bool) -> str | None:
    """The journal-level mood film: rendered entries in date order, each a keyframe, days flowing into each other.

    At most MAX_FRAMES frames: a long journal gets fewer in-between frames, and beyond MAX_FRAMES entries an
    evenly spaced selection of days.
    """
    from visualizer.mapping import Conditioning
    from visualizer.render import mood_film, save_animation
    from visualizer.render.base import MAX_FRAMES

    with Store(out_dir) as store:
        rows = list(store.select(keys, "key, date, position", "status = 'rendered' AND conditioning IS NOT NULL"))
        rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["position"]))
        if len(rows) < 2:
            return None
        made_from = {"params": settings.params(backend), "keys": [r["key"] for r in rows]}
        earlier = [out_dir / p for p in store.get_meta("film", [])]
        if reuse and earlier and all(p.is_file() for p in earlier) and store.get_meta("film_from") == made_from:
            return str(earlier[0])  # nothing changed since the last film
        if len(rows) > MAX_FRAMES:
            rows = [rows[round(i * (len(rows) - 1) / (MAX_FRAMES - 1))] for i in range(MAX_FRAMES)]
        per_entry = max(1, min(max(2, settings.frames), (MAX_FRAMES - 1) // (len(rows) - 1)))
        stored = {r["key"]: r["conditioning"] for r in store.select([r["key"] for r in rows], "key, conditioning")}
        conds = [Conditioning.from_dict(stored[r["key"]]) for r in rows]
        sequence = mood_film(conds, per_entry, backend=backend, size=settings.size)
        try:
            paths = save_animation(sequence, out_dir / FILM_STEM)  # every format: GIF, WebP, MP4
        except OSError as error:
            raise disk_error(error, out_dir) or UserError(f"cannot write the film to {out_dir}: {error}") from None
        store.set_meta("film", [str(Path(p).relative_to(out_dir)) for p in paths])
        store.set_meta("film_from", made_from)
        return str(paths[0])
