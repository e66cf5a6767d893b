"""Every loader fuzzed with hypothesis on mutated real files; each load runs in a sandboxed child.

The seeds are real files: the Vietnamese fixtures in ``evals/fixtures/vi-docs`` (PDF, DOCX,
XLSX, CSV), the seed articles in ``corpus/articles`` (TXT), the README (Markdown), and the
generated fixtures of :mod:`fixtures_docs` where no real file of a format exists (HTML).
A mutation is a list of byte operations (flip, truncate, insert, duplicate or delete a run),
drawn with tokens of the format so that parsers get past their first check; for DOCX and
XLSX the operations can also act on one ZIP member's uncompressed XML (re-zipped, so the
XML parser sees the damage rather than a CRC error) or drop a member.

The only acceptable outcome of a load is Documents, or :class:`~assistant.errors.IngestError`
naming the file with a one-line reason (what :func:`assistant.sync.sync_corpus` turns into a
``SkippedFile``). Any other exception, a load running past
:data:`loader_sandbox.LOAD_SECONDS`, or one allocating past its memory limit
(:data:`loader_sandbox.MEMORY_HEADROOM_MB`) fails the test.

The budget comes from a hypothesis profile: ``fuzz-ci`` (the default: derandomized, no
example database, the whole file in well under 90 s) or ``fuzz-long`` (random, many more
examples) chosen with ``ASSISTANT_FUZZ_PROFILE=fuzz-long``. Inputs that once broke a loader
are kept as ``@example``s.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import fixtures_docs as fx
import hostile_files as hf
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from loader_sandbox import LoaderSandbox, Outcome

REPO = Path(__file__).resolve().parents[1]
VI_DOCS = REPO / "evals" / "fixtures" / "vi-docs"

_COMMON = {
    "deadline": timedelta(seconds=30),  # the sandbox's own limit (10 s) reports a hang first, with its stack
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("fuzz-ci", derandomize=True, database=None, max_examples=60, **_COMMON)
settings.register_profile("fuzz-long", derandomize=False, database=None, max_examples=2000, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("ASSISTANT_FUZZ_PROFILE", "fuzz-ci"))


def budget(ci_examples: int) -> settings:
    """The profile's settings, with ``ci_examples`` examples under the CI profile."""
    if PROFILE.derandomize:
        return settings(PROFILE, max_examples=ci_examples)
    return PROFILE


# -- seeds ----------------------------------------------------------------------------------------

#: Seed files by format: real files where the repository has them, else generated ones ("gen:...").
SEEDS: dict[str, tuple[str, ...]] = {
    ".pdf": ("vi-docs/so-tay-huong-dan.pdf",),
    ".docx": ("vi-docs/mau-quyet-dinh-to-cong-tac.docx", "vi-docs/mau-bao-cao-so-lieu-hang-ngay.docx"),
    ".xlsx": ("vi-docs/danh-muc-thu-tuc.xlsx", "gen:xlsx"),
    ".xls": ("gen:xls",),
    ".csv": ("vi-docs/dau-moi-lien-he.csv", "gen:csv"),
    ".html": ("gen:html",),
    ".md": ("README.md", "gen:md"),
    ".txt": ("corpus/articles/000_80bf7b546d8b9867.txt", "corpus/articles/003_be6f62edfe8253c2.txt", "gen:txt-cp1258"),
}
_GENERATORS = {
    "gen:xlsx": lambda folder: fx.make_xlsx(folder),
    "gen:xls": lambda folder: fx.make_xls(folder),
    "gen:csv": lambda folder: fx.make_csv(folder),
    "gen:html": lambda folder: fx.make_html(folder),
    "gen:md": lambda folder: fx.make_markdown(folder),
    "gen:txt-cp1258": lambda folder: fx.make_legacy_txt(folder, "cp1258")[0],
}


def seed_bytes(name: str, folder: Path) -> bytes:
    if name.startswith("gen:"):
        return _same_every_run(_GENERATORS[name](folder).read_bytes())
    if name.startswith("vi-docs/"):
        return (VI_DOCS / name.removeprefix("vi-docs/")).read_bytes()
    return (REPO / name).read_bytes()


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def _same_every_run(data: bytes) -> bytes:
    """A generated Office file with its time stamps fixed (openpyxl writes the time of saving into
    the ZIP entries and docProps/core.xml), so that a mutation hits the same bytes in every run."""
    if not data.startswith(b"PK"):
        return data
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = _STAMP.sub(rb"\g<1>2025-07-01T00:00:00Z\g<2>", source.read(info))
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 7, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return buffer.getvalue()


# -- mutations ------------------------------------------------------------------------------------

PDF_TOKENS = (
    b"obj", b"endobj", b"stream\n", b"\nendstream", b"xref\n0 1\n", b"trailer", b"startxref\n0\n", b"%%EOF",
    b"<<", b">>", b"[", b"]", b"(", b")", b"\\", b"/Type /Page", b"/Type /Pages", b"/Kids [3 0 R 3 0 R]",
    b"/Count 2147483648", b"/Length 99999999", b"/Length -1", b"/Filter /FlateDecode", b"/Filter /LZWDecode",
    b"/DecodeParms << /Predictor 15 /Columns 99999 >>", b"/Encrypt 1 0 R", b" 0 R", b" 99999 0 R", b"/Parent 4 0 R",
    b"/Root 2 0 R", b"/Prev 0", b"/Size -5", b"BT", b"ET", b" Tj", b" TJ", b"/F1 1e308 Tf", b"/Font", b"/Resources",
    b"/Contents", b"/ToUnicode", b"beginbfchar", b"endbfrange", b"<FEFF>", b"9999999999", b"-0.0", b"\x00", b"\xff",
)  # fmt: skip
XML_TOKENS = (
    b"<", b">", b"/>", b"</", b"<w:p>", b"</w:p>", b"<w:r><w:t>", b"</w:t></w:r>", b"<w:tbl>", b"<w:tr>", b"<w:tc>",
    b'<w:gridSpan w:val="99999"/>', b'<w:vMerge w:val="restart"/>', b'<w:pStyle w:val="Heading9"/>',
    b'<c r="XFD1048576" t="s"><v>99999</v></c>', b'<row r="0">', b'<row r="1048577">', b'<dimension ref="A1:XFD1048576"/>',
    b"<si><t>x</t></si>", b't="s"', b't="d"', b"<v>1e999</v>", b"<v>-1</v>", b"&amp;", b"&#0;", b"&#xFFFF;",
    b"&undefined;", b"<!--", b"<![CDATA[", b'<?xml version="1.0" encoding="utf-16"?>', b'r:id="rId999"',
    b'Target="../../../../etc/passwd"', b'TargetMode="External"', b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaaaaaaaa">]>',
    b"&a;", b"\xff\xfe", b"\x00",
)  # fmt: skip
HTML_TOKENS = (
    b"<script>", b"</script>", b"<style>", b"<table>", b"<tr>", b"<td>", b"<th>", b"<h1>", b"</h1>", b"<h6>",
    b"<pre>", b"<br>", b"<p>", b"</p>", b"<!--", b"-->", b"<![CDATA[", b'<meta charset="utf-16">',
    b'<meta charset="x-unknown">', b'<meta charset="cp1258">', b'<link rel="canonical" href="javascript:alert(1)">',
    b'<meta property="og:title" content="', b'<meta property="article:published_time" content="9999-99-99">',
    b"<title>", b"</title>", b"&#0;", b"&#xD800;", b"&nbsp;", "\ue000".encode(), b"\xef\xbb\xbf", b"\xff\xfe", b"<div>" * 300,
)  # fmt: skip
TEXT_TOKENS = (
    b"\r", b"\n", b"\r\n", b"\n\n\n", b'"', b'""', b";", b",", b"\t", b"|", b"# ", b"###### ", b"```", b"~~~",
    b"---\n", b"\n---\ntitle: [\n---\n", b"---\ndate: 2025-13-45\nurl: javascript:x\n---\n", b"=====\n", b"- ",
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\xc3", b"\xe1\xba", b"\xcc\x81", b"\xe2\x80\xae",
    "Chương II\n".encode(), "Điều 4. ".encode(), b"1.2. ", "Ngày 31/02/2025".encode(), "\ue003\ufeff".encode(),
    b"a;" * 500, b'"' * 100,
)  # fmt: skip
TOKENS = {".pdf": PDF_TOKENS, ".docx": XML_TOKENS, ".xlsx": XML_TOKENS, ".html": HTML_TOKENS}

Op = tuple


def byte_ops(tokens: Sequence[bytes]) -> st.SearchStrategy[Op]:
    """One byte-level edit; positions are taken modulo the data length when applied."""
    position = st.integers(min_value=0, max_value=2**31)
    insert = st.one_of(st.sampled_from(tokens), st.binary(min_size=1, max_size=64))
    return st.one_of(
        st.tuples(st.just("flip"), position, st.integers(1, 255)),
        st.tuples(st.just("truncate"), position),
        st.tuples(st.just("insert"), position, insert),
        st.tuples(st.just("duplicate"), position, st.integers(1, 4096), st.integers(1, 16)),
        st.tuples(st.just("delete"), position, st.integers(1, 4096)),
    )


def mutations(ext: str) -> st.SearchStrategy[tuple[str, tuple[Op, ...]]]:
    """``(seed name, operations)``; DOCX/XLSX also get ZIP-member operations."""
    edits = byte_ops(TOKENS.get(ext, TEXT_TOKENS))
    ops = edits
    if ext in (".docx", ".xlsx"):
        member = st.integers(min_value=0, max_value=1000)
        ops = st.one_of(
            edits,
            st.tuples(st.just("member"), member, st.lists(edits, min_size=1, max_size=4).map(tuple)),
            st.tuples(st.just("drop"), member),
        )
    return st.tuples(st.sampled_from(SEEDS[ext]), st.lists(ops, min_size=1, max_size=5).map(tuple))


def apply_ops(data: bytes, ops: Sequence[Op]) -> bytes:
    for op in ops:
        if op[0] == "member":
            data = _edit_member(data, op[1], op[2])
        elif op[0] == "drop":
            data = _drop_member(data, op[1])
        else:
            data = _edit_bytes(data, op)
    return data


def _edit_bytes(data: bytes, op: Op) -> bytes:
    kind, at = op[0], op[1] % (len(data) + 1)
    if kind == "flip" and at < len(data):
        return data[:at] + bytes([data[at] ^ op[2]]) + data[at + 1 :]
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        return data[:at] + op[2] + data[at:]
    if kind == "duplicate":
        run = data[at : at + op[2]]
        return data[:at] + run * op[3] + data[at:]
    if kind == "delete":
        return data[:at] + data[at + op[2] :]
    return data


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info, archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError):
        # Already broken by an earlier byte edit: leave it so. RuntimeError: a flipped bit marked a part
        # encrypted ("File <ZipInfo …> is encrypted"; NotImplementedError, an unknown method, is one too).
        return None


def _rezip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in members:
            archive.writestr(info.filename, content)
    return buffer.getvalue()


def _edit_member(data: bytes, which: int, ops: Sequence[Op]) -> bytes:
    members = _members(data)
    if not members:
        return data
    index = which % len(members)
    info, content = members[index]
    for op in ops:
        content = _edit_bytes(content, op)
    members[index] = (info, content)
    return _rezip(members)


def _drop_member(data: bytes, which: int) -> bytes:
    members = _members(data)
    if not members:
        return data
    del members[which % len(members)]
    return _rezip(members)


# -- the harness ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[LoaderSandbox]:
    with LoaderSandbox() as box:
        yield box


@pytest.fixture(scope="module")
def fuzz_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus folder the mutants are written to, folder of the generated seeds)."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "corpus").mkdir()
    (root / "seeds").mkdir()
    return root / "corpus", root / "seeds"


def load_checked(sandbox: LoaderSandbox, corpus: Path, name: str, data: bytes) -> Outcome:
    """Write ``data`` as ``corpus/name``, load it in the sandbox, assert the outcome is acceptable."""
    path = corpus / name
    path.write_bytes(data)
    outcome = sandbox.load(path, corpus)
    assert outcome.ok, f"{name} ({len(data)} bytes): {outcome.describe()}"
    if outcome.kind == "ingest_error":
        detail = outcome.detail
        assert Path(detail["path"]) == path, detail
        assert name in detail["message"] and detail["reason"] and "\n" not in detail["reason"], detail
    else:
        assert outcome.detail["documents"] > 0, outcome.detail
    return outcome


def fuzz(sandbox: LoaderSandbox, dirs: tuple[Path, Path], ext: str, mutation: tuple[str, tuple[Op, ...]]) -> None:
    corpus, seeds = dirs
    seed, ops = mutation
    load_checked(sandbox, corpus, f"tệp-đột-biến{ext}", apply_ops(seed_bytes(seed, seeds), ops))


def test_every_seed_loads(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path]) -> None:
    """The unmutated seeds load: a mutant's error is the mutation's doing."""
    for ext, names in SEEDS.items():
        for name in names:
            outcome = load_checked(sandbox, fuzz_dirs[0], f"seed{ext}", seed_bytes(name, fuzz_dirs[1]))
            assert outcome.kind == "loaded", (name, outcome.describe())


def test_the_sandbox_reports_a_crash_a_hang_and_memory_use(tmp_path: Path) -> None:
    """The harness can fail: a loader that raises, hangs or allocates without bound is caught."""
    (tmp_path / "a.txt").write_text("Một văn bản đủ dài để được đọc như văn bản.", encoding="utf-8")
    with LoaderSandbox(seconds=2, headroom_mb=256) as box:
        assert box.load(tmp_path / "a.txt", tmp_path).kind == "loaded"
        for trap, kind in (("raise", "crash"), ("sleep", "hang"), ("allocate", "crash")):
            outcome = box.load_with_trap(tmp_path / "a.txt", tmp_path, trap)
            assert outcome.kind == kind, outcome.describe()
        assert "MemoryError" in box.load_with_trap(tmp_path / "a.txt", tmp_path, "allocate").detail["type"]
        assert box.load(tmp_path / "a.txt", tmp_path).kind == "loaded"  # a fresh child after the hang


@budget(200)
@given(mutation=mutations(".pdf"))
# Found by this test, once crashes (kept as regressions): a damaged filter name (NotImplementedError).
@example(mutation=("vi-docs/so-tay-huong-dan.pdf", (("insert", 5744342, b"obj"),)))
def test_pdf(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".pdf", mutation)


@budget(300)
@given(mutation=mutations(".docx"))
# Found by this test, once crashes (kept as regressions): a damaged deflate stream (zlib.error), and
# python-docx's AttributeErrors on damaged content types, relationships and styles (the last one
# while walking the body, outside the reader's try).
@example(mutation=("vi-docs/mau-bao-cao-so-lieu-hang-ngay.docx", (("flip", 120, 1),)))
@example(mutation=("vi-docs/mau-bao-cao-so-lieu-hang-ngay.docx", (("member", 0, (("flip", 480, 1),)),)))
@example(mutation=("vi-docs/mau-bao-cao-so-lieu-hang-ngay.docx", (("member", 120, (("flip", 120, 1),)),)))
@example(mutation=("vi-docs/mau-quyet-dinh-to-cong-tac.docx", (("member", 278, (("flip", 278, 1),)),)))
def test_docx(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".docx", mutation)


@budget(300)
@given(mutation=mutations(".xlsx"))
# Found by this test, once crashes (kept as regressions): lxml's XMLSyntaxError, a damaged deflate
# stream (zlib.error) and ElementTree's ParseError.
@example(mutation=("gen:xlsx", (("member", 844, (("flip", 0, 1),)),)))
@example(
    mutation=(
        "gen:xlsx",
        (("member", 8, (("flip", 825940, 50), ("flip", 542100, 58))), ("flip", 1619449762, 211), ("flip", 9463, 215)),
    )
)
@example(mutation=("gen:xlsx", (("member", 346, (("flip", 346, 1),)),)))
def test_xlsx(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".xlsx", mutation)


@budget(200)
@given(mutation=mutations(".xls"))
def test_xls(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".xls", mutation)


@budget(200)
@given(mutation=mutations(".csv"))
def test_csv(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".csv", mutation)


@budget(200)
@given(mutation=mutations(".html"))
# Found by the fuzz-long profile, once a crash (kept as a regression): a canonical URL with a "[" in its host
# made urlparse raise ValueError ("Invalid IPv6 URL") while the site was inferred.
@example(mutation=("gen:html", (("insert", 160, b"<![CDATA["),)))
def test_html(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".html", mutation)


@budget(200)
@given(mutation=mutations(".md"))
def test_markdown(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".md", mutation)


@budget(200)
@given(mutation=mutations(".txt"))
def test_txt(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], mutation) -> None:
    fuzz(sandbox, fuzz_dirs, ".txt", mutation)


MAGIC = {".pdf": b"%PDF-1.7\n", ".docx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04", ".html": b"<!DOCTYPE html><html>",
         ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}  # fmt: skip


@budget(300)
@given(
    ext=st.sampled_from(sorted(SEEDS)),
    data=st.binary(min_size=1, max_size=8192),
    magic=st.booleans(),
)
def test_random_bytes_with_the_right_extension(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], ext: str,
                                               data: bytes, magic: bool) -> None:  # fmt: skip
    load_checked(sandbox, fuzz_dirs[0], f"ngẫu-nhiên{ext}", (MAGIC.get(ext, b"") if magic else b"") + data)


# -- hostile files, one by one ----------------------------------------------------------------------

_VI_LINE = "Các bộ, ngành và địa phương rà soát thủ tục hành chính, cập nhật dữ liệu dân cư. "
#: name -> (extension, builder, expected reason fragment; None: loading is fine, as long as it ends in time)
HOSTILE: dict[str, tuple[str, object, str | None]] = {
    "docx-zip-bomb-3gb": (".docx", lambda: hf.zip_bomb(hf.DOCX_SEED, "word/document.xml"), "MB limit (a zip bomb?)"),
    "xlsx-zip-bomb-3gb": (".xlsx", lambda: hf.zip_bomb(hf.XLSX_SEED, "xl/worksheets/sheet1.xml"), "MB limit (a zip bomb?)"),
    "docx-zip-bomb-lying-sizes": (".docx", lambda: hf.lying_zip_bomb(hf.DOCX_SEED, "word/document.xml"),
                                  "unpacks past its declared size"),
    "xlsx-zip-bomb-lying-sizes": (".xlsx", lambda: hf.lying_zip_bomb(hf.XLSX_SEED, "xl/worksheets/sheet1.xml"),
                                  "unpacks past its declared size"),
    "docx-20000-parts": (".docx", lambda: hf.many_parts_zip(hf.DOCX_SEED), "parts, more than"),
    "xlsx-part-marked-encrypted": (".xlsx", lambda: hf.encrypted_part_zip(hf.XLSX_SEED, "xl/worksheets/sheet1.xml"),
                                   "encrypted"),
    "docx-xxe-etc-passwd": (".docx", lambda: hf.docx_with_entity(hf.XXE, b"&xxe;"), None),
    "xlsx-xxe-etc-passwd": (".xlsx", lambda: hf.xlsx_with_entity(hf.XXE, b"&xxe;"), None),
    "docx-billion-laughs": (".docx", lambda: hf.docx_with_entity(hf.LAUGHS, b"&l9;"), None),
    "xlsx-billion-laughs": (".xlsx", lambda: hf.xlsx_with_entity(hf.LAUGHS, b"&l9;"), None),
    "pdf-flate-bomb-1gb": (".pdf", lambda: hf.pdf_flate_bomb(1024), None),
    "pdf-page-tree-cycle": (".pdf", hf.pdf_page_cycle, None),
    "pdf-deep-nesting": (".pdf", hf.pdf_deep_nesting, None),
    "pdf-two-billion-pages": (".pdf", hf.pdf_huge_count, None),
    "pdf-self-referencing-length": (".pdf", hf.pdf_self_referencing_length, None),
    "exe-named-pdf": (".pdf", lambda: b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 40, "corrupt or unreadable PDF"),
    "pdf-named-docx": (".docx", lambda: hf.pdf_text("A PDF file saved as docx"), "corrupt or unreadable DOCX"),
    "html-100k-nested-divs": (".html", lambda: b"<html><body>" + b"<div>" * 100_000 + _VI_LINE.encode()
                              + b"</div>" * 100_000 + b"</body></html>", None),
    "html-broken-canonical-url": (".html", lambda: b'<html><head><link rel="canonical" href="https://exa[mple.gov.vn/">'
                                  + f"</head><body><p>{_VI_LINE}</p></body></html>".encode(), None),
    "md-front-matter-broken-url": (".md", lambda: f"---\nurl: https://exa[mple.gov.vn/\n---\n\n{_VI_LINE}\n".encode(),
                                   None),
    "csv-300k-field": (".csv", lambda: 'Tên,Ghi chú\n"'.encode() + b"x" * 300_000 + b'",1\n', "malformed CSV"),
    "txt-8mb-one-line": (".txt", lambda: (_VI_LINE * 100_000).encode(), None),
    "md-200k-headings": (".md", lambda: "".join(f"{'#' * (i % 6 + 1)} Mục {i}\n" for i in range(200_000)).encode(), None),
    "txt-50k-article-lines": (".txt", lambda: "".join(f"Điều {i}. {_VI_LINE}\n" for i in range(50_000)).encode(),
                              None),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file(sandbox: LoaderSandbox, fuzz_dirs: tuple[Path, Path], case: str) -> None:
    ext, build, reason = HOSTILE[case]
    outcome = load_checked(sandbox, fuzz_dirs[0], f"{case}{ext}", build())
    if reason is not None:
        assert outcome.kind == "ingest_error" and reason in outcome.detail["reason"], outcome.describe()
    elif outcome.kind == "loaded":
        assert hf.SECRET_MARK not in outcome.detail["text"], "an external entity was read into the text"
