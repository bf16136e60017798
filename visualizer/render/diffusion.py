"""Diffusion backend: any Stable Diffusion 1.x/2.x/SDXL/turbo/LCM pipeline from diffusers, driven by Conditionings.

The pipeline is used as shipped; all of our influence goes through its public inputs:
`prompt_embeds` (built by compel from the weighted prompt, plus pooled embeds for SDXL) and `latents`
(seeded noise shaped by the latent tweaks). That keeps any diffusers pipeline, scheduler or LoRA usable.

Choosing a model (`--model`): a Hugging Face id (`stabilityai/sd-turbo`, the default: 1–4 steps, 512 px;
`stabilityai/sdxl-turbo` for 512 px SDXL quality; `SimianLuo/LCM_Dreamshaper_v7` for LCM; any SD 1.5/2.1/
SDXL fine-tune for 25 steps with guidance), a local diffusers folder (with `model_index.json`), or one
`.safetensors`/`.ckpt` file. With `HF_HUB_OFFLINE=1` only already-downloaded weights are used.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from visualizer.errors import UserError
from visualizer.mapping import Conditioning
from visualizer.quiet import quiet_loading
from visualizer.render.base import Backend, FrameSpec
from visualizer.render.noise import base_noise, shape_noise, slerp

DEFAULT_MODEL = "stabilityai/sd-turbo"
CHUNKS = 3  # every prompt is padded/cut to 3×77 tokens: it then encodes the same alone, in a batch or as a keyframe
_REPO_ID = re.compile(r"^[\w.-]+/[\w.-]+$")


@dataclass(frozen=True)
class Profile:
    """How a model family wants to be sampled: default/maximum steps and whether it uses guidance."""

    steps: int
    max_steps: int
    guided: bool         # False: distilled (turbo, lightning) models run without classifier-free guidance
    fixed_guidance: float | None = None


def profile_for(model: str) -> Profile:
    """Sampling defaults from the model name (turbo → 1 step, no guidance; LCM → 4 steps; else 25)."""
    name = model.lower()
    if "turbo" in name or "lightning" in name or "hyper" in name:
        return Profile(steps=1, max_steps=4, guided=False, fixed_guidance=0.0)
    if "lcm" in name:  # LCM embeds guidance in the UNet (w-conditioning) and takes no negative prompt
        return Profile(steps=4, max_steps=8, guided=False, fixed_guidance=8.0)
    if name.startswith("tiny"):
        return Profile(steps=2, max_steps=4, guided=True)
    return Profile(steps=25, max_steps=100, guided=True)


def resolve_device(device: str | None) -> str:
    """`cuda` if present, then Apple `mps`, else `cpu`; an explicit choice must be available."""
    if device is None or device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UserError(f"device {device!r} asked for, but no CUDA GPU is available")
    if device == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise UserError("device 'mps' asked for, but Apple MPS is not available")
    if not (device == "cpu" or device == "mps" or device.startswith("cuda")):
        raise UserError(f"unknown device {device!r}; use cuda, mps or cpu")
    return device


def _is_sdxl_checkpoint(path: Path) -> bool:
    if path.suffix != ".safetensors":
        return False
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as handle:
        return any(key.startswith("conditioner.embedders.1") for key in handle.keys())


def load_pipeline(model: str, device: str, dtype: torch.dtype):
    """Load a text-to-image pipeline by id, folder or single file; UserError with a fix for every failure.

    A hub id downloads unless the user set HF_HUB_OFFLINE; loading is quiet apart from the download bars.
    """
    with quiet_loading("transformers", "diffusers"):
        pipe = _load(model, dtype)
    if getattr(pipe, "unet", None) is None or getattr(pipe, "vae", None) is None or getattr(pipe, "text_encoder", None) is None:
        raise UserError(f"{model!r} loaded as {type(pipe).__name__}, which is not a Stable Diffusion UNet pipeline")
    return pipe


def _load(model: str, dtype: torch.dtype):
    """The load itself (diffusers is imported here too: importing it logs "requires torchvision" notes)."""
    from diffusers import AutoPipelineForText2Image, StableDiffusionPipeline, StableDiffusionXLPipeline

    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
    path = Path(model).expanduser()
    try:
        if path.suffix in (".safetensors", ".ckpt"):
            if not path.is_file():
                raise UserError(f"{path}: no such checkpoint file")
            cls = StableDiffusionXLPipeline if _is_sdxl_checkpoint(path) else StableDiffusionPipeline
            pipe = cls.from_single_file(str(path), torch_dtype=dtype, local_files_only=offline)
        elif path.exists():
            if not path.is_dir() or not (path / "model_index.json").is_file():
                raise UserError(f"{path}: not a diffusers pipeline folder (no model_index.json); pass a Hugging Face "
                                "id, a folder saved with save_pretrained(), or a single .safetensors file")
            pipe = AutoPipelineForText2Image.from_pretrained(str(path), torch_dtype=dtype, local_files_only=True)
        elif _REPO_ID.match(model):
            pipe = AutoPipelineForText2Image.from_pretrained(model, torch_dtype=dtype, local_files_only=offline)
        else:
            raise UserError(f"model {model!r} is not a file, a folder or a Hugging Face id like 'stabilityai/sd-turbo'")
    except UserError:
        raise
    except Exception as exc:  # diffusers/hub raise many types; the user needs one clear line and a fix
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = ("HF_HUB_OFFLINE is set, so only downloaded weights can be used: download once with "
                f"`huggingface-cli download {model}` while online, or pass a local folder/.safetensors"
                if offline else "check the id/path, your network, and that the weights are a Stable Diffusion pipeline")
        raise UserError(f"could not load diffusion model {model!r}: {first} ({hint})") from None
    return pipe


class _NaNLatents(RuntimeError):
    pass


def _nan_guard(pipe, step, timestep, tensors):
    if not torch.isfinite(tensors["latents"]).all():
        raise _NaNLatents(f"step {step}")
    return tensors


@dataclass
class _Job:
    """One image to sample: its encodings and initial latents (C, H, W)."""

    embeds: torch.Tensor
    negative: torch.Tensor | None
    pooled: torch.Tensor | None
    negative_pooled: torch.Tensor | None
    latents: torch.Tensor


class DiffusionBackend(Backend):
    """Stable Diffusion through diffusers. `pipe=` injects a ready pipeline (the tiny backend does this)."""

    def __init__(self, model: str | None = None, device: str | None = None, *, pipe=None, name: str = "diffusion",
                 dtype: torch.dtype | None = None, batch_size: int | None = None) -> None:
        super().__init__()
        self.name = name
        self.device = resolve_device(device)
        self.dtype = dtype or (torch.float16 if self.device != "cpu" else torch.float32)
        self.model = model or (DEFAULT_MODEL if pipe is None else type(pipe).__name__)
        self.pipe = pipe if pipe is not None else load_pipeline(self.model, self.device, self.dtype)
        self.pipe.to(self.device)
        if self.device.startswith("cuda"):
            self.pipe.unet.to(memory_format=torch.channels_last)
        if self.device == "mps":
            self.pipe.enable_attention_slicing()
        self.pipe.set_progress_bar_config(disable=True)
        self.family = "sdxl" if getattr(self.pipe, "text_encoder_2", None) is not None else "sd"
        self.profile = profile_for(self.model)
        self.batch_size = batch_size or (8 if self.device.startswith("cuda") else 1)
        self._compel = self._build_compel()
        self._cache: dict[str, tuple[torch.Tensor, torch.Tensor | None]] = {}

    # -- prompt encoding -------------------------------------------------------------------------
    def _build_compel(self):
        from compel import Compel, ReturnedEmbeddingsType

        if self.family == "sdxl":
            return Compel(tokenizer=[self.pipe.tokenizer, self.pipe.tokenizer_2],
                          text_encoder=[self.pipe.text_encoder, self.pipe.text_encoder_2],
                          returned_embeddings_type=ReturnedEmbeddingsType.PENULTIMATE_HIDDEN_STATES_NON_NORMALIZED,
                          requires_pooled=[False, True], truncate_long_prompts=False)
        return Compel(tokenizer=self.pipe.tokenizer, text_encoder=self.pipe.text_encoder, truncate_long_prompts=False)

    def _encode(self, text: str) -> tuple[torch.Tensor, torch.Tensor | None]:
        """compel parses `(term)1.3` weights into real embedding weights; cached per text."""
        if text not in self._cache:
            with quiet_loading("transformers"):  # long prompts are chunked on purpose; no length warning
                out = self._compel(text)
            self._cache[text] = (out[0], out[1]) if isinstance(out, tuple) else (out, None)
        return self._cache[text]

    def _pad(self, tensors: list[torch.Tensor]) -> list[torch.Tensor]:
        """Pad (with compel's empty-prompt chunks) or cut whole 77-token chunks to exactly CHUNKS chunks."""
        target = CHUNKS * self.pipe.tokenizer.model_max_length
        template = torch.zeros((1, target, tensors[0].shape[-1]), dtype=tensors[0].dtype, device=tensors[0].device)
        padded = self._compel.pad_conditioning_tensors_to_same_length([*tensors, template])[:-1]
        return [t[:, :target] for t in padded]

    def _guidance(self, cond: Conditioning) -> float:
        return self.profile.fixed_guidance if not self.profile.guided else float(cond.guidance_scale)

    def _uses_negative(self, guidance: float) -> bool:
        return self.profile.guided and guidance > 1.0  # the pipeline's own test for classifier-free guidance

    def _steps(self, cond: Conditioning) -> int:
        return max(1, min(self.profile.max_steps, cond.steps or self.profile.steps))

    def _encodings(self, keys: list[Conditioning], guided: bool):
        """Padded (embeds, negative, pooled, negative_pooled) per keyframe, all the same length."""
        pos = [self._encode(k.prompt) for k in keys]
        neg = [self._encode(k.negative_prompt) for k in keys] if guided else []
        padded = self._pad([p[0] for p in pos] + [n[0] for n in neg])
        embeds, negatives = padded[:len(keys)], padded[len(keys):] or [None] * len(keys)
        pooled = [p[1] for p in pos]
        negative_pooled = [n[1] for n in neg] or [None] * len(keys)
        return embeds, negatives, pooled, negative_pooled

    # -- noise -------------------------------------------------------------------------------------
    def _latent_shape(self, size: int) -> tuple[int, int, int]:
        side = size // self.pipe.vae_scale_factor
        return self.pipe.unet.config.in_channels, side, side

    def _noise(self, cond: Conditioning, size: int):
        return base_noise(cond.seed, *self._latent_shape(size))

    # -- rendering ----------------------------------------------------------------------------------
    def _render(self, conds: list[Conditioning], size: int) -> list[Image.Image]:
        images: dict[int, Image.Image] = {}
        groups: dict[tuple[int, float], list[int]] = {}
        for i, cond in enumerate(conds):
            groups.setdefault((self._steps(cond), self._guidance(cond)), []).append(i)
        for (steps, guidance), members in groups.items():
            group = [conds[i] for i in members]
            embeds, negatives, pooled, negative_pooled = self._encodings(group, self._uses_negative(guidance))
            jobs = [_Job(embeds[j], negatives[j], pooled[j], negative_pooled[j],
                         shape_noise(*self._noise(c, size), c.tweaks, self.family)) for j, c in enumerate(group)]
            for i, image in zip(members, self._run(jobs, steps, guidance, size), strict=True):
                images[i] = image
        return [images[i] for i in range(len(conds))]

    def _render_frames(self, keys: list[Conditioning], specs: list[FrameSpec], size: int) -> Iterator[Image.Image]:
        """Frames between keyframes: slerp of initial noise, lerp of embeddings and tweaks.

        One steps/guidance setting (the first keyframe's) holds for the whole sequence so frames batch together.
        Each frame's inputs are made when its batch is due, so memory holds one batch, whatever the frame count.
        """
        steps, guidance = self._steps(keys[0]), self._guidance(keys[0])
        embeds, negatives, pooled, negative_pooled = self._encodings(keys, self._uses_negative(guidance))
        noises = [self._noise(k, size) for k in keys]

        def lerp(x, y, t):
            return None if x is None else (x if t == 0.0 else (1.0 - t) * x + t * y)

        def job(spec: FrameSpec) -> _Job:
            a, b, t = spec.a, spec.b, spec.t
            fine = slerp(noises[a][0], noises[b][0], t)
            coarse = slerp(noises[a][1], noises[b][1], t)
            tweaks = keys[a].tweaks.lerp(keys[b].tweaks, t) if t else keys[a].tweaks
            return _Job(lerp(embeds[a], embeds[b], t), lerp(negatives[a], negatives[b], t),
                        lerp(pooled[a], pooled[b], t), lerp(negative_pooled[a], negative_pooled[b], t),
                        shape_noise(fine, coarse, tweaks, self.family))

        return self._run(map(job, specs), steps, guidance, size)

    def _run(self, jobs: Iterable[_Job], steps: int, guidance: float, size: int) -> Iterator[Image.Image]:
        """Sample in batches, taking jobs only as each batch is due; on CUDA out-of-memory halve the batch and
        retry, down to 1."""
        jobs = iter(jobs)
        pending: list[_Job] = []
        while True:
            pending += itertools.islice(jobs, max(0, self.batch_size - len(pending)))
            if not pending:
                return
            chunk = pending[:self.batch_size]
            try:
                images = self._call(chunk, steps, guidance, size)
            except torch.cuda.OutOfMemoryError:
                if self.device.startswith("cuda"):
                    torch.cuda.empty_cache()
                if self.batch_size == 1:
                    raise UserError(f"GPU out of memory even for one {size}px image; try a smaller --size, "
                                    "a smaller model, or --device cpu") from None
                self.batch_size = max(1, self.batch_size // 2)
                self.notes.append(f"out of GPU memory: batch reduced to {self.batch_size}")
                continue
            del pending[:len(chunk)]
            yield from images

    def _call(self, jobs: list[_Job], steps: int, guidance: float, size: int) -> list[Image.Image]:
        def stack(items):
            return None if items[0] is None else torch.cat(items).to(self.device, self.dtype)

        kwargs = dict(prompt_embeds=stack([j.embeds for j in jobs]),
                      negative_prompt_embeds=stack([j.negative for j in jobs]),
                      latents=torch.stack([j.latents for j in jobs]).to(self.device, self.dtype))
        if self.family == "sdxl":
            kwargs |= dict(pooled_prompt_embeds=stack([j.pooled for j in jobs]),
                           negative_pooled_prompt_embeds=stack([j.negative_pooled for j in jobs]))
        kwargs = {k: v for k, v in kwargs.items() if v is not None}  # LCM pipelines take no negative embeds
        if not torch.isfinite(kwargs["latents"]).all():
            raise UserError("initial latents contain NaN/inf; check the conditioning's tweaks (strength too high?)")
        try:
            with torch.inference_mode():
                result = self.pipe(num_inference_steps=steps, guidance_scale=guidance, height=size, width=size,
                                   output_type="np", callback_on_step_end=_nan_guard, **kwargs)
        except _NaNLatents as exc:
            raise UserError(f"the model produced NaN latents at {exc}; in fp16 some models (e.g. SD 2.1 at 768 px) "
                            "need fp32: try --device cpu or another model") from None
        pixels = np.asarray(result.images)
        if not np.isfinite(pixels).all():
            raise UserError("the VAE decoded NaN pixels (common with SDXL's VAE in fp16); use an fp16-fixed VAE "
                            "such as madebyollin/sdxl-vae-fp16-fix or run in fp32")
        return [Image.fromarray((np.clip(p, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)) for p in pixels]
