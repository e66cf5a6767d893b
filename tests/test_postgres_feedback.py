"""Feedback in a real PostgreSQL: two app instances at once, and the server stopped while votes come in.

The behaviours every store promises (round trip, restart, changed votes, comments, exports, threads)
run against PostgreSQL in test_feedback.py; here is what a shared database adds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import psycopg
import pytest
from sqlalchemy.engine import make_url

from assistant.feedback import (
    FeedbackRecord,
    FeedbackStore,
    FeedbackUnavailable,
    normalise_url,
    open_feedback_store,
)  # fmt: skip
from assistant.settings import load_settings
from assistant.types import Citation

if TYPE_CHECKING:
    from services import PostgresServer

pytest_plugins = ["services"]
pytestmark = pytest.mark.slow


def record(**over) -> FeedbackRecord:
    base = {
        "rating": "down", "question": "Giai đoạn cấp bách kéo dài đến ngày nào?", "answer": "Đến ngày 30/6/2025 [1].",
        "language": "vi", "backend": "extractive", "model": "extractive", "embedding_model": "e5",
        "corpus_version": "5 docs #abc",
        "citations": [Citation(n=1, source="articles/a.txt", title="A", quote="30/6/2025", verified=True)],
    }  # fmt: skip
    return FeedbackRecord(**{**base, **over})


def raw_rows(url: str, sql: str) -> list[tuple]:
    """Rows read with psycopg itself, not through the store."""
    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database) as conn:
        return conn.execute(sql).fetchall()


def test_votes_and_comments_are_rows_in_postgresql(postgres_url: str) -> None:
    store = FeedbackStore(postgres_url)
    assert store.engine.dialect.name == "postgresql"
    up, down = record(rating="up", user="an"), record(question="Có bao nhiêu xã?")
    store.save(up)
    store.save(down)
    assert store.set_comment(down.id, "Thiếu nguồn «Bắc Giang»").found
    rows = raw_rows(postgres_url, 'SELECT id, rating, comment, "user", created_at FROM feedback ORDER BY rating')
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (down.id, "down", "Thiếu nguồn «Bắc Giang»", None), (up.id, "up", "", "an"),
    ]  # fmt: skip
    assert rows[0][4] == down.created_at  # timestamptz keeps the instant to the microsecond
    assert store.get(down.id) == down.model_copy(update={"comment": "Thiếu nguồn «Bắc Giang»"})
    store.close()


def test_a_url_without_driver_uses_psycopg(postgres_url: str) -> None:
    bare = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    assert normalise_url(bare) == postgres_url
    assert normalise_url(bare.replace("postgresql://", "postgres://")) == postgres_url
    store = FeedbackStore(bare)
    store.save(record())
    assert store.count() == 1
    store.close()


def test_two_instances_store_every_vote_exactly_once(postgres_url: str) -> None:
    """Two stores (two app instances) write 2×50 votes from threads at once, and both also save the same
    20 votes concurrently (a vote changed while another instance writes it): no error, one row each."""
    instances = [FeedbackStore(postgres_url), FeedbackStore(postgres_url)]
    shared = [record(question=f"shared-{i}") for i in range(20)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def write(n: int) -> None:
        store = instances[n]
        try:
            start.wait()
            for i in range(50):
                vote = record(question=f"i{n}-{i}", rating="up" if i % 2 else "down")
                assert not store.save(vote).queued
                if i % 5 == 0:
                    assert store.set_comment(vote.id, f"c{n}-{i}").found
                if i < len(shared):
                    store.save(shared[i].model_copy(update={"rating": ("up", "down")[n]}))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    questions = raw_rows(postgres_url, "SELECT question, count(*) FROM feedback GROUP BY question")
    expected = {f"i{n}-{i}" for n in range(2) for i in range(50)} | {f"shared-{i}" for i in range(20)}
    assert {q for q, _ in questions} == expected and all(count == 1 for _, count in questions)
    rows = instances[0].records()
    assert len(rows) == 120 == instances[1].count()
    comments = {r.question: r.comment for r in rows if r.comment}
    assert comments == {f"i{n}-{i}": f"c{n}-{i}" for n in range(2) for i in range(0, 50, 5)}
    for store in instances:
        store.close()


@pytest.fixture
def own_server(postgres_factory: Callable[[], PostgresServer]) -> PostgresServer:
    """A server of this test's own, to stop and start again."""
    return postgres_factory()


def spooling_store(server: PostgresServer, tmp_path: Path, **options) -> FeedbackStore:
    settings = {"spool": tmp_path / "index" / "feedback-spool.sqlite3", "retries": 1, "retry_wait_s": 0.05,
                "connect_timeout_s": 2, **options}  # fmt: skip
    return FeedbackStore(server.url(), **settings)


def test_votes_given_while_postgresql_is_down_are_kept_and_sent_once(own_server, tmp_path: Path) -> None:
    store = spooling_store(own_server, tmp_path)
    before = record(question="trước khi dừng")
    assert not store.save(before).queued

    own_server.stop()
    vote = record(question="trong khi dừng")
    began = time.monotonic()
    write = store.save(vote)
    assert write.queued and write.id == vote.id
    assert time.monotonic() - began < 5, "a refused connection is retried briefly, not for minutes"
    assert store.set_comment(vote.id, "  ngày sai  ").queued
    assert store.get(vote.id) == vote.model_copy(update={"comment": "ngày sai"}), "read back from the spool"
    taken_back = record(question="bỏ phiếu rồi rút lại")
    assert store.save(taken_back).queued and store.delete(taken_back.id).queued
    assert store.pending() == 4
    with pytest.raises(FeedbackUnavailable):
        store.get(before.id)  # stored before the outage: only the database knows it
    assert store.flush().left == 4, "nothing is sent while the server is down"

    own_server.start()
    report = store.flush()
    assert (report.sent, report.left, report.failed) == (4, 0, 0)
    assert store.pending() == 0 and store.flush().sent == 0, "a second flush sends nothing again"
    rows = raw_rows(own_server.url(), "SELECT question, comment FROM feedback ORDER BY question")
    assert rows == [("trong khi dừng", "ngày sai"), ("trước khi dừng", "")]
    store.close()


def test_the_next_write_sends_what_waited_first(own_server, tmp_path: Path) -> None:
    """No explicit flush: the first write after the outage sends the spool, oldest first, then itself."""
    store = spooling_store(own_server, tmp_path)
    first = record(question="một")
    store.save(first)
    own_server.stop()
    assert store.save(first.model_copy(update={"rating": "up"})).queued
    own_server.start()
    second = record(question="hai")
    assert not store.save(second).queued
    assert store.pending() == 0
    rows = raw_rows(own_server.url(), "SELECT question, rating FROM feedback ORDER BY question")
    assert rows == [("hai", "down"), ("một", "up")]
    store.close()


def test_an_instance_starts_while_postgresql_is_down(own_server, tmp_path: Path) -> None:
    """The table is created on the first connection that succeeds; votes wait in the spool meanwhile."""
    own_server.stop()
    store = spooling_store(own_server, tmp_path)
    vote = record()
    assert store.save(vote).queued
    own_server.start()
    assert store.records() == [vote], "a read sends the spool first"
    store.close()


def test_without_a_spool_the_caller_gets_a_domain_error(own_server) -> None:
    store = FeedbackStore(own_server.url(), retries=2, retry_wait_s=0.05, connect_timeout_s=2)
    own_server.stop()
    with pytest.raises(FeedbackUnavailable, match="unreachable after 3 attempt"):
        store.save(record())
    store.close()


def test_the_settings_give_a_shared_database_a_spool_in_the_index_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_WEB__FEEDBACK_URL", f"sqlite:///{tmp_path / 'shared.db'}")
    monkeypatch.setenv("ASSISTANT_WEB__FEEDBACK_RETRIES", "0")
    store = open_feedback_store(load_settings())
    assert store.spool is not None and store.spool.path == tmp_path / "index" / "feedback-spool.sqlite3"
    assert store.retries == 0
    monkeypatch.delenv("ASSISTANT_WEB__FEEDBACK_URL")
    laptop = open_feedback_store(load_settings())
    assert laptop.spool is None and laptop.retries == 0, "the laptop's own SQLite needs no spool"


def test_the_chat_tells_the_user_in_their_language(own_server, tmp_path: Path, monkeypatch) -> None:
    """Through the chat tab's own handlers: a vote and a comment while the server is down are kept and
    said so (Vietnamese, then English); once it is back they are in the database, once."""
    from test_web import answer, drafted, handler, like, scripted_services

    from assistant.answer import DoneEvent
    from assistant.web import chat
    from assistant.web.app import build_app
    from assistant.web.feedback_tab import FeedbackTab
    from assistant.web.i18n import t

    monkeypatch.setenv("ASSISTANT_WEB__FEEDBACK_URL", own_server.url())
    monkeypatch.setenv("ASSISTANT_WEB__FEEDBACK_RETRY_WAIT_S", "0.05")
    monkeypatch.setattr(chat, "STREAM_INTERVAL_S", 0.0)
    services = scripted_services(tmp_path, *drafted("Có 58 ", "xã"), DoneEvent(answer()))
    demo = build_app(services.settings, services)
    respond, on_like, on_comment = (handler(demo, n) for n in ("respond", "on_like", "on_comment"))
    request = SimpleNamespace(username="an")
    for step in respond("Bao nhiêu xã?", [], [], "vi", "none", False, [], [], [], request):
        pass
    _, messages, done, *_ = step

    own_server.stop()
    target, row, status, _, votes = on_like(messages, done, "vi", like(1, False), request)
    assert status == t("vi", "feedback.queued") and "khi kết nối lại" in status
    assert target == 1 and row["visible"] and votes["feedback_value"] == ["Dislike"], "the vote stays drawn"
    _, status, _ = on_comment("Sai số xã", target, done, "en")
    assert status == t("en", "feedback.comment_queued")
    tab = FeedbackTab("table", "choice", "box", "note")  # the admin's feedback tab still loads, and says why
    assert "Hiện không đọc được cơ sở dữ liệu góp ý" in tab.refresh(services, "vi", None)["table"]

    own_server.start()
    assert services.feedback.flush().sent == 2
    [(rating, comment, user)] = raw_rows(own_server.url(), 'SELECT rating, comment, "user" FROM feedback')
    assert (rating, comment, user) == ("down", "Sai số xã", "an")
    services.feedback.close()
