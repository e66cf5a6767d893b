"""The feedback store: durable, concurrent, exportable; thumbs-down as draft regression cases.

The store's promises are checked against SQLite and against a real PostgreSQL server (``url`` and
``store`` are parametrized; the server comes from tests/services.py). What only PostgreSQL needs —
two instances at once, an outage — is in test_postgres_feedback.py.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from assistant.evaluation.questions import Question
from assistant.feedback import (
    DRAFT_PREFIX,
    FeedbackRecord,
    FeedbackStore,
    append_draft,
    default_url,
    draft_case,
    export,
    to_csv,
    to_jsonl,
    validate_draft,
)  # fmt: skip
from assistant.types import Citation

pytest_plugins = ["services"]


def record(**over) -> FeedbackRecord:
    base = {
        "rating": "down", "comment": "Sai ngày", "question": "Giai đoạn cấp bách kéo dài đến ngày nào?",
        "answer": "Đến ngày 30/6/2025 [1].", "language": "vi", "backend": "extractive", "model": "extractive",
        "embedding_model": "e5", "corpus_version": "5 docs #abc",
        "citations": [Citation(n=1, source="articles/a.txt", title="A", quote="30/6/2025", verified=True)],
    }  # fmt: skip
    return FeedbackRecord(**{**base, **over})


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The default SQLite file in the index folder, or a fresh database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return default_url(tmp_path / "index")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(url: str) -> Iterator[FeedbackStore]:
    store = FeedbackStore(url)
    yield store
    store.close()


def test_sqlite_in_wal_mode_in_the_index_folder(tmp_path: Path) -> None:
    FeedbackStore(default_url(tmp_path / "index")).save(record())
    db = tmp_path / "index" / "feedback.sqlite3"
    assert db.exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_round_trip_keeps_every_field(store: FeedbackStore) -> None:
    saved = record(user="an")
    write = store.save(saved)
    assert (write.id, write.found, write.queued) == (saved.id, True, False)
    assert store.get(saved.id) == saved
    assert store.get("missing") is None


def test_survives_a_restart(url: str) -> None:
    first = FeedbackStore(url)
    ids = {first.save(record(question=f"q{i}")).id for i in range(5)}
    first.close()
    again = FeedbackStore(url)
    assert {r.id for r in again.records()} == ids and again.count() == 5
    again.close()


def test_changed_vote_replaces_the_row_and_comment_attaches(store: FeedbackStore) -> None:
    saved = record(rating="up", comment="")
    store.save(saved)
    store.save(saved.model_copy(update={"rating": "down"}))
    assert store.set_comment(saved.id, "  nguồn sai  ").found
    assert not store.set_comment("missing", "x").found
    [only] = store.records()
    assert (only.rating, only.comment) == ("down", "nguồn sai")
    assert store.delete(saved.id).found and store.records() == []
    assert not store.delete(saved.id).found


def test_concurrent_writers_lose_nothing(url: str) -> None:
    stores = [FeedbackStore(url) for _ in range(2)]  # two "instances" on one store
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(25):
                saved = stores[worker % 2].save(record(question=f"w{worker}-{i}"))
                assert not saved.queued
                stores[worker % 2].set_comment(saved.id, f"c{worker}-{i}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for one in stores:
        one.close()
    rows = FeedbackStore(url).records()
    assert len(rows) == 200
    assert {r.question for r in rows} == {f"w{w}-{i}" for w in range(8) for i in range(25)}
    assert all(r.comment == "c" + r.question[1:] for r in rows)


def test_records_newest_first_and_by_rating(store: FeedbackStore) -> None:
    from datetime import datetime, timedelta

    now = datetime.now(UTC)
    store.save(record(question="old", created_at=now - timedelta(hours=1), rating="up"))
    store.save(record(question="new", created_at=now))
    assert [r.question for r in store.records()] == ["new", "old"]
    assert [r.question for r in store.records(rating="up")] == ["old"]


def test_any_sqlalchemy_url(tmp_path: Path) -> None:
    store = FeedbackStore(f"sqlite:///{tmp_path / 'other.db'}")
    store.save(record())
    assert store.count() == 1


def test_csv_and_jsonl_exports(tmp_path: Path, store: FeedbackStore) -> None:
    saved = record(comment='a "quoted", comma')
    store.save(saved)
    rows = list(csv.DictReader(io.StringIO(to_csv(store.records()))))
    assert rows[0]["id"] == saved.id and rows[0]["comment"] == 'a "quoted", comma'
    assert json.loads(rows[0]["citations"])[0]["source"] == "articles/a.txt"
    line = json.loads(to_jsonl(store.records()).splitlines()[0])
    assert line["question"] == saved.question and line["citations"][0]["quote"] == "30/6/2025"
    path = export(store.records(), tmp_path / "f.jsonl", "jsonl")
    assert FeedbackRecord.model_validate_json(path.read_text(encoding="utf-8").strip()) == saved


def test_draft_case_is_in_the_question_format(tmp_path: Path) -> None:
    case = draft_case(record())
    assert case["expected_facts"] == [] and case["should_refuse"] is False
    assert case["expected_sources"] == ["articles/a.txt"]
    assert case["notes"].startswith(DRAFT_PREFIX) and "Sai ngày" in case["notes"]
    validate_draft(case)
    # Once a person fills in the facts it is a valid question.
    Question.model_validate({**case, "expected_facts": ["30/6/2025"]})


def test_append_draft_once(tmp_path: Path) -> None:
    path = tmp_path / "evals" / "drafts.jsonl"
    rec = record(citations=[])
    append_draft(rec, path)
    append_draft(rec, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == f"draft-{rec.id[:12]}"
