"""Interface texts in Vietnamese (default) and English; :mod:`assistant.web.labels` applies them on a switch."""

from __future__ import annotations

from typing import Any

from assistant.web.texts_en import EN
from assistant.web.texts_vi import VI

LANGUAGES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT = "vi"

TEXTS: dict[str, dict[str, str]] = {"vi": VI, "en": EN}

# Names of document languages, in the interface language.
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "vi": {"vi": "Tiếng Việt", "en": "Tiếng Anh", "fr": "Tiếng Pháp", "de": "Tiếng Đức", "ru": "Tiếng Nga",
           "uk": "Tiếng Ukraina", "pt": "Tiếng Bồ Đào Nha", "es": "Tiếng Tây Ban Nha", "und": "Không rõ"},
    "en": {"vi": "Vietnamese", "en": "English", "fr": "French", "de": "German", "ru": "Russian",
           "uk": "Ukrainian", "pt": "Portuguese", "es": "Spanish", "und": "Unknown"},
}  # fmt: skip


def normalize(lang: str | None) -> str:
    return lang if lang in TEXTS else DEFAULT


def t(lang: str | None, key: str, **values: Any) -> str:
    """The text of ``key`` in ``lang`` (falling back to Vietnamese, then to the key), formatted."""
    text = TEXTS[normalize(lang)].get(key) or VI.get(key) or key
    return text.format(**values) if values else text


def language_name(lang: str | None, code: str) -> str:
    return LANGUAGE_NAMES[normalize(lang)].get(code, code)


def doc_type_name(lang: str | None, doc_type: str) -> str:
    return t(lang, f"type.{doc_type}") if f"type.{doc_type}" in VI else doc_type
