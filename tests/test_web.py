"""The web layer without a browser: access rules, texts, escaping, streaming order, app construction."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.settings import WebSettings, load_settings
from assistant.types import Answer, Citation, Context, Timings
from assistant.web import i18n
from assistant.web.access import (
    AccessError,
    authenticator,
    check_binding,
    is_admin,
    is_loopback,
    login_required,
    server_address,
)  # fmt: skip
from assistant.web.sources import (
    UNVERIFIED_FLAG,
    answer_markdown,
    evidence_block,
    final_message,
    find_quote,
    highlight,
    safe_url,
    sources_block,
)  # fmt: skip

REPO = Path(__file__).resolve().parents[1]
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


# -- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
def test_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.org", ""])
def test_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_binding_without_users_only_on_loopback() -> None:
    check_binding("127.0.0.1", WebSettings())
    with pytest.raises(AccessError, match="refusing to listen on '0.0.0.0'.*ASSISTANT_WEB__USERS"):
        check_binding("0.0.0.0", WebSettings())
    check_binding("0.0.0.0", WebSettings(users={"an": "pw"}))


def test_server_address_from_gradio_env() -> None:
    assert server_address({}) == ("127.0.0.1", 7860)
    assert server_address({"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "8080"}) == ("0.0.0.0", 8080)
    with pytest.raises(Exception, match="port"):
        server_address({"GRADIO_SERVER_PORT": "http"})


def test_login_and_admins() -> None:
    open_ = WebSettings()
    assert not login_required(open_) and authenticator(open_) is None and is_admin(open_, None)
    web = WebSettings(users={"an": "pw1"}, admins={"boss": "pw2"})
    check = authenticator(web)
    assert check("an", "pw1") and check("boss", "pw2")
    assert not check("an", "pw2") and not check("nobody", "") and not check("an", "")
    assert is_admin(web, "boss") and not is_admin(web, "an") and not is_admin(web, None)


def test_users_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_WEB__ADMINS", '{"admin": "s3cret"}')
    web = load_settings().web
    assert authenticator(web)("admin", "s3cret") and is_admin(web, "admin")


def test_app_refuses_public_address_without_users(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_WEB__")}
    env.update(GRADIO_SERVER_NAME="0.0.0.0", GRADIO_SERVER_PORT="7999")
    result = subprocess.run(
        [sys.executable, str(REPO / "app.py")], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "refusing to listen on '0.0.0.0'" in result.stderr
    assert "Running on" not in result.stdout


# -- texts --------------------------------------------------------------------------------------


def test_every_text_in_both_languages() -> None:
    assert set(i18n.VI) == set(i18n.EN)
    for key in i18n.VI:
        fields = lambda s: sorted(re.findall(r"{(\w+)}", s))
        assert fields(i18n.VI[key]) == fields(i18n.EN[key]), key
        assert i18n.VI[key].strip() and i18n.EN[key].strip(), key
    for code in i18n.LANGUAGE_NAMES["vi"]:
        assert code in i18n.LANGUAGE_NAMES["en"]


def test_keys_used_in_code_exist() -> None:
    used = set()
    for path in (REPO / "assistant" / "web").glob("*.py"):
        used |= set(re.findall(r"""["']((?:app|tab|side|filters|backend|chat|ev|src|answer|feedback|corpus|upload"""
                                r"""|delete|access|fb|lang|versions|progress|mode|type|eval)\.[a-z_.]+)["']""", path.read_text()))  # fmt: skip
    missing = sorted(k for k in used if k not in i18n.VI)
    assert not missing, missing


def test_translate_falls_back() -> None:
    assert i18n.t("en", "chat.send") == "Send" and i18n.t("xx", "chat.send") == "Gửi"
    assert i18n.t("en", "no.such.key") == "no.such.key"
    assert i18n.t("en", "upload.empty", name="a.md") == "✗ a.md: the file is empty."


# -- rendering and escaping ---------------------------------------------------------------------


def context(text: str = "Hội nghị có 58 xã, phường tham dự. Câu khác.", **over) -> Context:
    base = {"rank": 1, "source": "articles/a.txt", "url": "https://example.gov.vn/a", "title": "Bài A",
            "text": text, "score": 0.9, "location": "p. 2", "language": "vi"}  # fmt: skip
    return Context(**{**base, **over})


def answer(text: str = "Có 58 xã, phường [1].", **over) -> Answer:
    citation = Citation(n=1, source="articles/a.txt", title="Bài A", url="https://example.gov.vn/a", page=2,
                        quote="58 xã, phường", verified=True)  # fmt: skip
    base = {"question": "Bao nhiêu xã?", "answer": text, "refused": False, "language": "vi", "mode": "extractive",
            "citations": [citation], "contexts": [context()], "timings": Timings(retrieval_ms=12.3, total_ms=40)}  # fmt: skip
    return Answer(**{**base, **over})


def test_unverified_flag_matches_the_answer_layer() -> None:
    constants = pytest.importorskip("assistant.answer.constants")
    assert constants.UNVERIFIED_FLAG == UNVERIFIED_FLAG


def test_highlight_marks_the_quote_escaped() -> None:
    html = highlight("Trước <b>đậm</b> 58 xã, phường & sau", "58 xã, phường")
    assert '<mark class="p2-quote">58 xã, phường</mark>' in html and "&lt;b&gt;" in html and "&amp;" in html
    assert find_quote("a  Big\nword here", "big word") == (3, 11)
    assert "<mark" not in highlight("nothing here", "absent")


def test_document_text_is_escaped_everywhere() -> None:
    evil = context(text=f"Hội nghị {XSS} 58 xã, phường.", title=f"T {XSS}", location=XSS)
    ans = answer(text=f"Trả lời {XSS} [1] {UNVERIFIED_FLAG}", contexts=[evil], citations=[
        Citation(n=1, source="a.txt", title=XSS, url="javascript:alert(1)", quote=XSS, verified=False)])
    rendered = final_message("vi", ans, {"a.txt": "article"}) + evidence_block("en", [evil], open_=True)
    assert "<script" not in rendered and "<img" not in rendered
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", rendered, re.IGNORECASE)  # no element with an on* handler
    assert "javascript:" not in rendered
    assert "&lt;script&gt;" in rendered


def test_answer_markdown_defuses_links_and_shows_unverified() -> None:
    md = answer_markdown("en", f"See [x](javascript:alert(1)) ![i](http://t/x.png) claim {UNVERIFIED_FLAG}")
    assert "](" not in md and "p2-unverified" in md and "⚠️ unverified" in md


def test_safe_url() -> None:
    assert safe_url("https://x.vn/a?b=1") == "https://x.vn/a?b=1"
    for bad in ["javascript:alert(1)", "data:text/html,x", "/relative", "", None, "http://"]:
        assert safe_url(bad) is None


def test_sources_block_has_numbered_previews() -> None:
    html = sources_block("en", answer(), {"articles/a.txt": "article"})
    assert "[1]" in html and "<details" in html and "Article" in html and "Vietnamese" in html
    assert '<mark class="p2-quote">58 xã, phường</mark>' in html and 'href="https://example.gov.vn/a"' in html
    assert "✓ checked" in html and "\n" not in html  # one line: passed through Markdown whole


def test_unverified_citation_is_marked() -> None:
    ans = answer(citations=[Citation(n=1, source="articles/a.txt", title="A", quote="không có", verified=False)])
    html = sources_block("vi", ans, {})
    assert "⚠️ chưa kiểm chứng" in html and "p2-unverified-note" in html


def test_refusal_shows_closest_passages() -> None:
    msg = final_message("en", answer(text="The documents do not say.", refused=True, citations=[]), {})
    assert "Closest passages found" in msg and "Hội nghị có 58" in msg and "Sources" not in msg


def test_finished_answers_are_redrawn_in_the_new_interface_language() -> None:
    from assistant.web.chat import redraw_answers

    shown = answer()
    turns = [{"question": shown.question, "answer": shown.model_dump(mode="json"), "message_index": 1}]
    messages = [{"role": "user", "content": "Bao nhiêu xã?"},
                {"role": "assistant", "content": final_message("vi", shown, {})},
                {"role": "user", "content": "Câu hỏi đang chờ"}]  # fmt: skip
    redrawn = redraw_answers(messages, turns, "en", {})
    assert "✓ checked" in redrawn[1]["content"] and "đã đối chiếu" not in redrawn[1]["content"]
    assert "Có 58 xã, phường" in redrawn[1]["content"], "the answer text stays as written"
    assert redrawn[0] == messages[0] and redrawn[2] == messages[2] and "đã đối chiếu" in messages[1]["content"]
    assert redraw_answers(messages[:1], turns, "en", {}) == messages[:1], "a turn no longer on screen is skipped"


# -- streaming order ----------------------------------------------------------------------------


@dataclass
class Evidence:
    contexts: list
    standalone_question: str = ""
    retrieval_ms: float = 1.0


@dataclass
class Token:
    text: str


@dataclass
class Done:
    answer: Answer


class FakeAssistant:
    mode = "extractive"
    llm_notice = None

    def __init__(self) -> None:
        self.calls: list = []

    def stream(self, question, history, filters, rewrite=None):
        self.calls.append((question, history, filters, rewrite))
        yield Evidence([context()])
        for word in ["Có ", "58 xã, phường ", "[1]."]:
            yield Token(word)
        yield Done(answer())


def test_stream_answer_evidence_then_tokens_then_answer(tmp_path: Path) -> None:
    from assistant.retrieval import SearchFilters
    from assistant.web import chat
    from assistant.web.services import build_services

    services = build_services(load_settings(), drafts_path=tmp_path / "d.jsonl")
    fake = FakeAssistant()
    services._assistants["none"] = fake
    filters = SearchFilters(languages=["vi"])
    chat.STREAM_INTERVAL_S = 0.0
    items = list(chat.stream_answer(services, "none", "Bao nhiêu xã?", [("q", "a")], filters, "vi", True))
    assert "Đã tìm thấy 1 đoạn" in items[0] and "<details" in items[0]
    assert any("58 xã" in i for i in items[1:-1] if isinstance(i, str))
    assert isinstance(items[-1], Answer)
    assert fake.calls == [("Bao nhiêu xã?", [("q", "a")], filters, True)], "the rewrite switch reaches the search"


def test_build_app_constructs_without_loading_models(tmp_path: Path) -> None:
    import gradio as gr

    from assistant.web.app import build_app

    demo = build_app(load_settings())
    assert isinstance(demo, gr.Blocks)
    assert "chat" in {d.get("api_name") for d in demo.config["dependencies"]}


def test_server_uses_one_torch_thread_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.web.services import serving_settings

    assert serving_settings(load_settings()).embedding.threads == 1
    monkeypatch.setenv("ASSISTANT_EMBEDDING__THREADS", "2")
    assert serving_settings(load_settings()).embedding.threads == 2


def test_local_generations_take_turns(tmp_path: Path) -> None:
    import threading

    from assistant.web.services import build_services

    services = build_services(load_settings(), drafts_path=tmp_path / "d.jsonl")
    inside, peak, lock = [0], [0], threading.Lock()

    def generate() -> None:
        with services.generating("local"):
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            threading.Event().wait(0.02)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=generate) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 1
    with services.generating("none"), services.generating("none"):
        pass  # extractive answers never wait


def test_uploads_are_saved_or_refused_with_a_message(tmp_path: Path, settings) -> None:
    from assistant.web.corpus import save_uploads
    from assistant.web.services import build_services

    services = build_services(settings, drafts_path=tmp_path / "d.jsonl")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    good, bad, empty = incoming / "Kế hoạch 02.md", incoming / "tool.exe", incoming / "empty.txt"
    good.write_text("# Ghi chú\n\nMã số XJ-4471.", encoding="utf-8")
    bad.write_bytes(b"MZ\x90\x00")
    empty.write_bytes(b"")
    saved, messages = save_uploads(services, [good, bad, empty], "en")
    assert saved == [f"{settings.web.upload_dir}/Kế hoạch 02.md"]
    assert (settings.corpus.dir / saved[0]).read_text(encoding="utf-8").endswith("XJ-4471.")
    assert "✗ tool.exe: file type .exe is not accepted" in messages[0]
    assert messages[1] == "✗ empty.txt: the file is empty."
    assert messages[2] == "✓ Received Kế hoạch 02.md"


def test_delete_moves_the_file_to_the_trash(tmp_path: Path, settings) -> None:
    from assistant.web.corpus import TRASH, delete_document
    from assistant.web.services import build_services

    services = build_services(settings, drafts_path=tmp_path / "d.jsonl")
    doc = settings.corpus.dir / "a.md"
    doc.write_text("text", encoding="utf-8")
    outside = tmp_path / "outside.md"
    outside.write_text("keep", encoding="utf-8")
    assert delete_document(services, "a.md") == 0
    assert not doc.exists() and [p.name.endswith("-a.md") for p in (settings.corpus.dir / TRASH).iterdir()] == [True]
    delete_document(services, "../outside.md")
    assert outside.exists()
