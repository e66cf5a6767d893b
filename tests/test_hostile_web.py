"""Hostile input at the web edge: XSS payloads in everything the app renders, hostile uploads, and
access without login or without the admin role, tried against the real app over HTTP.

Rendering is checked on what our code builds, without a browser: the HTML is parsed and must hold
no active element (script, img, svg, iframe, ...), no ``on*`` attribute, no link other than
http(s) and no template syntax of ``gr.HTML``; a Markdown message is rendered by a CommonMark
renderer with raw HTML on (as Gradio's is) and must hold no HTML, link or image from outside text
either. The payload must still be there as text: escaped, not dropped. (``tests/browser`` shows
in Chromium that a planted script in a document never runs.)
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import hostile_files as hf
import lxml.html
import pytest
from markdown_it import MarkdownIt
from procs import free_port, stop, wait_until_up

from assistant.types import Answer, Citation, Context, Timings

REPO = Path(__file__).resolve().parents[1]
PAYLOADS = {
    "script": "<script>window.__pwned=1</script>",
    "img-onerror": '<img src=x onerror="window.__pwned=1">',
    "svg-onload": "<svg onload=window.__pwned=1>",
    "javascript-link": '<a href="javascript:window.__pwned=1">x</a>',
    "iframe": "<iframe src=javascript:window.__pwned=1></iframe>",
    "attribute-breakout": '"><script>window.__pwned=1</script>',
    "markdown-link": "[click](javascript:window.__pwned=1)",
    "markdown-image": "![x](https://attacker.invalid/pixel.png)",
    "template": "${window.__pwned=2} {{constructor.constructor('window.__pwned=3')()}}",
    "katex": "$$\\href{javascript:window.__pwned=1}{x}$$",
}
ACTIVE_TAGS = frozenset(
    {"script", "img", "svg", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "math", "frame"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"})


def assert_inert_html(fragment: str, payload: str | None = None, *, template: bool = True) -> None:
    """No active element, no event handler, no non-http(s) URL, no template syntax of ``gr.HTML``
    (unless ``template`` is False: Markdown is no template); the payload shown as text."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        assert element.tag.lower() not in ACTIVE_TAGS, f"<{element.tag}> in {fragment[:300]}"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{name}= in {fragment[:300]}"
            if name.lower() in URL_ATTRIBUTES:
                assert urlparse(value.strip()).scheme in {"http", "https"}, f"{name}={value!r}"
    if template:
        assert "${" not in fragment and "{{" not in fragment, "gr.HTML template syntax reached the page"
    if payload is not None:
        assert " ".join(payload.split()) in " ".join(root.text_content().split()), "the payload was dropped, not shown"


def render_markdown(text: str) -> str:
    """CommonMark with raw HTML on, and links to any scheme kept (stricter than Gradio's renderer)."""
    renderer = MarkdownIt("commonmark")
    renderer.validateLink = lambda url: True
    return renderer.render(text)


def assert_inert_markdown(text: str, payload: str | None = None, *, links: bool = False) -> None:
    """As :func:`assert_inert_html` for the page a Markdown text makes; without ``links``, no link at all."""
    rendered = render_markdown(text)
    assert_inert_html(rendered, None, template=False)
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    if not links:
        assert not root.xpath("//a"), rendered
    if payload is not None:
        shown = " ".join(root.text_content().split())
        assert " ".join(payload.split()) in shown, f"the payload was dropped or changed: {shown!r}"


# -- what our code renders ------------------------------------------------------------------------


def hostile_answer(payload: str, **over) -> Answer:
    context = Context(rank=1, source=f"{payload}.md", url="javascript:window.__pwned=1", title=f"T {payload}",
                      text=f"Hội nghị {payload} có 58 xã, phường.", score=0.9, location=payload, language="vi")  # fmt: skip
    citation = Citation(n=1, source=f"{payload}.md", title=payload, url="javascript:window.__pwned=1", page=2,
                        quote="58 xã, phường", verified=False, location=payload)  # fmt: skip
    base = {"question": payload, "answer": f"Trả lời {payload} [1]", "refused": False, "language": "vi",
            "mode": "extractive", "citations": [citation], "contexts": [context], "notice": payload,
            "timings": Timings(retrieval_ms=1.0, total_ms=2.0)}  # fmt: skip
    return Answer(**{**base, **over})


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_document_text_titles_and_names_are_inert_in_chat_messages(payload: str) -> None:
    from assistant.answer.events import SentenceEvent
    from assistant.web.sources import final_message, streaming_message

    answer = hostile_answer(payload)  # chat messages are Markdown holding one-line HTML blocks
    assert_inert_markdown(final_message("vi", answer, {f"{payload}.md": payload}), payload, links=True)
    refusal = hostile_answer(payload, refused=True, citations=[], answer=payload)
    assert_inert_markdown(final_message("en", refusal, {}), payload, links=True)
    draft = f"Câu nháp {payload}. Tiếp theo {payload}"
    checked = [SentenceEvent(f"Câu nháp {payload}.", len(f"Câu nháp {payload}."), False, (payload,))]
    assert_inert_markdown(streaming_message("vi", answer.contexts, draft, payload, checked=checked), payload)


def test_a_broken_document_url_gives_no_link_and_no_error() -> None:
    from assistant.web.sources import final_message, safe_url

    broken = "https://exa[mple.gov.vn/tin-tuc"  # urlparse raises ValueError ("Invalid IPv6 URL")
    assert safe_url(broken) is None
    answer = hostile_answer(
        "Văn bản",
        contexts=[],
        citations=[Citation(n=1, source="a.html", title="A", url=broken, quote="x", verified=True)],
    )
    assert "href" not in final_message("vi", answer, {})


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_the_source_reader_is_inert(payload: str) -> None:
    from assistant.answer.renderings import Rendering
    from assistant.web.reader import rendering_html

    citation = Citation(n=2, source=f"{payload}.pdf", title=payload, quote=f"Câu gốc {payload}", verified=True)
    rendered = Rendering(original=citation.quote, language="en", text=f"Rendering {payload}", mismatches=(payload,))
    assert_inert_html(rendering_html("vi", citation, payload, rendered), payload)


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_file_names_titles_and_errors_are_inert_in_the_documents_table(payload: str) -> None:
    from assistant.index import FileRecord
    from assistant.web.corpus import documents_table

    records = {
        f"{payload}.md": FileRecord(source=f"{payload}.md", hash="h", size=1, mtime=0, chunks=1, indexed_at=0,
                                    status="ok", title=payload, warnings=payload, doc_type=payload, language=payload),
        "bad.pdf": FileRecord(source="bad.pdf", hash="h", size=1, mtime=0, chunks=0, indexed_at=0, status="error",
                              error=payload),
    }  # fmt: skip
    assert_inert_html(documents_table("en", records), payload)


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_questions_and_feedback_comments_are_inert(payload: str) -> None:
    from assistant.feedback import FeedbackRecord
    from assistant.web.chat import _user_message
    from assistant.web.feedback_tab import feedback_table

    record = FeedbackRecord(rating="down", question=payload, answer=payload, comment=payload, backend=payload)
    assert_inert_html(feedback_table("vi", [record]), payload)
    assert_inert_markdown(_user_message(payload)["content"], payload)  # the chat shows the question as Markdown


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_outside_text_in_markdown_messages_is_shown_as_written(payload: str) -> None:
    from assistant.web.sources import md_text

    assert_inert_markdown(f"✗ {md_text(payload)}: lỗi", payload)
    assert_inert_markdown(md_text(f"a\x00b {payload}"), f"aU+0000b {payload}")


def test_upload_and_delete_messages_show_hostile_names_as_text(tmp_path: Path, settings) -> None:
    from assistant.web.app import build_app
    from assistant.web.corpus import save_uploads
    from assistant.web.services import build_services

    services = build_services(settings, drafts_path=tmp_path / "d.jsonl")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    names = [
        '<img src=x onerror="window.__pwned=1">.exe',  # refused by type: the message names it as written
        "[click](javascript:window.__pwned=1).exe",
        "$$\\href{javascript:alert(1)}{x}$$.md",  # refused: a Windows separator
        "<b onmouseover=alert(1)>ghi chú</b>.md",  # refused: a path separator
        "<svg onload=alert(1)>ghi chú.md",  # accepted under a safe name
    ]
    paths = []
    for index, name in enumerate(names):
        folder = incoming / str(index)  # each name in its own folder, as Gradio stores uploads
        folder.mkdir()
        try:
            path = folder / name
            path.write_text("# Ghi chú\n\nMã kiểm tra ZQ-9090 trong tệp tải lên.", encoding="utf-8")
        except OSError:  # a name with "/" cannot even be created: the rule is tested on the name below
            continue
        paths.append(path)
    saved, messages = save_uploads(services, paths, "en")
    assert saved == [f"{settings.web.upload_dir}/svg onload_alert(1)_ghi chú.md"], messages
    assert len(messages) == len(paths)
    for message in messages:
        assert_inert_markdown(message)
    assert "&lt;img src=x onerror=" in messages[0] and "\\[click\\]" in messages[1]

    demo = build_app(settings, services)
    on_delete = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_delete")
    shown = on_delete(PAYLOADS["img-onerror"], "en", _Request(None))
    status = next(value for component, value in shown.items() if getattr(component, "elem_id", "") == "corpus-status")
    assert_inert_markdown(status, PAYLOADS["img-onerror"])


@dataclass
class _Request:
    username: str | None


# -- uploads --------------------------------------------------------------------------------------


def _save(services, folder: Path, files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    from assistant.web.corpus import save_uploads

    paths = []
    for index, (name, data) in enumerate(files.items()):
        (folder / str(index)).mkdir(parents=True)
        path = folder / str(index) / name
        path.write_bytes(data)
        paths.append(path)
    return save_uploads(services, paths, "en")


@pytest.fixture
def services(tmp_path: Path, settings):
    from assistant.web.services import build_services

    return build_services(settings, drafts_path=tmp_path / "d.jsonl")


def test_an_oversized_upload_is_refused_naming_the_file(tmp_path: Path, services) -> None:
    services.settings.web.max_upload_mb = 1
    saved, messages = _save(services, tmp_path / "in", {"Kế hoạch lớn.pdf": b"%PDF-1.7\n" + bytes(1_600_000)})
    assert saved == [] and messages == ["✗ Kế hoạch lớn.pdf: file too large (1.5 MB, limit 1 MB)."]
    assert not services.upload_dir.exists() or not any(services.upload_dir.iterdir())


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("bom-3gb.docx", lambda: hf.zip_bomb(hf.DOCX_SEED, "word/document.xml")),
        ("bom-3gb.xlsx", lambda: hf.zip_bomb(hf.XLSX_SEED, "xl/worksheets/sheet1.xml")),
    ],
)
def test_a_zip_bomb_upload_is_refused_from_its_directory_alone(tmp_path: Path, services, monkeypatch, name: str,
                                                                build) -> None:  # fmt: skip
    from assistant.ingest import archive

    def never(*_args: object) -> None:
        raise AssertionError("a part was unpacked: the bomb should be refused from the sizes it declares")

    monkeypatch.setattr(archive, "_check_part", never)
    saved, messages = _save(services, tmp_path / "in", {name: build()})
    assert saved == [] and len(messages) == 1
    assert (
        messages[0].startswith(f"✗ {name}: the file cannot be opened safely (")
        and "over the 200 MB limit" in messages[0]
    )


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("noi-dung-gia.docx", lambda: hf.lying_zip_bomb(hf.DOCX_SEED, "word/document.xml")),
        ("noi-dung-gia.xlsx", lambda: hf.lying_zip_bomb(hf.XLSX_SEED, "xl/worksheets/sheet1.xml")),
    ],
)
def test_a_zip_bomb_lying_about_its_sizes_is_refused_after_its_declared_size(tmp_path: Path, services, monkeypatch,
                                                                             name: str, build) -> None:  # fmt: skip
    from assistant.ingest import archive

    data = build()
    with zipfile.ZipFile(io.BytesIO(data)) as listing:
        declared = sum(info.file_size for info in listing.infolist())
    unpacked = [0]

    class CountingInflater:
        def __init__(self, wbits: int) -> None:
            self._inner = zlib.decompressobj(wbits)

        def decompress(self, data: bytes, max_length: int = 0) -> bytes:
            out = self._inner.decompress(data, max_length)
            unpacked[0] += len(out)
            return out

        def __getattr__(self, name: str):
            return getattr(self._inner, name)

    monkeypatch.setattr(archive, "zlib", _ZlibWith(CountingInflater))
    saved, messages = _save(services, tmp_path / "in", {name: data})
    assert saved == [] and len(messages) == 1 and "unpacks past its declared size" in messages[0], messages
    assert unpacked[0] <= declared + archive.BLOCK, f"unpacked {unpacked[0]} bytes of a bomb declaring {declared}"


class _ZlibWith:
    """The zlib module with ``decompressobj`` replaced (to count what the archive check unpacks)."""

    def __init__(self, inflater: type) -> None:
        self._inflater = inflater

    def decompressobj(self, wbits: int = zlib.MAX_WBITS) -> object:
        return self._inflater(wbits)

    def __getattr__(self, name: str):
        return getattr(zlib, name)


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("classes.dex", b"dex\n035\x00" + bytes(64))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("van-ban.docx", lambda: hf.pdf_text("A PDF file named .docx"), "✗ van-ban.docx: the content is not a valid .docx file."),
        ("bao-cao.pdf", lambda: b"MZ\x90\x00\x03" + bytes(2000), "✗ bao-cao.pdf: the content is not a valid .pdf file."),
        ("ung-dung.docx", _plain_zip, "✗ ung-dung.docx: the content is not a valid .docx file."),
        ("bang.xlsx", lambda: hf.DOCX_SEED.read_bytes(), "✗ bang.xlsx: the content is not a valid .xlsx file."),
        ("hong.xlsx", lambda: b"PK\x03\x04" + bytes(500), "✗ hong.xlsx: the content is not a valid .xlsx file."),
        ("anh.txt", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "✗ anh.txt: the content is not a valid .txt file."),
        ("chuong-trinh.exe", lambda: b"MZ\x90\x00", "✗ chuong-trinh.exe: file type .exe is not accepted"),
    ],
)  # fmt: skip
def test_a_file_whose_content_is_not_its_extension_is_refused(tmp_path: Path, services, name: str, build,
                                                             message: str) -> None:  # fmt: skip
    saved, messages = _save(services, tmp_path / "in", {name: build()})
    assert saved == [] and len(messages) == 1 and messages[0].startswith(message), messages


def test_real_office_files_are_still_accepted(tmp_path: Path, services) -> None:
    saved, messages = _save(services, tmp_path / "in", {"mau.docx": hf.DOCX_SEED.read_bytes(),
                                                        "danh-muc.xlsx": hf.XLSX_SEED.read_bytes()})  # fmt: skip
    assert sorted(Path(s).name for s in saved) == ["danh-muc.xlsx", "mau.docx"], messages


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "/etc/passwd.pdf", "C:\\Windows\\System32\\evil.pdf", "..\\..\\evil.md", "a\x00b.md",
     "evil.md\x00.pdf", "tab\there.md", "..", ".", "", "uploads/../../x.md"],
)  # fmt: skip
def test_a_name_with_a_path_or_a_control_character_is_refused(name: str) -> None:
    from assistant.uploads import UploadRejected, check_upload, plan_uploads
    from assistant.web.corpus import rejection_text

    with pytest.raises(UploadRejected) as info:
        check_upload(name, 100, b"%PDF-1.7\n", max_mb=1)
    assert info.value.code == "bad_name" and info.value.filename == name
    plan = plan_uploads([(name, 100, b"%PDF-1.7\n"), ("tot.md", 10, "Văn bản".encode())], max_mb=1)
    assert [a.safe_name for a in plan.accepted] == ["tot.md"] and [r.code for r in plan.rejected] == ["bad_name"]
    message = rejection_text("en", info.value)
    assert message.endswith(": invalid file name.") and "\x00" not in message
    assert_inert_markdown(message)


def test_nothing_is_written_outside_the_upload_folder(tmp_path: Path, services) -> None:
    names = {"..md": b"x", "...pdf": b"%PDF-1.7\n", "~$lock.docx": hf.DOCX_SEED.read_bytes(),
             ".hidden.md": "Ẩn".encode(), "CON.txt": b"con", "Kế hoạch 02.md": "Kế hoạch".encode()}  # fmt: skip
    before = {p for p in tmp_path.rglob("*")}
    saved, _messages = _save(services, tmp_path / "in", names)
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    upload_dir = services.upload_dir.resolve()
    outside = [p for p in written if not p.resolve().is_relative_to(upload_dir) and (tmp_path / "in") not in p.parents]
    assert not outside, outside
    assert all(not Path(s).name.startswith((".", "_", "~$")) for s in saved), saved


# -- access against the real app --------------------------------------------------------------------

USER = ("official", "pw-user-1")
ADMIN = ("admin", "pw-admin-1")
KEPT = "giu-lai.md"


@dataclass
class RunningApp:
    url: str
    corpus: Path
    process: subprocess.Popen


@pytest.fixture(scope="module")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """app.py with a user and an admin configured, extractive, over a one-file corpus (nothing indexed)."""
    root = tmp_path_factory.mktemp("hostile-web")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / KEPT).write_text("# Giữ lại\n\nTệp này chỉ quản trị viên được xoá.", encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_"))}
    env.update(
        ASSISTANT_LLM="none", ASSISTANT_CORPUS__DIR=str(corpus), ASSISTANT_INDEX__DIR=str(root / "index"),
        ASSISTANT_WEB__ADMINS=json.dumps({ADMIN[0]: ADMIN[1]}), ASSISTANT_WEB__USERS=json.dumps({USER[0]: USER[1]}),
        GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port),
    )  # fmt: skip
    log = root / "app.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(REPO / "app.py")], env=env, cwd=root, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process, log, timeout=180)
        yield RunningApp(url, corpus, process)
    finally:
        stop(process)
        shutil.rmtree(root / "index", ignore_errors=True)


def _client(app: RunningApp, account: tuple[str, str] | None = None):
    import httpx

    client = httpx.Client(base_url=app.url, timeout=60)
    if account is not None:
        response = client.post("/login", data={"username": account[0], "password": account[1]})
        assert response.status_code == 200, response.text
    return client


ROUTES = [
    ("GET", "/config"),
    ("GET", "/gradio_api/info"),
    ("GET", "/gradio_api/openapi.json"),
    ("POST", "/gradio_api/queue/join"),
    ("POST", "/gradio_api/run/chat"),
    ("POST", "/gradio_api/call/chat"),
    ("POST", "/gradio_api/upload"),
    ("GET", f"/gradio_api/file={{corpus}}/{KEPT}"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "route"), ROUTES, ids=[r for _, r in ROUTES])
def test_requests_without_login_are_refused(running_app: RunningApp, method: str, route: str) -> None:
    client = _client(running_app)
    route = route.format(corpus=running_app.corpus)
    if method == "GET":
        response = client.get(route)
    elif route.endswith("/upload"):
        response = client.post(route, files={"files": ("x.md", b"# x", "text/markdown")})
    else:
        response = client.post(route, json={"data": ["Kế hoạch 02?"], "fn_index": 0, "session_hash": "s"})
    assert response.status_code == 401, (route, response.status_code, response.text[:300])
    assert KEPT not in response.text


@pytest.mark.slow
def test_the_login_page_shows_nothing_of_the_corpus_and_a_wrong_password_gets_no_session(
    running_app: RunningApp,
) -> None:
    client = _client(running_app)
    page = client.get("/")
    assert page.status_code == 200 and KEPT not in page.text
    response = client.post("/login", data={"username": USER[0], "password": "wrong"})
    assert response.status_code in (400, 401) and not client.cookies
    assert client.get("/config").status_code == 401
    assert client.post("/login", data={"username": "nobody", "password": ""}).status_code in (400, 401, 422)
    assert client.get("/config").status_code == 401 and not client.cookies


def _dependency(config: dict, elem_id: str, event: str) -> tuple[int, int]:
    """(fn_index, trigger id) of the event ``event`` of the component with ``elem_id``."""
    component = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
    index = next(i for i, d in enumerate(config["dependencies"]) if [component, event] in d["targets"])
    return index, component


def _call(client, fn_index: int, trigger: int, data: list) -> dict:
    """Call one event handler as the browser does (queue join, then its event stream); the completion message."""
    session = uuid.uuid4().hex
    joined = client.post("/gradio_api/queue/join", json={"data": data, "fn_index": fn_index, "session_hash": session,
                                                         "event_data": None, "trigger_id": trigger})  # fmt: skip
    assert joined.status_code == 200, joined.text
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError("no completion message")


#: Admin handlers (component elem_id, event, inputs after the admin check would look at them).
ADMIN_CALLS = [
    ("delete", "click", [KEPT, "en"]),
    ("delete", "click", [None, "en"]),
    ("upload", "click", [None, "en"]),
    ("export-csv", "click", ["en"]),
    ("export-jsonl", "click", ["en"]),
    ("feedback-draft", "click", [None, "en"]),
    ("eval-upload", "upload", [None, "en"]),
    ("eval-run", "click", [None, None, None, "en", "{backend}"]),
]
DENIED = "You are not allowed to do this."


@pytest.mark.slow
@pytest.mark.parametrize(("elem_id", "event", "data"), ADMIN_CALLS, ids=[f"{e}-{d[0]}" for e, _, d in ADMIN_CALLS])
def test_a_non_admin_calling_an_admin_handler_directly_is_refused(running_app: RunningApp, elem_id: str, event: str,
                                                                  data: list) -> None:  # fmt: skip
    client = _client(running_app, USER)
    config = client.get("/config").json()
    backend = next(c["props"]["value"] for c in config["components"] if c.get("props", {}).get("elem_id") == "backend")
    fn_index, trigger = _dependency(config, elem_id, event)
    done = _call(client, fn_index, trigger, [backend if value == "{backend}" else value for value in data])
    assert done["success"] is False, done
    assert done["output"]["error"] in (DENIED, f"Value: {KEPT} is not in the list of choices: []"), done
    assert (running_app.corpus / KEPT).exists()
    assert not (running_app.corpus / "uploads").exists() or not any((running_app.corpus / "uploads").iterdir())


@pytest.mark.slow
def test_the_same_calls_by_the_admin_are_served(running_app: RunningApp) -> None:
    """The control: the calls above reach their handlers, so a missing admin check would show."""
    client = _client(running_app, ADMIN)
    config = client.get("/config").json()
    done = _call(client, *_dependency(config, "export-csv", "click"), ["en"])
    assert done["success"] is True and "feedback.csv" in json.dumps(done["output"]["data"]), done
    done = _call(client, *_dependency(config, "delete", "click"), [None, "en"])
    assert done["success"] is True, done


@pytest.mark.slow
def test_gradio_client_reaches_only_the_chat_endpoint(running_app: RunningApp) -> None:
    from gradio_client import Client

    client = Client(running_app.url + "/", auth=USER, verbose=False)
    api = client.view_api(return_format="dict", print_info=False)
    assert list(api["named_endpoints"]) == ["/chat"] and not api["unnamed_endpoints"]
    fn_index, _ = _dependency(_client(running_app, USER).get("/config").json(), "delete", "click")
    with pytest.raises(ValueError, match="Invalid function index"):
        client.predict(None, "en", fn_index=fn_index)
    with pytest.raises(ValueError):
        Client(running_app.url + "/", auth=(USER[0], "wrong"), verbose=False)
