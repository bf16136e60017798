"""Full-size diffusion benchmarks with random weights (no download): the sd-turbo and SDXL architectures.

Configs are the published ones (SD 2.1-base UNet, 4-channel KL VAE, OpenCLIP ViT-H text tower for sd-turbo;
SDXL UNet with CLIP-L + OpenCLIP bigG for SDXL). Random weights give the same FLOPs as trained ones, so the
timings hold for the real models. Each variant is timed after warm-up with CUDA synchronisation.
"""

from __future__ import annotations

import time

import torch

from visualizer.errors import UserError
from visualizer.mapping import Conditioning

SD_VAE = dict(in_channels=3, out_channels=3, latent_channels=4, layers_per_block=2, sample_size=512,
              block_out_channels=(128, 256, 512, 512), down_block_types=("DownEncoderBlock2D",) * 4,
              up_block_types=("UpDecoderBlock2D",) * 4)
ARCHS = {
    "arch:sd-turbo": dict(
        unet=dict(sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
                  block_out_channels=(320, 640, 1280, 1280), cross_attention_dim=1024, attention_head_dim=(5, 10, 20, 20),
                  use_linear_projection=True,
                  down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
                  up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3),
        text=[dict(hidden_size=1024, intermediate_size=4096, num_hidden_layers=23, num_attention_heads=16,
                   hidden_act="gelu", projection_dim=512)],
        vae=dict(SD_VAE, scaling_factor=0.18215)),
    "arch:sdxl": dict(
        unet=dict(sample_size=128, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=(320, 640, 1280),
                  down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
                  up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
                  transformer_layers_per_block=(1, 2, 10), attention_head_dim=(5, 10, 20), cross_attention_dim=2048,
                  use_linear_projection=True, addition_embed_type="text_time", addition_time_embed_dim=256,
                  projection_class_embeddings_input_dim=2816),
        text=[dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                   hidden_act="quick_gelu", projection_dim=768),
              dict(hidden_size=1280, intermediate_size=5120, num_hidden_layers=32, num_attention_heads=20,
                   hidden_act="gelu", projection_dim=1280)],
        vae=dict(SD_VAE, scaling_factor=0.13025, force_upcast=False)),
}


def build_arch_pipeline(arch: str, device: str, dtype: torch.dtype):
    """A full-size pipeline of the named architecture with random weights, built directly on `device`."""
    from diffusers import (AutoencoderKL, EulerDiscreteScheduler, StableDiffusionPipeline, StableDiffusionXLPipeline,
                           UNet2DConditionModel)
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    from visualizer.render.tiny import build_tokenizer

    if arch not in ARCHS:
        raise UserError(f"unknown architecture {arch!r}; use {', '.join(ARCHS)}")
    spec = ARCHS[arch]
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       timestep_spacing="trailing", steps_offset=1)
    with torch.device(device):
        unet = UNet2DConditionModel(**spec["unet"]).to(dtype)
        vae = AutoencoderKL(**spec["vae"]).to(dtype)
        texts = []
        for i, cfg in enumerate(spec["text"]):
            config = CLIPTextConfig(vocab_size=49408, max_position_embeddings=77, bos_token_id=0, eos_token_id=1,
                                    pad_token_id=1, **cfg)
            cls = CLIPTextModelWithProjection if (arch == "arch:sdxl" and i == 1) else CLIPTextModel
            texts.append(cls(config).to(dtype))
    if arch == "arch:sdxl":
        return StableDiffusionXLPipeline(vae=vae, text_encoder=texts[0], text_encoder_2=texts[1], tokenizer=build_tokenizer(),
                                         tokenizer_2=build_tokenizer(), unet=unet, scheduler=scheduler)
    return StableDiffusionPipeline(vae=vae, text_encoder=texts[0], tokenizer=build_tokenizer(), unet=unet,
                                   scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)


def _tiny_vae(device: str, dtype: torch.dtype, scaling: float):
    from diffusers import AutoencoderTiny

    with torch.device(device):
        return AutoencoderTiny(scaling_factor=scaling).to(dtype)


def bench_diffusion(cond: Conditioning, model: str, size: int, steps: int, batch: int | None, frames: int,
                    device: str | None) -> dict:
    """Seconds per picture and frames per second of `cond` (the caller's fixed entry) on a full-size pipeline."""
    from diffusers.models.attention_processor import AttnProcessor, AttnProcessor2_0

    from visualizer.render.diffusion import DiffusionBackend, resolve_device

    device = resolve_device(device)
    dtype = torch.float16 if device != "cpu" else torch.float32
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    arch = model if model in ARCHS else None
    pipe = build_arch_pipeline(arch, device, dtype) if arch else None
    name = f"{arch.split(':')[1]}-random" if arch else model
    backend = DiffusionBackend(name if arch else model, device, pipe=pipe, dtype=dtype, batch_size=batch or 1)
    if not device.startswith("cuda"):
        backend.pipe.unet.to(memory_format=torch.contiguous_format)
    cond.steps = steps
    full_vae = backend.pipe.vae
    notes, variants = [], {}

    def measure(label: str, n: int, repeats: int = 3) -> float:
        backend.batch_size = n
        backend.render([cond] * n, size)  # warm-up (and compile)
        wall = min(_timed_wall(lambda: backend.render([cond] * n, size), sync) for _ in range(repeats))
        ips = n / wall
        variants[label] = {"images_per_s": round(ips, 2), "batch": n}
        return ips

    base_batch = batch or (8 if device.startswith("cuda") else 1)
    backend.pipe.unet.set_attn_processor(AttnProcessor())
    backend.pipe.vae.set_attn_processor(AttnProcessor())
    classic = measure("fp16 classic attention" if dtype == torch.float16 else "fp32 classic attention", base_batch)
    backend.pipe.unet.set_attn_processor(AttnProcessor2_0())
    backend.pipe.vae.set_attn_processor(AttnProcessor2_0())
    best_label, best = "sdpa", measure("sdpa", base_batch)
    variants["sdpa"]["speedup_vs_previous"] = round(best / classic, 3)
    if device.startswith("cuda"):
        backend.pipe.unet.to(memory_format=torch.channels_last)
        backend.pipe.vae.to(memory_format=torch.channels_last)
        cl = measure("sdpa+channels_last", base_batch)
        variants["sdpa+channels_last"]["speedup_vs_previous"] = round(cl / best, 3)
        if cl > best:
            best_label, best = "sdpa+channels_last", cl
        sweep = [n for n in (1, 4, 8, 16, 32, 64) if batch is None or n == batch]
        for n in sweep:
            try:
                ips = measure(f"{best_label} batch {n}", n)
            except UserError as exc:
                notes.append(f"batch {n}: {exc}")
                break
            if ips > best:
                best, base_batch = ips, n
        eager_unet = backend.pipe.unet
        for mode in ("default", "reduce-overhead"):
            try:
                backend.pipe.unet = torch.compile(eager_unet, mode=None if mode == "default" else mode, fullgraph=False)
                ips = measure(f"{best_label}+compile({mode}) batch {base_batch}", base_batch)
                variants[f"{best_label}+compile({mode}) batch {base_batch}"]["speedup_vs_eager"] = round(ips / best, 3)
            except Exception as exc:  # compile support varies by driver/toolkit; report, don't fail the bench
                notes.append(f"torch.compile {mode} failed: {str(exc).splitlines()[0][:160]}")
                backend.pipe.unet = eager_unet
                continue
            if ips > best:
                best, best_label = ips, f"{best_label}+compile({mode})"
            else:
                backend.pipe.unet = eager_unet
    seconds_per_image = 1.0 / best
    full_vae_ips = best
    backend.pipe.vae = _tiny_vae(device, dtype, full_vae.config.scaling_factor)
    tiny_ips = measure(f"{best_label}+AutoencoderTiny batch {base_batch}", base_batch)
    variants[f"{best_label}+AutoencoderTiny batch {base_batch}"]["speedup_vs_full_vae"] = round(tiny_ips / full_vae_ips, 3)
    backend.render_sequence(cond, min(frames, base_batch), size)
    n_frames = max(frames, base_batch)
    fwall = _timed_wall(lambda: backend.render_sequence(cond, n_frames, size), sync)
    backend.pipe.vae = full_vae
    return {"seconds_per_image": round(seconds_per_image, 5), "images_per_s": round(full_vae_ips, 2),
            "frames_per_s": round(n_frames / fwall, 2), "tiny_vae_images_per_s": round(tiny_ips, 2),
            "resolution": size, "steps": steps, "batch": base_batch, "device": device, "backend": "diffusion",
            "dtype": str(dtype).replace("torch.", ""), "model": name, "best_variant": best_label,
            "variants": variants, "notes": "; ".join(notes + [
                "random weights, full-size architecture" if arch else "real weights",
                "images_per_s with the full VAE decoder; frames_per_s with AutoencoderTiny"])}


def _timed_wall(fn, sync) -> float:
    sync()
    start = time.perf_counter()
    fn()
    sync()
    return time.perf_counter() - start
