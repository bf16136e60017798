"""Look and feel: a soft violet/amber theme with system fonts (no web-font download) and a little CSS."""

from __future__ import annotations

import gradio as gr

THEME = gr.themes.Soft(
    primary_hue="violet",
    secondary_hue="amber",
    neutral_hue="stone",
    radius_size="lg",
    # CJK system fonts before the generic family, so Chinese entries show in a Chinese font where one is installed
    font=["Inter", "ui-sans-serif", "system-ui", "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
          "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)

CSS = """
/* width: 100% keeps wide content (the entry table) from sizing the page: on a 390 px phone it scrolls in its box */
.gradio-container { width: 100%; max-width: 1280px !important; margin: 0 auto; }
@media (max-width: 480px) {
  .gradio-container { padding-left: 10px !important; padding-right: 10px !important; }
  .dv-header h1 { font-size: 1.6rem; }
  /* all four tabs in one row on a phone, none behind "More tabs" (Gradio measures the hidden copies too) */
  .tab-container button { padding: 0 10px; }
}
.dv-header { padding: 18px 6px 4px; }
.dv-header h1 { margin: 0; font-size: 2rem; font-weight: 700;
  background: linear-gradient(90deg, #7c3aed, #db7b2b); -webkit-background-clip: text; background-clip: text; color: transparent; }
.dv-header p { margin: 4px 0 0; color: var(--body-text-color-subdued); font-size: 1.02rem; }
.dv-footer { text-align: center; color: var(--body-text-color-subdued); font-size: .88rem; padding: 10px 0 4px; }
.dv-meters { display: grid; grid-template-columns: 1fr 1fr; gap: 12px 22px; padding: 4px 10px 10px; }
.dv-desires, .dv-meters .dv-note { grid-column: 1 / -1; }
.dv-meter { display: flex; flex-direction: column; gap: 3px; min-width: 0; }
.dv-meter-head { display: flex; justify-content: space-between; gap: 6px; font-size: .9rem; }
.dv-meter-head b { font-variant-numeric: tabular-nums; }
.dv-track { position: relative; width: 100%; height: 9px; border-radius: 6px; background: rgba(127, 127, 127, .2); overflow: hidden; }
.dv-centred::after { content: ""; position: absolute; left: 50%; top: 0; bottom: 0; width: 2px; background: var(--neutral-400); }
.dv-fill { position: absolute; top: 0; bottom: 0; border-radius: 6px; }
.dv-valence { background: linear-gradient(90deg, #f2b36b, #e8894a); }
.dv-arousal { background: linear-gradient(90deg, #9cc4ea, #3b82c4); }
.dv-dominance { background: linear-gradient(90deg, #7cc7b2, #3e9e86); }
.dv-stress { background: linear-gradient(90deg, #f0a8a0, #c0504d); }
.dv-meter-ends { display: flex; justify-content: space-between; font-size: .74rem; color: var(--body-text-color-subdued); }
.dv-desires { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
.dv-label { font-size: .85rem; margin-right: 4px; color: var(--body-text-color-subdued); }
.dv-chip { padding: 3px 10px; border-radius: 999px; background: var(--secondary-100); color: var(--secondary-800); font-size: .88rem; }
.dv-chip small { opacity: .7; }
.dv-stressor { background: var(--neutral-100); color: var(--neutral-700); }
.dv-note { color: var(--body-text-color-subdued); font-size: .9rem; }
.dv-reflection { font-size: 1.05rem; line-height: 1.55; margin: .4rem 0 .8rem; }
/* The technical table: words never broken mid-word; on a phone each row becomes a short stacked block */
.dv-explanation { max-height: 460px; overflow: auto; }
.dv-explanation table { font-size: .84rem; width: 100%; }
.dv-explanation th, .dv-explanation td { overflow-wrap: normal; word-break: normal; hyphens: none; }
.dv-explanation td:first-child { min-width: 8.5em; }
.dv-explanation td:nth-child(2) { white-space: nowrap; }
@media (max-width: 640px) {
  .dv-explanation table, .dv-explanation tbody, .dv-explanation tr, .dv-explanation td { display: block; width: 100%; }
  .dv-explanation thead { display: none; }
  .dv-explanation tr { padding: 6px 0; border-bottom: 1px solid var(--border-color-primary); }
  .dv-explanation td { border: 0 !important; padding: 0 4px !important; min-width: 0; }
  .dv-explanation td:first-child { font-weight: 600; display: inline; }
  .dv-explanation td:nth-child(2) { display: inline; color: var(--body-text-color-subdued); }
  .dv-explanation td:nth-child(2)::before { content: "· "; }
}
#reflect-plain p, #gallery-plain p { font-size: 1.02rem; line-height: 1.55; }
/* Galleries: tiles of one size however many pictures there are (Gradio stretches 2 pictures to half the width each) */
.dv-tiles .grid-container { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)) !important;
  grid-template-rows: none !important; grid-auto-rows: auto !important; }
@media (min-width: 700px) { .dv-tiles .grid-container { grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)) !important; } }
.dv-tiles .thumbnail-item { height: auto !important; aspect-ratio: 1 / 1; }
.dv-tiles .grid-wrap { min-height: 0 !important; max-height: 560px; overflow-y: auto; }
/* The timeline: one narrow column of panels (gallery/plots.py), drawn to read at a phone's width; no wider on a laptop */
#gallery-timeline img { max-width: 520px; width: 100%; height: auto; margin: 0 auto; display: block; }
#gallery-refresh { align-self: end; }
/* Reflect: on a phone the input, the result, then the rest, one under the other (their order in the page); on a wide
   screen the input above the rest on the left, the result beside both */
@media (min-width: 768px) {
  #reflect-layout { display: grid !important; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr);
    grid-template-rows: auto 1fr; align-items: start; }
  #reflect-input { grid-column: 1; grid-row: 1; }
  #reflect-result { grid-column: 2; grid-row: 1 / span 2; }
  #reflect-more { grid-column: 1; grid-row: 2; }
}
.dv-status p { font-size: 1rem; margin: 0; color: var(--body-text-color-subdued); }
.dv-help { border: 1px solid rgba(214, 158, 46, .55) !important; background: rgba(250, 204, 21, .12) !important;
  border-radius: 14px !important; padding: 4px 18px !important; }
"""
