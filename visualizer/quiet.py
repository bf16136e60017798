"""`quiet_loading()`: hush transformers' and diffusers' chatter while a model loads, and only then.

Loading prints load reports ("BertModel LOAD REPORT … UNEXPECTED"), per-weight progress bars, "install
torchvision" notes and deprecation warnings that mean nothing to a person reading their journal. They are
silenced around the load alone, never for the whole process, and everything is put back afterwards, so a
user's own logging and warning settings hold everywhere else. The hub's download bars stay as the user had
them: a first download of a diffusion model takes minutes and should show that it is moving.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

NOISY_WARNINGS = (FutureWarning, DeprecationWarning)  # renamed arguments and the like: the library's concern
DEPRECATED = ".*deprecat"  # matched case-insensitively against the start of a warning's message


@contextmanager
def quiet_loading(*libraries: str) -> Iterator[None]:
    """Within the block the named libraries ("transformers", "diffusers") log errors only and show no progress
    bars, and deprecation warnings are dropped; all of it is restored on exit, errors included."""
    from huggingface_hub.utils import are_progress_bars_disabled

    downloads_shown = not are_progress_bars_disabled()
    with warnings.catch_warnings(), ExitStack() as stack:
        for category in NOISY_WARNINGS:
            warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("ignore", message=DEPRECATED)  # the hub words some as plain UserWarnings
        stack.callback(_show_download_bars, downloads_shown)  # registered first, so it runs after the libraries'
        for name in libraries:
            stack.enter_context(_hushed(name))
        _show_download_bars(downloads_shown)
        yield


@contextmanager
def _hushed(library: str) -> Iterator[None]:
    logging = importlib.import_module(f"{library}.utils.logging")
    verbosity, bars = logging.get_verbosity(), logging.is_progress_bar_enabled()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(verbosity)
        if bars:
            logging.enable_progress_bar()


def _show_download_bars(shown: bool) -> None:
    """transformers' progress switch also flips the hub's download bars; set those back to the user's choice."""
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    if shown:
        enable_progress_bars()
    else:
        disable_progress_bars()
