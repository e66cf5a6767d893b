"""`assistant migrate`: an embedded index to a real `chroma run` server, SQLite feedback to a real PostgreSQL.

Both are run the way an administrator would (through the CLI), with a dry run first, then twice, to show
that the copy is complete, exact and idempotent.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings
from typer.testing import CliRunner

from assistant.cli import app
from assistant.feedback import FeedbackRecord, FeedbackStore, default_url
from assistant.migrate import MigrateError, migrate_index
from assistant.retrieval import search
from assistant.settings import IndexSettings
from assistant.sync import sync_corpus

if TYPE_CHECKING:
    from services import ChromaServer

pytest_plugins = ["services"]
pytestmark = pytest.mark.slow
runner = CliRunner()
SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ARTICLES = ("001_b9c937dc86475d3f.txt", "004_b579605fbec747db.txt")  # the two shortest sample articles: fast


@pytest.fixture
def small_corpus(settings) -> Path:
    """Two articles of the sample corpus, with its manifest, in the test's corpus folder."""
    (settings.corpus.dir / "articles").mkdir()
    shutil.copy(SAMPLE_CORPUS / "manifest.yaml", settings.corpus.dir)
    for name in ARTICLES:
        shutil.copy(SAMPLE_CORPUS / "articles" / name, settings.corpus.dir / "articles")
    return settings.corpus.dir


def http(server: ChromaServer) -> chromadb.api.ClientAPI:
    return chromadb.HttpClient(host="127.0.0.1", port=server.port, settings=ChromaSettings(anonymized_telemetry=False))


def everything(collection) -> dict[str, tuple]:
    got = collection.get(include=["documents", "embeddings", "metadatas"])
    return {
        i: (d, np.asarray(e, dtype=np.float32), m)
        for i, d, e, m in zip(got["ids"], got["documents"], got["embeddings"], got["metadatas"], strict=True)
    }


def row(output: str, name: str) -> list[int]:
    """The numbers of the report table's row for ``name``."""
    line = next(line for line in output.splitlines() if re.search(rf"^\W*{re.escape(name)}\s", line))
    return [int(n) for n in re.findall(r"\b\d+\b", line)]


def test_embedded_index_moves_to_a_server_completely_and_once(
    settings, small_corpus, make_index, chroma_service: ChromaServer
) -> None:
    embedded = make_index(settings)
    report = sync_corpus(embedded, settings)
    assert report.ok and len(report.added) == len(ARTICLES)
    local = chromadb.PersistentClient(path=str(settings.index.dir), settings=ChromaSettings(anonymized_telemetry=False))
    names = sorted(c.name for c in local.list_collections())
    assert {"plan02", "plan02__files", "plan02__sentences"} <= set(names)  # and whatever else the index keeps
    chunks = embedded.count()
    args = ["migrate", "index", "--host", "127.0.0.1", "--port", str(chroma_service.port), "--batch-size", "50"]

    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and row(dry.output, "plan02")[:3] == [chunks, 0, chunks]
    server = http(chroma_service)
    assert server.list_collections() == [], "a dry run writes nothing"

    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert row(first.output, "plan02")[:3] == [chunks, 0, chunks]
    for name in names:  # ids, documents, embeddings and metadata, exactly; the same distance
        source, copy = local.get_collection(name), server.get_collection(name)
        theirs, ours = everything(copy), everything(source)
        assert theirs.keys() == ours.keys() and len(ours) > 0
        for rid, (document, vector, metadata) in ours.items():
            assert theirs[rid][0] == document and theirs[rid][2] == metadata
            np.testing.assert_allclose(theirs[rid][1], vector, rtol=0, atol=1e-6)
        assert copy.configuration_json["hnsw"]["space"] == source.configuration_json["hnsw"]["space"]

    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert row(again.output, "plan02")[:3] == [chunks, chunks, 0] and "0 copied" in again.output
    assert server.get_collection("plan02").count() == chunks

    # An interrupted copy is completed by the next run: only what is missing is written.
    lost = server.get_collection("plan02").get(limit=7, include=[])["ids"]
    server.get_collection("plan02").delete(ids=lost)
    calls: list[tuple[str, int, int]] = []
    resumed = migrate_index(settings.index.dir, settings.index.model_copy(update={"port": chroma_service.port}),
                            batch_size=20, progress=lambda *call: calls.append(call))  # fmt: skip
    assert {(i.name, i.copied) for i in resumed.items} == {(n, 7 if n == "plan02" else 0) for n in names}
    assert [c[0] for c in calls][-1] == "plan02__files", "file records are copied last"
    assert ("plan02", chunks, chunks) in calls and ("plan02", 20, chunks) in calls, "progress per batch"

    # The app in server mode answers from the copy exactly as from the embedded index, with nothing to re-embed.
    served_settings = settings.model_copy(deep=True)
    served_settings.index.mode, served_settings.index.port = "server", chroma_service.port
    served = make_index(served_settings)
    assert served.file_records() == embedded.file_records()
    assert sync_corpus(served, served_settings).chunks_written == 0
    for question in ("Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?", "Who chaired the conference in Hue?"):
        assert [h.chunk.id for h in search(served, question, k=5)] == [
            h.chunk.id for h in search(embedded, question, k=5)
        ]


def test_index_migration_refuses_to_mix(tmp_path: Path, chroma_service: ChromaServer) -> None:
    """Another embedding model's vectors, or another distance, on the server: refused before anything is copied."""
    local = chromadb.PersistentClient(path=str(tmp_path / "idx"), settings=ChromaSettings(anonymized_telemetry=False))
    local.get_or_create_collection("plan02", configuration={"hnsw": {"space": "cosine"}}).add(
        ids=["c1"], embeddings=[[1.0, 0.0]], documents=["một"], metadatas=[{"source": "a.txt"}]
    )
    local.get_or_create_collection("plan02__files").add(
        ids=["::index::"], embeddings=[[0.0]], metadatas=[{"embedding_model": "e5 #1"}]
    )
    server = http(chroma_service)
    server.get_or_create_collection("plan02__files").add(
        ids=["::index::"], embeddings=[[0.0]], metadatas=[{"embedding_model": "minilm #2"}]
    )
    target = IndexSettings(mode="server", port=chroma_service.port)
    with pytest.raises(MigrateError, match="embedding model 'minilm #2'"):
        migrate_index(tmp_path / "idx", target, batch_size=10)
    assert [c.name for c in server.list_collections()] == ["plan02__files"], "nothing was copied"

    server.delete_collection("plan02__files")
    server.get_or_create_collection("plan02", configuration={"hnsw": {"space": "l2"}})
    with pytest.raises(MigrateError, match="distance by 'l2'"):
        migrate_index(tmp_path / "idx", target, batch_size=10)

    result = runner.invoke(app, ["migrate", "index", "--from-dir", str(tmp_path / "none"), "--port", "1"])
    assert result.exit_code == 2 and "no embedded index in" in result.output and "Traceback" not in result.output


def vote(n: int) -> FeedbackRecord:
    return FeedbackRecord(
        rating="down" if n % 2 else "up", comment=f"góp ý {n}" if n % 3 == 0 else "", question=f"Câu hỏi {n}?",
        answer="Trả lời [1].", language="vi", backend="extractive", model="extractive", user="an" if n else None,
    )  # fmt: skip


def test_sqlite_feedback_moves_to_postgresql_once(settings, postgres_url: str, monkeypatch) -> None:
    laptop = FeedbackStore(default_url(settings.index.dir))
    votes = [vote(n) for n in range(7)]
    for one in votes:
        laptop.save(one)
    args = ["migrate", "feedback", "--to-url", postgres_url]

    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert row(dry.output, "feedback")[:3] == [7, 0, 7] and "7 to copy" in dry.output
    shared = FeedbackStore(postgres_url, create_schema=False)
    assert shared.stored_ids(v.id for v in votes) == set(), "a dry run creates nothing"

    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert row(first.output, "feedback")[:3] == [7, 0, 7]
    assert sorted(shared.records(), key=lambda r: r.id) == sorted(votes, key=lambda r: r.id), "every field kept"

    again = runner.invoke(app, args)
    assert again.exit_code == 0 and row(again.output, "feedback")[:3] == [7, 7, 0] and shared.count() == 7

    # A vote given on the laptop afterwards is copied by the next run; the target defaults to web.feedback_url.
    late = vote(8)
    laptop.save(late)
    monkeypatch.setenv("ASSISTANT_WEB__FEEDBACK_URL", postgres_url.replace("postgresql+psycopg://", "postgresql://"))
    third = runner.invoke(app, ["migrate", "feedback"])
    assert third.exit_code == 0, third.output
    assert row(third.output, "feedback")[:3] == [8, 7, 1] and shared.get(late.id) == late and shared.count() == 8
    shared.close()

    same = runner.invoke(app, ["migrate", "feedback", "--to-url", default_url(settings.index.dir)])
    assert same.exit_code == 2 and "the same" in same.output
    monkeypatch.delenv("ASSISTANT_WEB__FEEDBACK_URL")
    missing = runner.invoke(app, ["migrate", "feedback"])
    assert missing.exit_code == 2 and "--to-url" in missing.output


def test_deploy_doc_names_only_real_settings_and_options() -> None:
    """docs/deploy.md states settings and `assistant migrate` options: each must exist in the code."""
    import typer

    from assistant.settings import Settings

    text = (Path(__file__).resolve().parents[1] / "docs" / "deploy.md").read_text(encoding="utf-8")
    variables = set(re.findall(r"\bASSISTANT_([A-Z_]*[A-Z])\b", text)) - {"CONFIG", "PRESET"}
    assert {"INDEX__MODE", "WEB__FEEDBACK_URL", "OPENAI__BASE_URL", "WEB__FEEDBACK_SPOOL"} <= variables
    for variable in sorted(variables):
        model: type = Settings
        for part in variable.lower().split("__"):
            assert part in model.model_fields, f"ASSISTANT_{variable} is no setting"
            model = model.model_fields[part].annotation
    commands = typer.main.get_command(app).commands["migrate"].commands
    mentioned = re.findall(r"`(?:assistant )?migrate (index|feedback)((?: --[a-z-]+)+)", text)
    mentioned += [
        (line.split()[2], " ".join(re.findall(r"--[a-z-]+", line)))
        for line in text.splitlines()
        if line.startswith("assistant migrate ")
    ]
    assert len(mentioned) >= 9
    for command, named in mentioned:
        assert command in commands
        assert set(named.split()) <= {name for param in commands[command].params for name in param.opts}, named
