"""Every failure reaches the page as one readable message (gr.Error), never as a traceback."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
from collections.abc import Callable

import gradio as gr

from visualizer.errors import UserError

log = logging.getLogger("visualizer.ui")


def friendly(action: str) -> Callable:
    """Wrap a handler: user-fixable errors show as they are, anything else as a short message (trace in the log)."""

    def wrap(fn: Callable) -> Callable:
        if inspect.isgeneratorfunction(fn):  # a handler that shows steps: Gradio must still see a generator
            @functools.wraps(fn)
            def steps(*args, **kwargs):
                with _readable(action):
                    yield from fn(*args, **kwargs)

            return steps

        @functools.wraps(fn)
        def handler(*args, **kwargs):
            with _readable(action):
                return fn(*args, **kwargs)

        return handler

    return wrap


@contextlib.contextmanager
def _readable(action: str):
    """Turn what goes wrong inside into one readable gr.Error."""
    try:
        yield
    except gr.Error:
        raise
    except UserError as error:
        raise gr.Error(str(error), title=f"Could not {action}", print_exception=False) from None
    except MemoryError:
        raise gr.Error("The machine ran out of memory. Try a smaller size, fewer frames or a shorter text.",
                       title=f"Could not {action}", print_exception=False) from None
    except Exception as error:
        log.exception("could not %s", action)
        raise gr.Error(f"Something went wrong ({type(error).__name__}: {error}). The details are in the server log.",
                       title=f"Could not {action}", print_exception=False) from None
