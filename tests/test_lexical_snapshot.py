"""The lexical snapshot on disk: built once, loaded by later indexes and processes, never used when stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.index import CorpusIndex
from assistant.retrieval import lexical, snapshot_store
from assistant.retrieval.search import search
from assistant.sync import sync_corpus

pytest_plugins = ["services"]
pytestmark = pytest.mark.slow

FILES = {
    "vi.txt": "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày 30/6/2025.\n\n"
    "Trung tâm phục vụ hành chính công cấp xã tiếp nhận hồ sơ của người dân.",
    "de.txt": "Die Dringlichkeitsphase des Plans Nr. 02-KH/BCĐTW endet am 30. Juni 2025.\n\n"
    "Die Konferenz in Hue wurde vom Sekretär des Parteikomitees geleitet.",
    "ru.txt": "Руководство разделено на 4 части и 10 глав.\n\nГлава 1 объясняет важность Плана № 02.",
}
QUESTION = "Giai đoạn cấp bách kéo dài đến ngày nào?"


@pytest.fixture
def corpus(settings) -> Path:
    settings.facts.enabled = False  # not what is tested here, and it would only slow the syncs down
    for name, text in FILES.items():
        (settings.corpus.dir / name).write_text(text, encoding="utf-8")
    return settings.corpus.dir


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Counts the snapshots built (as opposed to loaded) in this process."""
    calls: list[int] = []
    real = lexical.build_snapshot

    def counting(chunks, embeddings, signature):
        calls.append(len(chunks))
        return real(chunks, embeddings, signature)

    monkeypatch.setattr(lexical, "build_snapshot", counting)
    return calls


def _ranking(index: CorpusIndex) -> list[tuple[str, float]]:
    return [(h.chunk.id, round(h.score, 6)) for h in search(index, QUESTION, k=5)]


def _saved(index: CorpusIndex) -> list[Path]:
    store = snapshot_store.location(index)
    return sorted(p for p in store.iterdir() if not p.name.startswith(".")) if store.exists() else []


def test_built_once_then_loaded_by_another_index_with_the_same_ranking(settings, make_index, corpus, builds):
    first = make_index(settings)
    sync_corpus(first, settings)
    ranking = _ranking(first)
    assert ranking and builds == [first.count()]
    assert lexical.snapshot_for(first).source == "built"
    saved = _saved(first)
    assert len(saved) == 1 and saved[0].parent.parent == Path(settings.index.dir) / snapshot_store.FOLDER
    assert json.loads((saved[0] / "snapshot.json").read_text())["key"] == lexical.corpus_key(first)

    second = make_index(settings)  # a new instance has no snapshot in memory: it loads the saved one
    assert _ranking(second) == ranking
    assert lexical.snapshot_for(second).source == "loaded"
    assert builds == [first.count()], "the second index rebuilt the snapshot instead of loading it"


def test_another_process_loads_it_without_rebuilding(settings, make_index, corpus):
    index = make_index(settings)
    sync_corpus(index, settings)
    lexical.snapshot_for(index)
    code = (
        "import json\n"
        "from assistant.index import CorpusIndex\n"
        "from assistant.retrieval import lexical\n"
        "from assistant.settings import load_settings\n"
        "def refuse(*args):\n"
        "    raise SystemExit('rebuilt')\n"
        "lexical.build_snapshot = refuse\n"
        "index = CorpusIndex(load_settings().index, lambda: None)\n"
        "snap = lexical.snapshot_for(index)\n"
        "print(json.dumps({'source': snap.source, 'chunks': len(snap), 'ids': sorted(snap.position)}))\n"
    )
    env = {**os.environ, "ASSISTANT_FACTS__ENABLED": "false"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got == {"source": "loaded", "chunks": index.count(), "ids": sorted(index.all_ids())}


def test_a_changed_file_makes_the_saved_snapshot_stale(settings, make_index, corpus, builds):
    index = make_index(settings)
    sync_corpus(index, settings)
    lexical.snapshot_for(index)
    old = _saved(index)
    (corpus / "vi.txt").write_text(FILES["vi.txt"] + "\n\nBan Chỉ đạo họp định kỳ vào thứ Năm hằng tuần.",
                                   encoding="utf-8")  # fmt: skip
    writer = make_index(settings)  # another instance (sharing the index) indexes the change
    assert sync_corpus(writer, settings).changed == ["vi.txt"]

    # The first index sees the change on its next search (its change token moved) and rebuilds.
    snap = lexical.snapshot_for(index)
    assert snap.source == "built" and len(builds) == 2
    assert any("thứ Năm hằng tuần" in c.text for c in snap.chunks)
    new = _saved(index)
    assert len(new) == 1 and new != old, "the stale snapshot was not replaced"

    # A fresh instance loads the new one, never the old.
    fresh = lexical.snapshot_for(make_index(settings))
    assert fresh.source == "loaded" and fresh.signature == lexical.corpus_key(index) == snap.signature
    assert any("thứ Năm hằng tuần" in c.text for c in fresh.chunks)


def test_a_stale_or_damaged_snapshot_is_never_loaded(settings, make_index, corpus, builds):
    index = make_index(settings)
    sync_corpus(index, settings)
    key = lexical.corpus_key(index)
    lexical.snapshot_for(index)
    [folder] = _saved(index)

    # A snapshot saved under the current key whose own record names another corpus version.
    meta = json.loads((folder / "snapshot.json").read_text())
    (folder / "snapshot.json").write_text(json.dumps({**meta, "key": "0" * 64}))
    assert lexical.snapshot_for(make_index(settings)).source == "built"

    # A truncated one (a crash while copying it, a full disk): rebuilt, and saved again whole.
    rows = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
    (folder / "chunks.json").write_text(json.dumps(rows[:-1]), encoding="utf-8")
    assert lexical.snapshot_for(make_index(settings)).source == "built"
    assert lexical.snapshot_for(make_index(settings)).source == "loaded"

    # An index whose chunks changed without a file record (count differs): the key differs, nothing loads.
    extra = index.all_chunks()[0].model_copy(update={"id": "extra-chunk"})
    index.add_chunks([extra])
    assert lexical.corpus_key(index) != key
    snap = lexical.snapshot_for(make_index(settings))
    assert snap.source == "built" and "extra-chunk" in snap.position
    assert len(builds) == 4


def test_switched_off_nothing_is_saved(settings, make_index, corpus, builds):
    settings.index.lexical_snapshot = False
    index = make_index(settings)
    sync_corpus(index, settings)
    assert lexical.snapshot_for(index).source == "built"
    assert not (Path(settings.index.dir) / snapshot_store.FOLDER).exists()
    assert lexical.snapshot_for(make_index(settings)).source == "built" and len(builds) == 2


def test_server_mode_keeps_it_in_the_cache_folder_per_server(settings, make_index, corpus, chroma_service, tmp_path,
                                                            builds):  # fmt: skip
    settings.index.mode, settings.index.port = "server", chroma_service.port
    settings.index.lexical_cache_dir = tmp_path / "lexical-cache"
    index = make_index(settings)
    sync_corpus(index, settings)
    ranking = _ranking(index)
    [saved] = _saved(index)
    assert saved.parent.parent == tmp_path / "lexical-cache" / snapshot_store.FOLDER
    assert "-server-" in saved.parent.name and saved.parent.name.endswith(index.collection_id)

    other = make_index(settings)  # a second app instance on the same server and cache folder
    assert _ranking(other) == ranking and lexical.snapshot_for(other).source == "loaded"
    assert len(builds) == 1


def test_assistant_index_saves_it_so_the_first_question_loads_it(settings, corpus, embeddings, builds, monkeypatch):
    from typer.testing import CliRunner

    import assistant.models.embeddings as emb
    from assistant.cli import app
    from assistant.index import open_index

    monkeypatch.setattr(emb, "build_embeddings", lambda _settings: embeddings)
    monkeypatch.setenv("ASSISTANT_FACTS__ENABLED", "false")
    result = CliRunner().invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    assert len(builds) == 1, "`assistant index` did not build the snapshot"
    index = open_index(settings)
    assert lexical.snapshot_for(index).source == "loaded" and len(builds) == 1
    again = CliRunner().invoke(app, ["index"])  # nothing changed: nothing built again
    assert again.exit_code == 0, again.output
    assert len(builds) == 1
