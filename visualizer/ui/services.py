"""The stages as the UI calls them: one affect model and one backend per (name, model), shared by all sessions.

Backends are not assumed thread-safe (a diffusers pipeline is not), so each render call takes the
backend's lock. The lock is per call, not per job: a Reflect picture slips in between two batches of
a journal render instead of waiting for the whole journal. The Gradio queue already limits concurrent
renders; the lock makes it a guarantee whatever the queue settings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from visualizer.affect import InnerState

log = logging.getLogger(__name__)


def _default_analyze(texts: list[str]) -> list[InnerState]:
    from visualizer.affect import analyze

    return analyze(texts)


class LockedBackend:
    """A backend whose render calls take turns; every other attribute passes through."""

    def __init__(self, backend, lock: threading.Lock) -> None:
        self._backend, self._lock = backend, lock

    def __getattr__(self, name: str):
        return getattr(self._backend, name)

    def render(self, *args, **kwargs):
        with self._lock:
            return self._backend.render(*args, **kwargs)

    def render_sequence(self, *args, **kwargs):
        with self._lock:
            return self._backend.render_sequence(*args, **kwargs)

    def iter_sequence(self, *args, **kwargs):
        with self._lock:  # held until the last frame is painted
            yield from self._backend.iter_sequence(*args, **kwargs)


@dataclass
class Services:
    analyze: Callable[[list[str]], list[InnerState]] = _default_analyze
    device: str | None = None
    _backends: dict = field(default_factory=dict)
    _locks: dict = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _answered: set = field(default_factory=set)  # reading paths (`language.route`) whose model has read once

    def read(self, texts: list[str]) -> list[InnerState]:
        """`analyze`, remembering which reading paths have answered (so `loads_model` can tell a first read)."""
        from visualizer.affect.language import route

        states = self.analyze(texts)
        self._answered.update(route(text) for text in texts)
        return states

    def loads_model(self, text: str) -> bool:
        """Whether reading `text` will first load its reading model: the English one at start (a few seconds), the
        multilingual one on the first Chinese entry (20–30 s on two cores), so the page can say why it waits."""
        from visualizer.affect.language import route

        return route(text) not in self._answered

    def backend(self, name: str, model: str | None = None) -> LockedBackend:
        """The backend for `name`/`model`, built once (concurrent first requests wait for the one build)."""
        from visualizer.render import get_backend

        key = (name, model or None)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._backends:
                self._backends[key] = LockedBackend(get_backend(name, model=model or None, device=self.device), lock)
        return self._backends[key]

    def warm_up(self, backend: str, model: str | None = None) -> None:
        """Load the affect model and the default backend in the background, so the first submit is quick."""

        def work():
            try:
                self.read(["warming up"])
                self.backend(backend, model)
            except Exception as error:  # reported again, readably, on the first real request
                log.warning("warm-up failed: %s", error)

        threading.Thread(target=work, name="warm-up", daemon=True).start()
