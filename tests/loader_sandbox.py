"""Run ``load_file`` in a child process under a time limit and a memory limit, for the loader fuzz tests.

The parent (:class:`LoaderSandbox`) keeps one child alive and sends it one path at a time.
The child imports the loaders once, then caps its address space (``RLIMIT_AS``: what the
imports took plus :data:`MEMORY_HEADROOM_MB`) and arms ``faulthandler`` before each load
so that a load running past :data:`LOAD_SECONDS` dumps its stack and exits. The parent
waits a little longer than that and kills the child if it has not answered. A child that
dies (hang, segfault, out of memory in C) is restarted for the next file.

Every load ends in one of:

- ``loaded``: Documents (their count, and the start of their text);
- ``ingest_error``: the domain error :class:`assistant.errors.IngestError`, with its path and message;
- ``crash``: any other exception (``MemoryError`` included), with its traceback;
- ``hang``: no answer within the time limit (the child's stack at the timeout, when it got one out);
- ``died``: the child exited without answering (a signal, or ``os._exit`` from a library).

Run as a script, this file is the child.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

#: A load taking longer than this is a hang.
LOAD_SECONDS = 10.0
#: Address space a load may add to what the child holds after importing the loaders.
MEMORY_HEADROOM_MB = 1024
#: Characters of a loaded file's text sent back (for checks such as "no /etc/passwd in the text").
TEXT_CHARS = 20_000
#: Time the child is given at start-up (imports).
START_SECONDS = 60.0
_OK_OUTCOMES = ("loaded", "ingest_error")


@dataclass(frozen=True)
class Outcome:
    kind: str  # loaded | ingest_error | crash | hang | died
    detail: dict

    @property
    def ok(self) -> bool:
        return self.kind in _OK_OUTCOMES

    def describe(self) -> str:
        return f"{self.kind}: {json.dumps(self.detail, ensure_ascii=False, indent=1)[:4000]}"


class LoaderSandbox:
    """One long-lived child that loads files; restarted after a hang or a death."""

    def __init__(self, seconds: float = LOAD_SECONDS, headroom_mb: int = MEMORY_HEADROOM_MB) -> None:
        self.seconds, self.headroom_mb = seconds, headroom_mb
        self.process: subprocess.Popen | None = None
        self.stderr_path: Path | None = None
        self.loads = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self, path: Path, corpus: Path) -> Outcome:
        """Load ``path`` (inside ``corpus``) in the child; never raises for what the loader does."""
        self.loads += 1
        return self._request({"path": str(path), "corpus": str(corpus)})

    def load_with_trap(self, path: Path, corpus: Path, trap: str) -> Outcome:
        """As :meth:`load`, with the child misbehaving on purpose instead ("raise", "sleep", "allocate"),
        so that a test can show the harness catches each kind of failure."""
        return self._request({"path": str(path), "corpus": str(corpus), "trap": trap})

    def _request(self, message: dict) -> Outcome:
        process = self._child()
        request = json.dumps(message) + "\n"
        try:
            assert process.stdin is not None
            process.stdin.write(request.encode())
            process.stdin.flush()
        except BrokenPipeError:
            return self._dead("died", "the child was gone before the request")
        line = self._read_line(process, self.seconds + 5.0)
        if line is None:
            self._kill()
            return Outcome("hang", {"seconds": self.seconds, "stack": self._stderr_tail()})
        if not line:
            return self._dead(None, "the child exited without answering")
        return Outcome(**json.loads(line))

    def close(self) -> None:
        if self.process is not None:
            self._kill()
        self._forget_log()

    # -- internals --------------------------------------------------------------------------------

    def _child(self) -> subprocess.Popen:
        if self.process is not None and self.process.poll() is None:
            return self.process
        self._forget_log()  # the previous child's log: its stack, if any, is in the outcome already
        handle, name = tempfile.mkstemp(prefix="loader-sandbox-", suffix=".log")
        os.close(handle)
        self.stderr_path = Path(name)
        with self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, __file__, str(self.seconds), str(self.headroom_mb)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
            )  # fmt: skip
        ready = self._read_line(self.process, START_SECONDS)
        if not ready or json.loads(ready).get("ready") is not True:
            tail = self._stderr_tail()
            self._kill()
            raise RuntimeError(f"the loader sandbox did not start:\n{tail}")
        return self.process

    @staticmethod
    def _read_line(process: subprocess.Popen, timeout: float) -> bytes | None:
        """One line from the child; b"" at EOF; None when nothing came in time."""
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            return None
        return process.stdout.readline()

    def _dead(self, kind: str | None, why: str) -> Outcome:
        assert self.process is not None
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill()
            code = None
        stack = self._stderr_tail()
        if kind is None:  # faulthandler's watchdog ends the child with its stack after LOAD_SECONDS
            kind = "hang" if "Timeout (" in stack else "died"
        self.process = None
        return Outcome(kind, {"why": why, "returncode": code, "stack": stack})

    def _kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.process = None

    def _forget_log(self) -> None:
        if self.stderr_path is not None:
            self.stderr_path.unlink(missing_ok=True)
            self.stderr_path = None

    def _stderr_tail(self, chars: int = 3000) -> str:
        if self.stderr_path is None or not self.stderr_path.exists():
            return ""
        return self.stderr_path.read_text(errors="replace")[-chars:]


# -- the child ------------------------------------------------------------------------------------


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def _trap(trap: str | None, seconds: float, headroom_mb: int) -> None:
    if trap == "raise":
        raise RuntimeError("a loader bug")
    if trap == "sleep":
        time.sleep(seconds * 3)
    if trap == "allocate":
        bytearray(headroom_mb * 2 * 1024 * 1024)


def _child_main(seconds: float, headroom_mb: int) -> None:
    import faulthandler
    import logging
    import resource
    import traceback
    import warnings

    # The protocol owns the real stdout; whatever a library prints goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    logging.disable(logging.WARNING)  # pypdf logs every repaired object
    warnings.simplefilter("ignore")

    from assistant.errors import IngestError
    from assistant.ingest import load_file
    from assistant.settings import CorpusSettings

    settings = CorpusSettings()
    limit = _vm_size() + headroom_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        path, corpus = Path(request["path"]), Path(request["corpus"])
        started = time.perf_counter()
        faulthandler.dump_traceback_later(seconds, exit=True)
        try:
            _trap(request.get("trap"), seconds, headroom_mb)
            loaded = load_file(path, corpus, settings, manifest={})
            text = "\n".join(d.page_content for d in loaded.documents)
            result = {"kind": "loaded", "detail": {"documents": len(loaded.documents), "chars": len(text),
                                                   "text": text[:TEXT_CHARS]}}  # fmt: skip
        except IngestError as exc:
            result = {
                "kind": "ingest_error",
                "detail": {"path": str(exc.path), "message": str(exc), "reason": exc.reason},
            }
        except BaseException as exc:  # noqa: BLE001 - the finding itself: report it, keep serving
            result = {"kind": "crash", "detail": {"type": type(exc).__name__, "message": str(exc)[:500],
                                                  "traceback": traceback.format_exc()[-4000:]}}  # fmt: skip
        finally:
            faulthandler.cancel_dump_traceback_later()
        result["detail"]["seconds"] = round(time.perf_counter() - started, 3)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()


if __name__ == "__main__":
    _child_main(float(sys.argv[1]), int(sys.argv[2]))
