"""The quiz builder's wording, read from ``templates.yaml`` beside this module and checked at load time.

Every language listed needs every stem and explanation, and each entry may use only the
placeholders of its kind (:data:`ALLOWED`): a missing entry, a missing required placeholder or an
unknown one raises :class:`~assistant.errors.ConfigError` naming the entry, before any item is built.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Final

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import ConfigError

TEMPLATES_FILE: Final[Path] = Path(__file__).with_name("templates.yaml")

_ROW = {"document", "task"}
_VALUE_ROW = {"document", "task", "value"}
_STEMS: Final[dict[str, set[str]]] = {
    "deadline_by_row": _ROW, "deadline_from_row": _ROW, "deadline_quote": {"document", "blanked"},
    "deadline_by_independent": {"document"}, "deadline_from_independent": {"document"},
    "target_row": _ROW, "target_quote": {"document", "blanked"}, "target_independent": {"document"},
    "responsibility_row": _ROW, "responsibility_quote": {"document", "blanked"},
    "true_deadline_by_row": _VALUE_ROW, "true_deadline_from_row": _VALUE_ROW,
    "true_deadline_by_independent": {"document", "value"}, "true_deadline_from_independent": {"document", "value"},
    "true_target_row": _VALUE_ROW, "true_target_independent": {"document", "value"},
    "true_responsibility_row": _VALUE_ROW, "true_quote": {"document", "statement"},
    "match_responsibility": {"document"}, "match_deadline": {"document"},
}  # fmt: skip
# Each stem's placeholders: every one of them must be used (and no other). A deadline given as a month or a
# quarter (a period) has a twin of every deadline stem ("period_by_row" …), with the same placeholders.
STEM_FIELDS: Final[dict[str, frozenset[str]]] = {
    name: frozenset(fields)
    for stem, fields in _STEMS.items()
    for name in ((stem, stem.replace("deadline", "period")) if "deadline" in stem else (stem,))
}
EXPLANATION_FIELDS: Final[dict[str, frozenset[str]]] = {
    "key": frozenset({"key"}),
    "source": frozenset({"title", "position", "quote"}),
    "foreign": frozenset({"language"}),
    "rendering": frozenset({"quiz_language", "language"}),
}
# The kinds of key a question asks for; ``asks`` lists, per language, the words a question for each says.
ASKED_KINDS: Final[tuple[str, ...]] = ("date", "period", "number", "actor")
DOCUMENT_FIELDS: Final[dict[str, frozenset[str]]] = {
    "same_language": frozenset({"doc_type", "title"}),
    "other_language": frozenset({"doc_type", "language", "source"}),
}


class Templates(BaseModel):
    """The validated wording (see ``templates.yaml`` for what each part is)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: list[str]
    blank: str
    titles: dict[str, str]
    language_names: dict[str, dict[str, str]]
    doc_types: dict[str, dict[str, str]]
    months: dict[str, list[str]]
    documents: dict[str, dict[str, str]]
    stems: dict[str, dict[str, str]]
    asks: dict[str, dict[str, list[str]]]
    explanations: dict[str, dict[str, str]]

    def stem(self, language: str, name: str, /, **values: str) -> str:
        return self.stems[language][name].format(**values)

    def explanation(self, language: str, name: str, /, **values: str) -> str:
        return self.explanations[language][name].format(**values)

    def language_name(self, language: str, code: str) -> str:
        """``code``'s name in ``language`` ('tiếng Ukraina'); the code itself when the file does not name it."""
        return self.language_names[language].get(code, code)

    def doc_type(self, language: str, doc_type: str) -> str:
        names = self.doc_types[language]
        return names.get(doc_type, names["other"])


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_entries(kind: str, table: dict[str, dict[str, str]], wanted: dict[str, frozenset[str]],
                   languages: list[str], path: Path) -> None:  # fmt: skip
    for language in languages:
        entries = table.get(language)
        if entries is None:
            raise ConfigError(f"{path}: {kind}.{language} is missing")
        for name in sorted(set(entries) - set(wanted)):
            raise ConfigError(f"{path}: {kind}.{language}.{name} is not a known entry")
        for name, fields in wanted.items():
            if name not in entries:
                raise ConfigError(f"{path}: {kind}.{language}.{name} is missing")
            try:
                used = _fields(entries[name])
            except ValueError as exc:
                raise ConfigError(f"{path}: {kind}.{language}.{name}: {exc}") from exc
            if used - fields:
                raise ConfigError(f"{path}: {kind}.{language}.{name}: unknown placeholder(s) {sorted(used - fields)}")
            if fields - used:
                raise ConfigError(f"{path}: {kind}.{language}.{name}: missing placeholder(s) {sorted(fields - used)}")


def load_templates(path: Path = TEMPLATES_FILE) -> Templates:
    """Read and check the templates file (see the module docstring)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        templates = Templates.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read quiz templates: {exc}") from exc
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise ConfigError(f"{path}: {'.'.join(map(str, error['loc']))}: {error['msg']}") from exc
    languages = templates.languages
    _check_entries("stems", templates.stems, STEM_FIELDS, languages, path)
    _check_entries("explanations", templates.explanations, EXPLANATION_FIELDS, languages, path)
    _check_entries("documents", templates.documents, DOCUMENT_FIELDS, languages, path)
    for table in ("titles", "language_names", "doc_types"):
        missing = [language for language in languages if language not in getattr(templates, table)]
        if missing:
            raise ConfigError(f"{path}: {table}.{missing[0]} is missing")
    for language in languages:
        if "other" not in templates.doc_types[language]:
            raise ConfigError(f"{path}: doc_types.{language}.other is missing")
        for kind in ASKED_KINDS:
            if not templates.asks.get(language, {}).get(kind):
                raise ConfigError(f"{path}: asks.{language}.{kind} is missing")
    if "en" in languages and len(templates.months.get("en", [])) != 12:
        raise ConfigError(f"{path}: months.en needs the 12 month names")
    return templates


@lru_cache(maxsize=1)
def default_templates() -> Templates:
    """The shipped templates, read once per process (when first needed, never at import)."""
    return load_templates()
