"""Ingest stage: journal and chat files (or pasted text) → dated `Entry` objects plus `Problem`s."""

from visualizer.ingest.entry import Entry, IngestResult, Problem
from visualizer.ingest.read import (FORMATS, detect_format, filter_entries, read_input, read_journal, read_stream,
                                    read_text)

__all__ = ["read_input", "read_journal", "read_stream", "read_text", "detect_format", "filter_entries", "FORMATS", "Entry", "Problem",
           "IngestResult"]
