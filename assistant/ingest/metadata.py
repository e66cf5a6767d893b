"""Document-level metadata: the manifest entry wins, the rest is inferred.

``corpus/manifest.yaml`` maps a path relative to the corpus folder to any of
``title, language, url, site, date, doc_type``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlparse

import yaml

from assistant.errors import IngestError
from assistant.ingest.base import Hints
from assistant.language import document_language
from assistant.settings import CorpusSettings
from assistant.types import DocType

MANIFEST_KEYS = ("title", "language", "url", "site", "date", "doc_type")
DOC_TYPES: tuple[str, ...] = get_args(DocType)
TITLE_MAX = 120

#: Path keywords (diacritics removed, words joined by "-") → doc_type, checked in order.
DOC_TYPE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("guidebook", ("guidebook", "guide", "handbook", "so-tay", "huong-dan", "cam-nang")),
    ("template", ("template", "templates", "mau", "bieu-mau", "mau-bieu")),
    ("list", ("list", "lists", "danh-sach", "danh-muc")),
    ("article", ("article", "articles", "news", "tin-tuc", "bai-viet")),
)
#: Extensions whose files are lists when no path keyword says otherwise.
LIST_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".csv"})

_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")
_YMD = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_manifest(corpus_dir: Path, settings: CorpusSettings) -> dict[str, dict]:
    """Entries of ``<corpus_dir>/<settings.manifest>`` keyed by forward-slash relative path.

    A missing manifest is an empty mapping. Bad YAML, a wrong shape, an unknown key
    or an invalid value raise ``IngestError`` naming the manifest.
    """
    path = Path(corpus_dir) / settings.manifest
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise IngestError(path, f"invalid YAML{line}: {problem}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"cannot read manifest: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise IngestError(path, "manifest must map file paths to metadata entries")
    manifest: dict[str, dict] = {}
    for key, entry in data.items():
        source = str(key).replace("\\", "/").removeprefix("./")
        manifest[source] = _validate_entry(path, source, entry)
    return manifest


def _validate_entry(manifest: Path, source: str, entry: Any) -> dict[str, Any]:
    if entry is None:
        return {}
    if not isinstance(entry, dict):
        raise IngestError(manifest, f"entry '{source}' must be a mapping of {', '.join(MANIFEST_KEYS)}")
    clean: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in MANIFEST_KEYS:
            raise IngestError(
                manifest, f"unknown key '{key}' in entry '{source}' (allowed: {', '.join(MANIFEST_KEYS)})"
            )
        if value is None:
            continue
        if key == "date":
            value = _manifest_date(manifest, source, value)
        elif not isinstance(value, str) or not value.strip():
            raise IngestError(manifest, f"entry '{source}': '{key}' must be a non-empty string")
        else:
            value = value.strip()
        if key == "doc_type" and value not in DOC_TYPES:
            raise IngestError(manifest, f"entry '{source}': doc_type must be one of {', '.join(DOC_TYPES)}")
        if key == "url" and not value.startswith(("http://", "https://")):
            raise IngestError(manifest, f"entry '{source}': url must start with http:// or https://")
        clean[key] = value
    return clean


def _manifest_date(manifest: Path, source: str, value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise IngestError(manifest, f"entry '{source}': date must be YYYY-MM-DD, got {value!r}")


def resolve_metadata(
    source: str, entry: dict[str, Any], hints: Hints, texts: list[str], all_texts: list[str] | None = None
) -> dict[str, Any]:
    """Document-level metadata for ``source``: manifest entry, then hints, then inference.

    ``texts`` are the prose units (title and date are looked for in the first one);
    ``all_texts`` (default ``texts``) feed language detection.
    """
    url = entry.get("url") or hints.url
    return {
        "source": source,
        "title": entry.get("title") or infer_title(source, hints, texts),
        "url": url,
        "language": entry.get("language") or document_language("\n".join(all_texts or texts)),
        "doc_type": entry.get("doc_type") or infer_doc_type(source, url),
        "site": entry.get("site") or site_of(url),
        "date": entry.get("date") or hints.date or find_date(texts[0] if texts else ""),
    }


def infer_title(source: str, hints: Hints, texts: list[str]) -> str:
    """File title, first heading, first non-empty line (≤120 chars) or the file stem."""
    if hints.title:
        return truncate(hints.title)
    for text in texts[:1]:
        for line in text.split("\n"):
            if line.strip():
                return truncate(line.strip())
    return Path(source).stem


def truncate(text: str, limit: int = TITLE_MAX) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


def infer_doc_type(source: str, url: str | None) -> str:
    """Path keywords, then spreadsheet extension → list, then url → article, else other."""
    words = _path_words(source)
    for doc_type, keywords in DOC_TYPE_KEYWORDS:
        if any(_contains(words, keyword.split("-")) for keyword in keywords):
            return doc_type
    if Path(source).suffix.lower() in LIST_EXTENSIONS:
        return "list"
    return "article" if url else "other"


def site_of(url: str | None) -> str | None:
    """Host name of ``url`` without "www.", or None."""
    if not url:
        return None
    try:
        host = (urlparse(url).hostname or "").lower()
    except ValueError:  # "https://exa[mple.vn/" (a damaged page) names no site
        return None
    return host.removeprefix("www.") or None


def find_date(text: str, lines: int = 10) -> str | None:
    """The first dd/mm/yyyy or yyyy-mm-dd date in the first ``lines`` lines, as ISO."""
    head = "\n".join(text.split("\n")[:lines])[:2000]
    found: list[tuple[int, str]] = []
    for match in _DMY.finditer(head):
        iso = _iso(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if iso:
            found.append((match.start(), iso))
            break
    for match in _YMD.finditer(head):
        iso = _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if iso:
            found.append((match.start(), iso))
            break
    return min(found)[1] if found else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat() if 1900 <= year <= 2100 else None
    except ValueError:
        return None


def _path_words(source: str) -> list[str]:
    path = Path(source)
    text = "/".join([*path.parent.parts, path.stem]).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return [w for w in re.split(r"[^a-z0-9]+", text) if w]


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))
