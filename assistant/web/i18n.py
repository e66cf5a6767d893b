"""Interface texts in Vietnamese (default) and English; :mod:`assistant.web.labels` applies them on a switch."""

from __future__ import annotations

from typing import Any

from assistant.reasons import parse
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


def reason_text(lang: str | None, text: str) -> str:
    """A check's reason (:mod:`assistant.reasons`) in ``lang``; any other text as written. Its fields follow
    the registry's conventions: a nested reason is shown in ``lang`` too, a language code by its name,
    date roles by their words, figures without their kind; the rest (dates, figures, names, quoted words) as written."""
    parsed = parse(text)
    if parsed is None:
        return text
    code, fields = parsed
    shown = {}
    for name, value in fields.items():
        if name == "problem":
            value = reason_text(lang, value)
        elif name == "problems":
            value = "; ".join(reason_text(lang, part) for part in value.split("; "))
        elif name == "language":
            value = language_name(lang, value)
        elif name in ("figure", "figures"):  # search keys ("date:03-31", "num:25") without their kind
            value = ", ".join(part.split(":", 1)[-1] for part in value.split(", "))
        elif name.endswith("_role"):
            value = "/".join(t(lang, f"reason.role.{role}") for role in value.split("/"))
        shown[name] = value
    return t(lang, f"reason.{code}", **shown)
