"""Reflection: each entry answered in the writer's language, grounded in its reading and the journal's history.

`reflect(state, history)` → `Reflection(text, language, grounds)`; `Journal` walks a journal in order and gives each
entry its `History` (the echo of earlier longings; the caller adds the reading against the usual). See
`visualizer/reflection/compose.py` for what is said and why, `data/phrases.toml` for the words.
"""

from visualizer.reflection.compose import History, Mention, Reflection, compared, redacted, reflect
from visualizer.reflection.journal import Journal

__all__ = ["reflect", "Reflection", "History", "Mention", "Journal", "compared", "redacted"]
