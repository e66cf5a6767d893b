"""Upload checks: names, types, sizes, contents, destinations."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.uploads import (
    MAX_NAME_CHARS,
    UPLOAD_EXTENSIONS,
    UploadRejected,
    check_upload,
    destination,
    plan_uploads,
    read_head,
    sanitize_filename,
)  # fmt: skip

PDF = b"%PDF-1.7\n..."
ZIP = b"PK\x03\x04rest"
TEXT = "Mã số thử nghiệm XJ-4471".encode()


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Kế hoạch 02.pdf", "Kế hoạch 02.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\system.ini.txt", "system.ini.txt"),
        ("/abs/path/report.DOCX", "report.docx"),
        (".hidden.md", "hidden.md"),
        ("...md", "md"),  # no extension left: refused later as a type
        ("_draft.md", "draft.md"),
        ("~$lock.docx", "lock.docx"),
        ("a\x00b\x1fc.txt", "abc.txt"),
        ("bad:name*?<>|.csv", "bad_name_.csv"),
        ("  spaced   out  .md", "spaced out.md"),
        ("..", ""),
        ("", ""),
        ("CON.txt", "file-CON.txt"),
        ("Ke\u0302\u0301 hoa\u0323ch.md", "Kế hoạch.md"),  # decomposed Vietnamese -> NFC
    ],
)
def test_sanitize_filename(raw: str, safe: str) -> None:
    assert sanitize_filename(raw) == safe


def test_sanitized_names_are_single_safe_components() -> None:
    for raw in ["../x.md", "a/b/c.md", "..\\..\\c.md", "\u202etxt.exe.md", "./.././.md"]:
        safe = sanitize_filename(raw)
        assert "/" not in safe and "\\" not in safe and not safe.startswith((".", "_"))


def test_long_names_are_cut_keeping_the_extension() -> None:
    safe = sanitize_filename("x" * 500 + ".pdf")
    assert len(safe) <= MAX_NAME_CHARS and safe.endswith(".pdf")


def test_accepts_each_allowed_type() -> None:
    heads = {".pdf": PDF, ".docx": ZIP, ".xlsx": ZIP, ".xlsm": ZIP, ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
             ".csv": b"a,b\n1,2", ".md": TEXT, ".txt": TEXT}  # fmt: skip
    assert set(heads) == UPLOAD_EXTENSIONS
    for ext, head in heads.items():
        assert check_upload(f"doc{ext}", 100, head, max_mb=1).safe_name == f"doc{ext}"


@pytest.mark.parametrize(
    ("name", "size", "head", "code"),
    [
        ("virus.exe", 10, b"MZ", "bad_type"),
        ("page.html", 10, b"<html>", "bad_type"),
        ("noext", 10, TEXT, "bad_type"),
        ("big.pdf", 3 * 1024 * 1024, PDF, "too_large"),
        ("empty.txt", 0, b"", "empty"),
        ("fake.pdf", 10, b"<script>", "bad_content"),
        ("fake.docx", 10, b"%PDF-", "bad_content"),
        ("binary.txt", 10, b"\x00\x01\x02", "bad_content"),
        ("..", 10, TEXT, "bad_name"),
    ],
)
def test_rejections_name_the_rule(name: str, size: int, head: bytes, code: str) -> None:
    with pytest.raises(UploadRejected) as info:
        check_upload(name, size, head, max_mb=2)
    assert info.value.code == code and info.value.filename == name


@pytest.mark.parametrize(("name", "target"), [("Quyết định.doc", ".docx"), ("danh sach.ODS", ".xlsx"), ("mau.odt", ".docx")])
def test_an_older_office_file_is_told_what_to_save_it_as(name: str, target: str) -> None:
    from assistant.web.corpus import rejection_text

    with pytest.raises(UploadRejected) as info:
        check_upload(name, 100, b"\xd0\xcf\x11\xe0", max_mb=1)
    assert info.value.code == "save_as" and info.value.detail["target"] == target
    assert f"save it as {target} (File → Save as)" in rejection_text("en", info.value)
    assert f"lưu lại dưới dạng {target}" in rejection_text("vi", info.value)
    assert rejection_text("vi", info.value).startswith(f"✗ {name}")


@pytest.mark.parametrize(("name", "head", "accepted"), [
    ("danh sach.XLS", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", True),  # Excel 97-2003: read as it is
    ("danh sach.xls", b"PK\x03\x04", False),  # not what the name says
    ("bang tinh.xlsm", b"PK\x03\x04", True),  # a workbook with macros: its cells are read, its macros never run
])  # fmt: skip
def test_legacy_and_macro_workbooks_are_accepted_when_their_bytes_say_so(name: str, head: bytes, accepted: bool) -> None:
    if accepted:
        check_upload(name, 100, head, max_mb=1)
    else:
        with pytest.raises(UploadRejected) as info:
            check_upload(name, 100, head, max_mb=1)
        assert info.value.code == "bad_content"


def test_too_large_reports_size_and_limit() -> None:
    with pytest.raises(UploadRejected) as info:
        check_upload("big.pdf", 3 * 1024 * 1024, PDF, max_mb=2)
    assert info.value.detail == {"size_mb": 3.0, "limit_mb": 2}


def test_plan_keeps_good_files_and_reports_each_bad_one() -> None:
    plan = plan_uploads(
        [("a.md", 5, TEXT), ("b.exe", 5, b"MZ"), ("A.md", 5, TEXT), ("../c.txt", 5, TEXT), ("d e.txt", 5, TEXT)],
        max_mb=1,
    )
    assert [a.safe_name for a in plan.accepted] == ["a.md", "d e.txt"]
    assert [(r.filename, r.code) for r in plan.rejected] == [
        ("b.exe", "bad_type"), ("A.md", "duplicate"), ("../c.txt", "bad_name"),
    ]  # fmt: skip


def test_destination_stays_inside_the_folder(tmp_path: Path) -> None:
    assert destination(tmp_path, "a.md") == (tmp_path / "a.md").resolve()
    for bad in ["../a.md", "..", "", "sub/a.md", "..\\a.md"]:
        with pytest.raises(UploadRejected):
            destination(tmp_path, bad)


def test_destination_refuses_a_symlink_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "link.md").symlink_to(outside / "target.md")
    with pytest.raises(UploadRejected):
        destination(folder, "link.md")


def test_read_head(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(PDF + b"x" * 10000)
    assert read_head(path).startswith(b"%PDF-") and len(read_head(path)) == 4096
