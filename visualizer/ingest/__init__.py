"""Ingest stage: journal and chat files (or pasted text) → dated `Entry` objects plus `Problem`s.

The formats are declared in `visualizer.ingest.formats`. The names below load their module on first use, so the CLI
can read that registry at start without importing every parser.
"""

from visualizer.lazy_exports import lazy_exports

_HOMES = {"read_input": "read", "read_journal": "read", "read_stream": "read", "read_text": "read",
          "detect_format": "read", "filter_entries": "read", "FORMATS": "formats", "Entry": "entry",
          "Problem": "entry", "IngestResult": "entry"}
__all__ = list(_HOMES)
__getattr__ = lazy_exports(__name__, _HOMES)
