"""Chat load test: N concurrent browser-like sessions asking questions for D seconds.

    .venv/bin/python benchmarks/chat_load.py [--sessions 20] [--duration 60] [--llm none|local] [--url URL]

Starts the app itself on a free 127.0.0.1 port (extractive answers by default,
over a fresh index of a temporary copy of the sample corpus), then runs one
``gradio_client`` session per simulated user, each asking the dev-set questions
in turn through the same ``/chat`` event the page uses. Prints requests, errors,
throughput and latency percentiles: to the finished answer, to the first
evidence, and queue wait (time spent queued before the answer started). With
``--llm local`` generation is serialised on one model, so a probe also checks
that the page and the evidence keep loading while answers queue.
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


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    page_s: list[float] = field(default_factory=list)
    page_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


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


def start_app(llm: str, workdir: Path, index_dir: Path | None) -> tuple[subprocess.Popen, str]:
    """Index a copy of the sample corpus (unless an index is given) and start app.py on a free port."""
    corpus = workdir / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADIO_", "ASSISTANT_WEB__"))}
    env.update(ASSISTANT_LLM=llm, ASSISTANT_CORPUS__DIR=str(corpus), ASSISTANT_INDEX__DIR=str(index_dir or workdir / "index"))
    if index_dir is None:
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
    return Sample(True, total, evidence if evidence is not None else total, queue if queue is not None else 0.0)


def session(client, questions: list[str], offset: int, deadline: float, results: Results) -> None:
    i = offset
    while time.perf_counter() < deadline:
        results.add(ask(client, questions[i % len(questions)]))
        i += 1


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


def report(results: Results, sessions: int, seconds: float, llm: str) -> dict[str, float]:
    ok = [s for s in results.samples if s.ok]
    total = [s.total_s for s in ok]
    evidence = [s.evidence_s for s in ok if s.evidence_s is not None]
    queue = [s.queue_s for s in ok if s.queue_s is not None]
    figures = {
        "requests": len(results.samples), "errors": len(results.samples) - len(ok),
        "throughput_rps": len(ok) / seconds if seconds else 0.0,
        "latency_p50_s": pct(total, 50), "latency_p95_s": pct(total, 95),
        "evidence_p50_s": pct(evidence, 50), "evidence_p95_s": pct(evidence, 95),
        "queue_p50_s": pct(queue, 50), "queue_p95_s": pct(queue, 95),
        "page_p50_s": pct(results.page_s, 50), "page_p95_s": pct(results.page_s, 95),
        "page_errors": results.page_errors,
    }  # fmt: skip
    rows = [
        ("sessions × duration", f"{sessions} × {seconds:.0f} s ({llm})"),
        ("requests (answers)", f"{figures['requests']}"),
        ("errors", f"{figures['errors']}"),
        ("throughput", f"{figures['throughput_rps']:.2f} answers/s"),
        ("latency p50 / p95", f"{figures['latency_p50_s']:.2f} s / {figures['latency_p95_s']:.2f} s"),
        ("first evidence p50 / p95", f"{figures['evidence_p50_s']:.2f} s / {figures['evidence_p95_s']:.2f} s"),
        ("queue wait p50 / p95", f"{figures['queue_p50_s']:.2f} s / {figures['queue_p95_s']:.2f} s"),
        ("page load p50 / p95",
         f"{figures['page_p50_s']:.3f} s / {figures['page_p95_s']:.3f} s ({figures['page_errors']} errors)"),
    ]  # fmt: skip
    print("\n| metric | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    errors = sorted({s.error for s in results.samples if not s.ok})
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
    args = parser.parse_args(argv)

    from assistant.privacy import disable_telemetry

    disable_telemetry()
    questions = load_questions()
    with tempfile.TemporaryDirectory(prefix="chat-load-") as tmp:
        process = None
        url = args.url
        if url is None:
            process, url = start_app(args.llm, Path(tmp), args.index_dir)
        _check_loopback(url)
        url = url.rstrip("/") + "/"
        try:
            from gradio_client import Client

            warm = ask(Client(url, verbose=False), questions[0])  # loads the embedding model (and LLM)
            if not warm.ok:
                raise SystemExit(f"warm-up request failed: {warm.error}")
            clients = [Client(url, verbose=False) for _ in range(args.sessions)]  # one session each
            results = Results()
            start = time.perf_counter()
            deadline = start + args.duration
            threads = [
                threading.Thread(target=session, args=(client, questions, i * 7, deadline, results), daemon=True)
                for i, client in enumerate(clients)
            ]
            threads.append(threading.Thread(target=probe_page, args=(url, deadline, results), daemon=True))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return report(results, args.sessions, time.perf_counter() - start, args.llm)
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
