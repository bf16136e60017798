"""Latent tweaks and guidance: brightness and warmth → latent channel offsets; arousal → contrast and turbulence
(interest adds a little contrast, stress and anxiety turbulence); dominance → scale; intensity → guidance.

The coefficients are mapping.toml `[tweaks]`. `strength` multiplies every tweak and the guidance offset
(0 = plain noise, default guidance).
"""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.conditioning import LatentTweaks
from visualizer.mapping.latent import channel_offsets
from visualizer.mapping.prompt import Note, Record
from visualizer.mapping.reading import Reading


def latent_tweaks(reading: Reading, strength: float) -> tuple[LatentTweaks, list[Record]]:
    """The tweaks of the initial noise, each explained with the scores it came from."""
    k = data.load("mapping")["tweaks"]
    brightness = strength * k["brightness"] * reading.valence
    warmth = strength * (k["warmth_valence"] * reading.valence + k["warmth_arousal"] * reading.arousal)
    contrast = 1.0 + strength * (k["contrast_arousal"] * reading.arousal + k["contrast_interest"] * reading.interest)
    turbulence = strength * (k["turbulence_arousal"] * (reading.arousal + 1.0)
                             * (k["turbulence_calm"] + k["turbulence_stress"] * reading.stress)
                             + k["turbulence_anxiety"] * reading.anxiety)
    tweaks = LatentTweaks(brightness=round(brightness, 5), warmth=round(warmth, 5),
                          channel_offsets=tuple(channel_offsets(brightness, warmth)), contrast=round(contrast, 5),
                          turbulence=round(min(1.0, turbulence), 5),
                          scale=round(strength * k["scale"] * reading.dominance, 5))
    v, a = reading.valence, reading.arousal
    return tweaks, [
        Note("valence", v, f"tweak brightness {tweaks.brightness:+.3f} (× strength {strength})"),
        Note("valence+arousal", f"{v:+.2f}/{a:+.2f}", f"tweak warmth {tweaks.warmth:+.3f} (× strength {strength})"),
        Note("valence", v, "tweak channel_offsets " + ", ".join(f"{o:+.3f}" for o in tweaks.channel_offsets)
             + " (SD latent ch0/ch1 brightness, ch2 red↔cyan, ch3 blue↔yellow)"),
        Note("arousal+interest", f"{a:+.2f}/{reading.interest:.2f}",
             f"tweak contrast ×{tweaks.contrast:.3f} (noise standard deviation; interest adds up to "
             f"+{k['contrast_interest']:g})"),
        Note("arousal+stress+anxiety", f"{a:+.2f}/{reading.stress:.2f}/{reading.anxiety:.2f}",
             f"tweak turbulence {tweaks.turbulence:.3f} (coarse swirling noise mixed in; anxiety adds up to "
             f"+{k['turbulence_anxiety']:g})"),
        Note("dominance", reading.dominance,
             f"tweak scale {tweaks.scale:+.3f} (>0 big central subject, <0 small in wide space)"),
    ]


def guidance(desires: list[tuple[str, float]], mood: list[tuple[str, float]],
             strength: float) -> tuple[float, list[Record]]:
    """Classifier-free guidance from the intensity: the strongest desire, or the dominant emotion (not neutral)."""
    k = data.load("mapping")["tweaks"]
    dominant, dominant_p = mood[0]
    default = k["default_guidance"]
    intensity = max([i for _, i in desires[:1]] + [dominant_p if dominant != "neutral" else 0.0])
    scale = round(default + strength * k["guidance"] * (intensity - 0.5), 3)
    return scale, [Note("intensity", intensity,
                        f"tweak guidance_scale {scale} (default {default:g}; turbo models ignore it)")]
