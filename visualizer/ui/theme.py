"""Look and feel: a soft violet/amber theme with system fonts (no web-font download) and a little CSS."""

from __future__ import annotations

import gradio as gr

THEME = gr.themes.Soft(
    primary_hue="violet",
    secondary_hue="amber",
    neutral_hue="stone",
    radius_size="lg",
    font=["Inter", "ui-sans-serif", "system-ui", "Segoe UI", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto; }
.dv-header { padding: 18px 6px 4px; }
.dv-header h1 { margin: 0; font-size: 2rem; font-weight: 700;
  background: linear-gradient(90deg, #7c3aed, #db7b2b); -webkit-background-clip: text; background-clip: text; color: transparent; }
.dv-header p { margin: 4px 0 0; color: var(--body-text-color-subdued); font-size: 1.02rem; }
.dv-footer { text-align: center; color: var(--body-text-color-subdued); font-size: .88rem; padding: 10px 0 4px; }
.dv-meters { display: grid; grid-template-columns: 1fr 1fr; gap: 12px 22px; padding: 4px 10px 10px; }
.dv-desires, .dv-meters .dv-note { grid-column: 1 / -1; }
.dv-meter { display: flex; flex-direction: column; gap: 3px; min-width: 0; }
.dv-meter-head { display: flex; justify-content: space-between; font-size: .9rem; }
.dv-meter-head b { font-variant-numeric: tabular-nums; }
.dv-track { position: relative; width: 100%; height: 9px; border-radius: 6px; background: rgba(127, 127, 127, .2); overflow: hidden; }
.dv-centred::after { content: ""; position: absolute; left: 50%; top: 0; bottom: 0; width: 2px; background: var(--neutral-400); }
.dv-fill { position: absolute; top: 0; bottom: 0; border-radius: 6px; }
.dv-valence { background: linear-gradient(90deg, #f2b36b, #e8894a); }
.dv-arousal { background: linear-gradient(90deg, #a69cf0, #7b6fd6); }
.dv-dominance { background: linear-gradient(90deg, #7cc7b2, #3e9e86); }
.dv-stress { background: linear-gradient(90deg, #f0a8a0, #c0504d); }
.dv-meter-ends { display: flex; justify-content: space-between; font-size: .74rem; color: var(--body-text-color-subdued); }
.dv-desires { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
.dv-label { font-size: .85rem; margin-right: 4px; color: var(--body-text-color-subdued); }
.dv-chip { padding: 3px 10px; border-radius: 999px; background: var(--secondary-100); color: var(--secondary-800); font-size: .88rem; }
.dv-chip small { opacity: .7; }
.dv-stressor { background: var(--neutral-100); color: var(--neutral-700); }
.dv-note { color: var(--body-text-color-subdued); font-size: .9rem; }
#reflect-explanation, #gallery-explanation { max-height: 460px; overflow-y: auto; }
#reflect-explanation table, #gallery-explanation table { font-size: .84rem; width: 100%; }
#reflect-explanation td:nth-child(-n+2), #gallery-explanation td:nth-child(-n+2) { white-space: nowrap; }
.dv-help { border: 1px solid rgba(214, 158, 46, .55) !important; background: rgba(250, 204, 21, .12) !important;
  border-radius: 14px !important; padding: 4px 18px !important; }
"""
