"""Chat load test: N concurrent browser-like sessions asking questions for D seconds.

    .venv/bin/python benchmarks/chat_load.py [--sessions 20] [--duration 60] [--llm none|local] [--url URL]
    .venv/bin/python benchmarks/chat_load.py --instances 2 --shared [--vote-every 5]

Starts the app itself on a free 127.0.0.1 port (extractive answers by default,
over a fresh index of a temporary copy of the sample corpus), then runs one
``gradio_client`` session per simulated user, each asking the dev-set questions
in turn through the same ``/chat`` event the page uses. Prints requests, errors,
throughput and latency percentiles: to the finished answer, to the first
evidence, and queue wait (time spent queued before the answer started). With
``--llm local`` generation is serialised on one model, so a probe also checks
that the page and the evidence keep loading while answers queue.

``--shared`` starts the deployment of ``docs/deploy.md`` on this machine: one PostgreSQL for
feedback and one ``chroma run`` server (``tests/servers.py``, as the integration tests start
them), the corpus indexed once into the server, and ``--instances`` app instances sharing
both (``ASSISTANT_INDEX__MODE=server``, ``ASSISTANT_WEB__FEEDBACK_URL``), each with its own
local folder; the sessions are spread over the instances as a proxy would. Every
``--vote-every``-th answer of a session gets a thumbs-down and a comment through the page's
own events (the chat's like event and the comment box's send button, called by their
``fn_index`` with the page's event data); at the end the feedback table is counted against the
votes sent: each vote must be stored exactly once, with its comment.
Traffic goes only to loopback addresses.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
FALLBACK_QUESTIONS = [
    "Hội nghị tại tỉnh Bắc Giang có bao nhiêu xã, phường?",
    "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày nào?",
    "When was Plan No. 02-KH/BCĐTW issued?",
]
EVIDENCE_MARK = "p2-ev-list"  # present once the evidence block lists passages
NO_EVIDENCE_MARK = 'class="p2-evidence">'  # the "nothing found" evidence line


@dataclass
class Sample:
    ok: bool
    total_s: float
    evidence_s: float | None = None
    queue_s: float | None = None
    error: str = ""
    messages: list = field(default_factory=list, repr=False)  # the chat after the answer (for a vote)


@dataclass
class Vote:
    """One thumbs-down with a comment, as sent, and what the page answered."""

    comment: str  # unique per vote: the feedback table is counted against these
    ok: bool
    total_s: float
    queued: bool = False  # the instance kept it in its spool (database unreachable)
    error: str = ""


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    page_s: list[float] = field(default_factory=list)
    page_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def add_vote(self, vote: Vote) -> None:
        with self.lock:
            self.votes.append(vote)


def load_questions() -> list[str]:
    path = REPO / "evals" / "dev.jsonl"
    if not path.exists():
        return FALLBACK_QUESTIONS
    questions = [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return questions or FALLBACK_QUESTIONS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _check_loopback(url: str) -> None:
    host = urlparse(url).hostname or ""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"chat_load: refusing to send load to {host!r}; only 127.0.0.1 is allowed")


def start_app(
    llm: str, workdir: Path, index_dir: Path | None, extra_env: dict[str, str] | None = None, index: bool = True
) -> tuple[subprocess.Popen, str]:
    """Index a copy of the sample corpus (when ``index`` and no index is given) and start app.py on a free port."""
    corpus = workdir / "corpus"
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "corpus", corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADIO_", "ASSISTANT_WEB__", "ASSISTANT_INDEX__"))}
    env.update(ASSISTANT_LLM=llm, ASSISTANT_CORPUS__DIR=str(corpus), ASSISTANT_INDEX__DIR=str(index_dir or workdir / "index"))
    env.update(extra_env or {})
    if index_dir is None and index:
        cli = Path(sys.executable).with_name("assistant")
        subprocess.run([str(cli), "index"], env=env, cwd=workdir, check=True, capture_output=True)
    port = _free_port()
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port))
    log = (workdir / "app.log").open("w")
    process = subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=workdir, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"app exited: {(workdir / 'app.log').read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return process, url
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("app did not start within 180 s")


def _text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def ask(client, question: str) -> Sample:
    """One question through the /chat event; times to evidence, to processing start, and to the end."""
    from gradio_client.utils import Status

    start = time.perf_counter()
    job = client.submit(question=question, api_name="/chat")
    evidence = queue = None
    while not job.done():
        now = time.perf_counter() - start
        if queue is None and job.status().code not in (Status.STARTING, Status.JOINING_QUEUE, Status.IN_QUEUE):
            queue = now
        outputs = job.outputs()
        if evidence is None and outputs:
            last = _text(outputs[-1][1][-1]) if outputs[-1][1] else ""
            if EVIDENCE_MARK in last or NO_EVIDENCE_MARK in last:
                evidence = now
        time.sleep(0.02)
    try:
        result = job.result()
    except Exception as exc:  # noqa: BLE001 - any failure of a request is counted as an error
        return Sample(False, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}"[:200])
    total = time.perf_counter() - start
    final = _text(result[1][-1]) if result and result[1] else ""
    if "p2-footer" not in final:
        return Sample(False, total, error="no finished answer")
    return Sample(True, total, evidence if evidence is not None else total, queue if queue is not None else 0.0,
                  messages=list(result[1]))  # fmt: skip


class Shared:
    """PostgreSQL and a Chroma server on 127.0.0.1, shared by the app instances (``tests/servers.py``)."""

    def __init__(self, workdir: Path) -> None:
        sys.path.insert(0, str(REPO / "tests"))  # the service helpers the integration tests use
        from servers import ChromaServer, PostgresServer

        self.postgres = PostgresServer().start()
        self.database = self.postgres.create_database()
        self.chroma = ChromaServer(workdir / "chroma-server").start()

    def env(self) -> dict[str, str]:
        return {
            "ASSISTANT_INDEX__MODE": "server", "ASSISTANT_INDEX__HOST": "127.0.0.1",
            "ASSISTANT_INDEX__PORT": str(self.chroma.port),
            "ASSISTANT_WEB__FEEDBACK_URL": self.postgres.url(self.database),
        }  # fmt: skip

    def feedback_rows(self) -> list[tuple[str, str]]:
        """(rating, comment) of every row of the feedback table."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.postgres.port, user="postgres", dbname=self.database,
                             connect_timeout=10) as conn:  # fmt: skip
            return [(r[0], r[1]) for r in conn.execute("SELECT rating, comment FROM feedback").fetchall()]

    def close(self) -> None:
        try:
            self.chroma.stop()
        finally:
            self.postgres.close()


@dataclass
class FeedbackEvents:
    """The page's own feedback events: the chat's like event and the comment box's send button."""

    like: int  # fn_index of chatbot.like(on_like)
    comment: int  # fn_index of comment_send.click(on_comment)
    chat: int  # component id of the chat (the like event's trigger)
    send: int  # component id of the comment button

    @classmethod
    def of(cls, config: dict) -> FeedbackEvents:
        ids = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
        chat, send = ids["chat"], ids["feedback-send"]

        def fn(target: int, event: str) -> int:
            return next(d["id"] for d in config["dependencies"] if [target, event] in d["targets"])

        return cls(like=fn(chat, "like"), comment=fn(send, "click"), chat=chat, send=send)


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url + "gradio_api/run/predict", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def vote_down(client, url: str, events: FeedbackEvents, messages: list, comment: str, lang: str = "en") -> Vote:
    """A thumbs-down on the last answer, then a comment, exactly as the page sends them (same session)."""
    from assistant.web.i18n import t

    start = time.perf_counter()
    index = len(messages) - 1  # the answer is the last message
    try:
        liked = _post(url, {"data": [messages, None, lang], "fn_index": events.like, "trigger_id": events.chat,
                            "session_hash": client.session_hash,
                            "event_data": {"index": index, "value": messages[index], "liked": False}})  # fmt: skip
        status = liked["data"][2]  # outputs: target (a state: not sent back), feedback row, status, comment, chat
        if status not in (t(lang, "feedback.saved_down"), t(lang, "feedback.queued")):
            return Vote(comment, False, time.perf_counter() - start, error=f"vote refused: {status}"[:200])
        sent = _post(url, {"data": [comment, None, None, lang], "fn_index": events.comment, "trigger_id": events.send,
                           "session_hash": client.session_hash})  # fmt: skip
        said = sent["data"][1]
        if said not in (t(lang, "feedback.comment_saved"), t(lang, "feedback.comment_queued")):
            return Vote(comment, False, time.perf_counter() - start, error=f"comment refused: {said}"[:200])
    except (OSError, KeyError, IndexError, ValueError) as exc:
        return Vote(comment, False, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}"[:200])
    queued = status == t(lang, "feedback.queued") or said == t(lang, "feedback.comment_queued")
    return Vote(comment, True, time.perf_counter() - start, queued=queued)


def session(client, questions: list[str], offset: int, deadline: float, results: Results,
            feedback: tuple[str, FeedbackEvents, int] | None = None) -> None:  # fmt: skip
    """Ask questions until the deadline; with ``feedback`` (url, events, every), vote on every n-th answer."""
    i = offset
    answered = 0
    while time.perf_counter() < deadline:
        sample = ask(client, questions[i % len(questions)])
        results.add(sample)
        i += 1
        answered += sample.ok
        if feedback is not None and sample.ok and answered % feedback[2] == 0:
            url, events, _ = feedback
            comment = f"load test: session {offset // 7}, answer {answered}, not helpful"
            results.add_vote(vote_down(client, url, events, sample.messages, comment))


def probe_page(url: str, deadline: float, results: Results) -> None:
    """Fetch the page (HTML and config) every second while the load runs."""
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            for path in ("", "config"):
                urllib.request.urlopen(url + path, timeout=30).read()
            results.page_s.append(time.perf_counter() - start)
        except OSError:
            results.page_errors += 1
        time.sleep(1.0)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def check_feedback(results: Results, rows: list[tuple[str, str]]) -> dict[str, int]:
    """The feedback table against the votes sent: each acknowledged vote stored exactly once, with its comment."""
    sent = [v.comment for v in results.votes if v.ok]
    stored = Counter(comment for _, comment in rows)
    return {
        "votes_sent": len(results.votes), "votes_failed": sum(not v.ok for v in results.votes),
        "votes_queued": sum(v.queued for v in results.votes), "rows": len(rows),
        "rows_down": sum(rating == "down" for rating, _ in rows),
        "stored_once": sum(stored[c] == 1 for c in sent), "missing": sum(stored[c] == 0 for c in sent),
        "duplicated": sum(n > 1 for n in stored.values()),
        "unexpected": sum(n for c, n in stored.items() if c not in set(sent)),
    }  # fmt: skip


def report(results: Results, sessions: int, seconds: float, label: str,
           feedback: dict[str, int] | None = None) -> dict[str, float]:  # fmt: skip
    ok = [s for s in results.samples if s.ok]
    total = [s.total_s for s in ok]
    evidence = [s.evidence_s for s in ok if s.evidence_s is not None]
    queue = [s.queue_s for s in ok if s.queue_s is not None]
    votes = [v.total_s for v in results.votes if v.ok]
    figures = {
        "requests": len(results.samples), "errors": len(results.samples) - len(ok),
        "throughput_rps": len(ok) / seconds if seconds else 0.0,
        "latency_p50_s": pct(total, 50), "latency_p95_s": pct(total, 95),
        "evidence_p50_s": pct(evidence, 50), "evidence_p95_s": pct(evidence, 95),
        "queue_p50_s": pct(queue, 50), "queue_p95_s": pct(queue, 95),
        "page_p50_s": pct(results.page_s, 50), "page_p95_s": pct(results.page_s, 95),
        "page_errors": results.page_errors,
        "vote_p50_s": pct(votes, 50), "vote_p95_s": pct(votes, 95),
        **(feedback or {}),
    }  # fmt: skip
    rows = [
        ("sessions × duration", f"{sessions} × {seconds:.0f} s ({label})"),
        ("requests (answers)", f"{figures['requests']}"),
        ("errors", f"{figures['errors']}"),
        ("throughput", f"{figures['throughput_rps']:.2f} answers/s"),
        ("latency p50 / p95", f"{figures['latency_p50_s']:.2f} s / {figures['latency_p95_s']:.2f} s"),
        ("first evidence p50 / p95", f"{figures['evidence_p50_s']:.2f} s / {figures['evidence_p95_s']:.2f} s"),
        ("queue wait p50 / p95", f"{figures['queue_p50_s']:.2f} s / {figures['queue_p95_s']:.2f} s"),
        ("page load p50 / p95",
         f"{figures['page_p50_s']:.3f} s / {figures['page_p95_s']:.3f} s ({figures['page_errors']} errors)"),
    ]  # fmt: skip
    if feedback is not None:
        rows += [
            ("thumbs-down + comment sent (failed, kept in a spool)",
             f"{feedback['votes_sent']} ({feedback['votes_failed']} failed, {feedback['votes_queued']} spooled)"),
            ("vote + comment round trip p50 / p95", f"{figures['vote_p50_s']:.2f} s / {figures['vote_p95_s']:.2f} s"),
            ("feedback rows in PostgreSQL (rating down)", f"{feedback['rows']} ({feedback['rows_down']})"),
            ("votes stored exactly once / missing / duplicated / unexpected rows",
             f"{feedback['stored_once']} / {feedback['missing']} / {feedback['duplicated']} / {feedback['unexpected']}"),
        ]  # fmt: skip
    print("\n| metric | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    errors = sorted({s.error for s in results.samples if not s.ok} | {v.error for v in results.votes if not v.ok})
    for error in errors[:5]:
        print(f"error: {error}")
    return figures


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--llm", default="none", choices=["none", "local"], help="answer backend of the started app")
    parser.add_argument("--url", help="use an app already running on 127.0.0.1 instead of starting one")
    parser.add_argument("--index-dir", type=Path, help="reuse this index instead of indexing a fresh copy")
    parser.add_argument("--instances", type=int, default=1, help="app instances to start (default 1)")
    parser.add_argument("--shared", action="store_true",
                        help="start PostgreSQL and a Chroma server, shared by the instances (implied by --instances > 1)")
    parser.add_argument("--vote-every", type=int, default=5,
                        help="with --shared: a thumbs-down and a comment on every n-th answer of a session (0: none)")
    args = parser.parse_args(argv)
    shared_mode = args.shared or args.instances > 1
    if args.url and shared_mode:
        parser.error("--url cannot be combined with --shared or --instances")

    from assistant.privacy import disable_telemetry

    disable_telemetry()
    questions = load_questions()
    with tempfile.TemporaryDirectory(prefix="chat-load-") as tmp:
        processes: list[subprocess.Popen] = []
        shared = None
        urls = [args.url] if args.url else []
        try:
            if shared_mode:
                shared = Shared(Path(tmp))
                for i in range(args.instances):  # the first one indexes the corpus into the server
                    process, url = start_app(args.llm, Path(tmp) / f"app{i}", None, shared.env(), index=i == 0)
                    processes.append(process)
                    urls.append(url)
            elif not urls:
                process, url = start_app(args.llm, Path(tmp), args.index_dir)
                processes.append(process)
                urls.append(url)
            for url in urls:
                _check_loopback(url)
            urls = [url.rstrip("/") + "/" for url in urls]
            from gradio_client import Client

            for url in urls:  # loads each instance's embedding model (and LLM) and lexical snapshot
                warm = ask(Client(url, verbose=False), questions[0])
                if not warm.ok:
                    raise SystemExit(f"warm-up request to {url} failed: {warm.error}")
            clients = [(Client(urls[i % len(urls)], verbose=False), urls[i % len(urls)]) for i in range(args.sessions)]
            events = FeedbackEvents.of(clients[0][0].config) if shared and args.vote_every > 0 else None
            results = Results()
            start = time.perf_counter()
            deadline = start + args.duration
            threads = [
                threading.Thread(target=session, daemon=True, args=(
                    client, questions, i * 7, deadline, results, (url, events, args.vote_every) if events else None))
                for i, (client, url) in enumerate(clients)
            ]  # fmt: skip
            threads += [threading.Thread(target=probe_page, args=(url, deadline, results), daemon=True) for url in urls]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - start
            feedback = check_feedback(results, shared.feedback_rows()) if shared is not None and events else None
            label = args.llm + (f", {len(urls)} instances sharing Chroma server + PostgreSQL" if shared else "")
            return report(results, args.sessions, seconds, label, feedback)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            if shared is not None:
                shared.close()


if __name__ == "__main__":
    main()
