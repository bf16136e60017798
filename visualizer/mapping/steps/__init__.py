"""The steps of one picture's mapping, one module each; `visualizer.mapping.mapping._picture` runs them in order.

Each step is a small function of the reading that returns its result with its prompt fragments and explanation
records (`visualizer.mapping.prompt`), so the order of the steps is the order of the explanation:
  gentle      1, 13  the safety rule for an entry with signs of crisis, and the strength it allowed
  subject     2      the object of desire, else concrete imagery of the text
  mood        3, 5   the strongest emotions (chosen before the scene, which they pull), then their weighted words
  scene       4      the scene family, a subject of it when nothing is named, layout and motion
  style       6      the style's words (and list_styles, resolve_style)
  atmosphere  7      light, weather and texture of the dominant emotion, palette words, light level, motion, stress
  negative    8      the negative prompt
  tweaks      9, 10  latent tweaks and guidance
  palette     7, 11  the palette nearest the reading (its words in the atmosphere) and its colours, tinted
  shapes      12     what the motif painter draws: the style's knobs, the shapes of desires and imagery, the storm
"""
