"""Prompt templates as files in ``prompts/``, loaded into a validated :class:`PromptSet`.

Each template must use exactly the placeholders listed in
:data:`~assistant.answer.constants.TEMPLATE_PLACEHOLDERS`; a missing or unknown
placeholder is an error naming the file, raised at load time rather than in the
middle of a conversation. Literal braces are written ``{{`` and ``}}``. The
shared constants (refusal marker, citation example) are filled in at load time,
so the system prompt is one fixed string (a stable prefix the LLM can cache).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from assistant.answer.constants import (
    CITATION_EXAMPLE,
    REFUSAL_FILE,
    REFUSAL_MARKER,
    REQUIRED_REFUSALS,
    TEMPLATE_PLACEHOLDERS,
)
from assistant.errors import ConfigError

# Filled when the prompts are loaded; every other placeholder is filled per question.
# The quiz builder's rewording prompt (assistant/quiz/polish.py) and its placeholders, checked like the others.
QUIZ_POLISH_FILE = "quiz_polish.txt"
QUIZ_POLISH_PLACEHOLDERS = frozenset(
    {"language_name", "stem", "passage", "answer", "retry", "blank", "stem_label", "explanation_label"}
)
_CONSTANTS = {"refusal_marker": REFUSAL_MARKER, "citation_example": CITATION_EXAMPLE}
_REFUSAL_LINE = re.compile(r"^([a-z]{2,3}|default)\s*:\s*(.+)$")


class PromptError(ConfigError):
    """A prompt file is missing or malformed; ``path`` names the file."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def default_prompts_dir() -> Path:
    """``prompts/`` at the repository root."""
    return Path(__file__).resolve().parents[2] / "prompts"


def _placeholders(path: Path, template: str) -> set[str]:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:  # an unmatched "{" or "}"
        raise PromptError(path, f"bad placeholder syntax ({exc}); write literal braces as {{{{ and }}}}") from exc
    if any(not re.fullmatch(r"[a-z_]+", name) for name in fields):
        raise PromptError(path, f"placeholders must be plain names like {{question}}, got {sorted(fields)}")
    return fields


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(path, f"cannot read prompt file: {exc}") from exc


def _template(path: Path, expected: frozenset[str] | None = None) -> str:
    """The template text, checked to use exactly its expected placeholders (default: by its file name)."""
    text = _read(path)
    expected = TEMPLATE_PLACEHOLDERS[path.name] if expected is None else expected
    found = _placeholders(path, text)
    problems = []
    if expected - found:
        problems.append(f"missing placeholder(s) {', '.join('{' + n + '}' for n in sorted(expected - found))}")
    if found - expected:
        problems.append(f"unknown placeholder(s) {', '.join('{' + n + '}' for n in sorted(found - expected))}")
    if problems:
        allowed = ", ".join("{" + n + "}" for n in sorted(expected))
        raise PromptError(path, "; ".join(problems) + f" (expected exactly: {allowed})")
    return text


def _refusals(path: Path) -> dict[str, str]:
    """``code: text`` lines; ``#`` comments and blank lines are skipped."""
    refusals: dict[str, str] = {}
    for number, raw in enumerate(_read(path).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _REFUSAL_LINE.match(line)
        if not m:
            raise PromptError(path, f"line {number}: expected 'code: text', got {line!r}")
        code, text = m.group(1), m.group(2).strip()
        if re.search(r"\d", text):
            raise PromptError(path, f"line {number}: a refusal must not contain a figure: {text!r}")
        if "{" in text or "}" in text:
            raise PromptError(path, f"line {number}: a refusal takes no placeholders: {text!r}")
        refusals[code] = text
    missing = [code for code in REQUIRED_REFUSALS if code not in refusals]
    if missing:
        raise PromptError(path, f"missing refusal(s) for {', '.join(missing)}")
    return refusals


@dataclass(frozen=True)
class PromptSet:
    """The loaded prompts: the fixed system prompt, the templates and the refusal messages."""

    system: str
    answer_template: str
    compose_template: str
    cloze_template: str
    translate_template: str
    fact_render_template: str
    condense_template: str
    rewrite_template: str
    terms_template: str
    retry_template: str
    quiz_polish_template: str
    refusals: dict[str, str]
    directory: Path

    def render_answer(self, question: str, passages: str, language_name: str, terms: str = "") -> str:
        """The user message asking for a cited answer (``terms``: :meth:`render_terms`)."""
        return self.answer_template.format(question=question, passages=passages, terms=terms,
                                           language_name=language_name)  # fmt: skip

    def render_compose(self, question: str, passages: str, language_name: str, terms: str = "", retry: str = "") -> str:
        """The user message asking again, when the first answer echoed the question or declined
        although the passages support it: restate what the passages say, in the asker's language.
        ``retry``: :meth:`render_retry`, why the last reply was turned down."""
        return self.compose_template.format(question=question, passages=passages, terms=terms,
                                            language_name=language_name, retry=retry)  # fmt: skip

    def render_cloze(
        self, question: str, passages: str, language_name: str, cloze: str, terms: str = "", retry: str = ""
    ) -> str:
        """The user message asking to fill in the blanks of the answer sentence ``cloze``
        (see :mod:`assistant.answer.cloze`)."""
        return self.cloze_template.format(question=question, passages=passages, terms=terms,
                                          language_name=language_name, cloze=cloze, retry=retry)  # fmt: skip

    def render_retry(self, reasons: list[str]) -> str:
        """The line telling the model why its last reply was turned down (ends with a newline), or ""."""
        return self.retry_template.format(reasons="; ".join(reasons)) + "\n" if reasons else ""

    def render_terms(self, pairs: list[tuple[str, str]]) -> str:
        """The lines pairing the question's wording with the passages' (ends with a newline), or ""."""
        if not pairs:
            return ""
        return self.terms_template.format(pairs="\n".join(f"- {asked} = {found}" for asked, found in pairs)) + "\n"

    def render_translate(self, sentence: str, language_name: str) -> str:
        """The user message asking for one passage sentence in the asker's language."""
        return self.translate_template.format(sentence=sentence, language_name=language_name)

    def render_fact(self, statement: str, actor: str, figures: str, language_name: str) -> str:
        """The user message asking for a fact's normalised wording in another language
        (:mod:`assistant.facts.render`); ``actor`` and ``figures`` must be copied unchanged."""
        return self.fact_render_template.format(statement=statement, actor=actor, figures=figures,
                                                language_name=language_name)  # fmt: skip

    def render_condense(self, question: str, history: str, language_name: str) -> str:
        """The user message asking to rewrite a follow-up as a standalone question."""
        return self.condense_template.format(question=question, history=history, language_name=language_name)

    def render_rewrite(self, question: str, languages: str) -> str:
        """The user message asking for translations of a question (multi-query retrieval)."""
        return self.rewrite_template.format(question=question, languages=languages)

    def render_quiz_polish(self, *, stem: str, passage: str, answer: str, language_name: str, blank: str,
                           stem_label: str, explanation_label: str, retry: str = "") -> str:  # fmt: skip
        """The user message asking to reword a quiz item's stem and explain its key (:mod:`assistant.quiz.polish`)."""
        return self.quiz_polish_template.format(stem=stem, passage=passage, answer=answer, language_name=language_name,
                                                blank=blank, stem_label=stem_label, explanation_label=explanation_label,
                                                retry=retry).strip()  # fmt: skip

    def refusal(self, language: str) -> str:
        """The refusal message in ``language`` (ISO 639-1), else the default one."""
        return self.refusals.get(language, self.refusals["default"])


def load_prompts(prompts_dir: Path | None = None) -> PromptSet:
    """Read and validate ``system.txt``, ``answer.txt``, ``compose.txt``, ``cloze.txt``, ``translate.txt``,
    ``fact_render.txt``, ``condense.txt``, ``rewrite.txt``, ``terms.txt``, ``retry.txt``, ``quiz_polish.txt``
    and ``refusal.txt``.

    Raises :class:`PromptError` naming the file on a missing file, a missing or
    unknown placeholder, or a malformed refusal line.
    """
    directory = Path(prompts_dir) if prompts_dir is not None else default_prompts_dir()
    system = _template(directory / "system.txt")
    return PromptSet(
        system=system.format(**_CONSTANTS).strip(),
        answer_template=_template(directory / "answer.txt").strip(),
        compose_template=_template(directory / "compose.txt").strip(),
        cloze_template=_template(directory / "cloze.txt").strip(),
        translate_template=_template(directory / "translate.txt").strip(),
        fact_render_template=_template(directory / "fact_render.txt").strip(),
        condense_template=_template(directory / "condense.txt").strip(),
        rewrite_template=_template(directory / "rewrite.txt").strip(),
        terms_template=_template(directory / "terms.txt").strip(),
        retry_template=_template(directory / "retry.txt").strip(),
        quiz_polish_template=_template(directory / QUIZ_POLISH_FILE, QUIZ_POLISH_PLACEHOLDERS).strip(),
        refusals=_refusals(directory / REFUSAL_FILE),
        directory=directory,
    )
