"""The style: the styles of prompts/styles.toml by name or alias, and the style's words in the prompt."""

from __future__ import annotations

from visualizer.errors import UserError
from visualizer.mapping import data
from visualizer.mapping.prompt import Fragment, Record


def list_styles() -> list[str]:
    """Names accepted by `map_state(style=...)` (aliases such as "oil painting" are accepted too)."""
    return sorted(data.load("styles"))


def resolve_style(name: str) -> str:
    """Canonical style name for a name or alias; UserError listing the known styles otherwise."""
    styles = data.load("styles")
    wanted = (name or "").strip().lower()
    for style, table in styles.items():
        if wanted == style or wanted in [a.lower() for a in table.get("aliases", [])]:
            return style
    raise UserError(f"unknown style {name!r}; known styles: {', '.join(sorted(styles))}")


def style_words(style: str, asked: str, gentle: bool) -> list[Record]:
    """The style's prompt words: the user's style, or the safety rule's calm one in its place."""
    return [Fragment(data.load("styles")[style]["prompt"], "style", style,
                     f"calm style of the safety rule (asked for: {asked})" if gentle else "style chosen by the user")]
