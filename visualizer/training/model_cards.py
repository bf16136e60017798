"""`docs/models.md`, generated from the model cards of the shipped weights (`visualizer.affect.cards`).

    python -m visualizer.training.model_cards > docs/models.md

A test regenerates the page and compares, so the page cannot drift from the weights, their figures or their
credits. Figures are printed as training wrote them, rounded to 4 decimals.
"""

from __future__ import annotations

from visualizer.affect.cards import Card, changed, read_card
from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS, groups_name, probe_name

SHIPPED = (WEIGHTS, MULTILINGUAL_WEIGHTS, WEIGHTS.with_name(probe_name(WEIGHTS)),
           MULTILINGUAL_WEIGHTS.with_name(probe_name(MULTILINGUAL_WEIGHTS)),
           MULTILINGUAL_WEIGHTS.with_name(groups_name(MULTILINGUAL_WEIGHTS)))
HEADER = """# Models

Generated from the model cards beside the shipped weights (`visualizer/affect/weights/*.card.toml` and the JSON
training wrote) by `python -m visualizer.training.model_cards > docs/models.md`; do not edit by hand. Figures are
dev or cross-validated figures, as each card says, never test-set figures.
"""


def _figures(figures: dict, prefix: str = "") -> list[str]:
    rows = []
    for key, value in figures.items():
        if isinstance(value, dict):
            rows += _figures(value, f"{prefix}{key}.")
        else:
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            rows.append(f"| {prefix}{key} | {shown} |")
    return rows


def section(card: Card) -> str:
    """One card as Markdown: what it is, how to retrain it, what it learned from, its figures, whether it is current."""
    lines = [f"## `{card.name}`", "", card.summary, "", f"Retrain: `{card.retrain}`.", "", "Learned from:", ""]
    lines += [f"- **{d.name}**: {d.use}. {d.source}. Terms: {d.terms}." for d in card.datasets]
    lines += ["", "| figure | value |", "|---|---|", *_figures(card.figures)]
    stale = changed(card)
    if card.depends_on:
        state = f"**stale**: trained on an earlier {', '.join(stale)}" if stale else "current"
        lines += ["", f"Depends on: {', '.join(f'`{path}`' for path in card.depends_on)} ({state})."]
    return "\n".join(lines)


def page() -> str:
    return "\n\n".join([HEADER.rstrip(), *(section(read_card(weights)) for weights in SHIPPED)]) + "\n"


if __name__ == "__main__":  # pragma: no cover - writes the page
    print(page(), end="")
