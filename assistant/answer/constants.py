"""Fixed strings shared by the prompt files and the code.

Prompt files reference these through placeholders (``{refusal_marker}``,
``{citation_example}``) that are filled when the prompts are loaded, so the
model is told exactly the strings the code later looks for.
"""

from __future__ import annotations

from assistant.language import LANGUAGE_NAMES  # noqa: F401 - re-exported: the prompts' language names

# What the model must reply, and nothing else, when the passages do not hold the answer.
REFUSAL_MARKER = "NOT_IN_DOCUMENTS"
# How a passage is cited in an answer; several citations are written side by side: [1][3].
CITATION_FORMAT = "[{n}]"
CITATION_EXAMPLE = CITATION_FORMAT.format(n=1)
# Appended to a sentence whose citations or figures could not be checked against the passages.
UNVERIFIED_FLAG = "⚠️[unverified]"
# Passages are fenced with this tag in the prompt; the same tag inside passage text is defused.
PASSAGE_TAG = "passage"

# Prompt files in ``prompts/`` and the placeholders each must use (exactly these). The refusal rule
# lives in the system prompt only: repeating it next to the question made a 1.5B model refuse answerable questions.
TEMPLATE_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "system.txt": frozenset({"refusal_marker", "citation_example"}),
    "answer.txt": frozenset({"passages", "terms", "question", "language_name"}),
    "compose.txt": frozenset({"passages", "terms", "question", "language_name", "retry"}),
    "cloze.txt": frozenset({"passages", "terms", "question", "language_name", "cloze", "retry"}),
    "retry.txt": frozenset({"reasons"}),
    "terms.txt": frozenset({"pairs"}),
    "translate.txt": frozenset({"sentence", "language_name"}),
    "fact_render.txt": frozenset({"statement", "actor", "figures", "language_name"}),
    "condense.txt": frozenset({"history", "question", "language_name"}),
    "rewrite.txt": frozenset({"question", "languages"}),
}
REFUSAL_FILE = "refusal.txt"
# Languages a refusal file must cover; "default" is used for any other language.
REQUIRED_REFUSALS = ("vi", "en", "default")


# Short localized texts of the answer layer (question language -> text); "en" is the fallback.
LEAD_INS: dict[str, str] = {
    "vi": "Theo tài liệu:",
    "en": "According to the documents:",
    "fr": "Selon les documents :",
    "de": "Laut den Dokumenten:",
    "ru": "Согласно документам:",
}
# The facts step (answer/from_facts.py): the other documents stating the same fact, or another figure.
AGREE: dict[str, str] = {
    "vi": "Cùng nội dung trong {n} tài liệu khác:",
    "en": "Also stated in {n} other document(s):",
}
DISAGREE: dict[str, str] = {
    "vi": "Lưu ý: tài liệu sau nêu khác:",
    "en": "Note: this document says otherwise:",
}
LLM_FALLBACK_NOTICES: dict[str, str] = {
    "vi": "Mô hình ngôn ngữ không khả dụng ({error}); đây là câu trả lời trích nguyên văn từ tài liệu.",
    "en": "The language model is unavailable ({error}); this is an extractive answer quoted from the documents.",
}
NO_CLAIM_NOTICES: dict[str, str] = {
    "vi": "Mô hình ngôn ngữ không đưa ra câu trả lời dùng được; đây là câu trả lời trích nguyên văn từ tài liệu.",
    "en": "The language model gave no usable answer; this is an extractive answer quoted from the documents.",
}
MODEL_DECLINED_NOTICES: dict[str, str] = {
    "vi": "Mô hình ngôn ngữ không tìm thấy câu trả lời; đây là những câu sát nhất, trích nguyên văn từ tài liệu.",
    "en": "The language model found no answer; these are the closest sentences, quoted from the documents.",
}
TRANSLATED_NOTICES: dict[str, str] = {
    "vi": "Mô hình ngôn ngữ không đưa ra câu trả lời dùng được; đây là bản dịch những câu sát nhất trong tài liệu.",
    "en": "The language model gave no usable answer; these are the closest sentences of the documents, translated.",
}
WRONG_LANGUAGE_NOTICES: dict[str, str] = {
    "vi": "Lưu ý: câu trả lời có thể không được viết bằng tiếng Việt.",
    "en": "Note: the answer may not be written in English.",
}


def localized(table: dict[str, str], language: str) -> str:
    """The entry of ``table`` for ``language``, else the English one."""
    return table.get(language, table["en"])


def word_set(*chunks: str) -> frozenset[str]:
    """The whitespace-separated words of ``chunks`` (for long word lists written as text)."""
    return frozenset(" ".join(chunks).split())
