"""Running a function in several forked processes at once, as `accelerate launch` runs several renders on one store."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable


def run_forked(target: Callable, arguments: list[tuple], timeout: float = 60) -> list:
    """Run `target(*args, queue)` once per entry of `arguments`, all at the same time; returns what each put on the
    queue (in no set order) once every process has ended cleanly."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=target, args=(*args, queue)) for args in arguments]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout)
        assert worker.exitcode == 0, f"a worker ended with {worker.exitcode}"
    return [queue.get(timeout=5) for _ in workers]
