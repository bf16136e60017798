"""The offline painter behind the `motif` backend: numpy and Pillow, no GPU, no download.

How a Conditioning becomes a picture, one module per part:
  keyframe  the painter's numbers for one keyframe (palette, tweaks, style knobs, shapes, place) and their blend
  places    one composition per scene family: sky, light, land or room or skyline (knobs in prompts/painter.toml)
  motifs    the shapes of the writer's desires and imagery, placed where each family says
  canvas    drawing primitives shared by places and motifs
  finish    the style's hand over a composition: strokes, pooling, glow, grade, surface
  frames    a picture from a keyframe, and the frames along a path of keyframes
  pace      frames re-timed so that every step changes the picture by about as much
  fields    seeded noise fields (the expensive, seed-only part), cached across frames
  colour    hex palettes as float sRGB, blends in OKLab
"""
