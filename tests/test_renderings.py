"""Renderings of cited sentences in the asker's language: figures compared, unchecked, on demand."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from test_answer import BrokenModel

from assistant.answer.prompts import load_prompts
from assistant.answer.renderings import SourceRenderer, figure_mismatches

DE = "Die Dringlichkeitsphase dauert bis zum 30. Juni 2025; Genosse Trần Cẩm Tú leitet 6 Arbeitsgruppen."


def renderer(*replies: str) -> SourceRenderer:
    return SourceRenderer(GenericFakeChatModel(messages=iter([AIMessage(r) for r in replies])), load_prompts())


def test_a_faithful_rendering_has_no_mismatch() -> None:
    vi = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025; đồng chí Trần Cẩm Tú phụ trách 6 tổ công tác."
    rendering = renderer(vi).render(DE, "vi")
    assert rendering.text == vi and rendering.mismatches == () and rendering.language == "vi"


def test_a_changed_date_a_lost_count_and_a_lost_name_are_shown() -> None:
    wrong = "Giai đoạn cấp bách kéo dài đến ngày 31/7/2025; đồng chí phụ trách các tổ công tác."
    mismatches = renderer(wrong).render(DE, "vi").mismatches
    assert "06-30 is missing" in mismatches and "07-31 is not in the original" in mismatches
    assert "6 is missing" in mismatches and "the name Trần Cẩm Tú is missing" in mismatches


def test_a_sentence_already_in_the_language_is_shown_as_is_without_a_model() -> None:
    sentence = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 theo kế hoạch của tỉnh."
    assert SourceRenderer(None, load_prompts()).render(sentence, "vi").text == sentence


def test_without_a_model_or_with_a_broken_one_there_is_a_note_not_a_rendering() -> None:
    none = SourceRenderer(None, load_prompts()).render(DE, "vi")
    assert none.text is None and none.note == "no model"
    broken = SourceRenderer(BrokenModel(), load_prompts()).render(DE, "vi")
    assert broken.text is None and broken.note == "model unavailable"


def test_figure_mismatches_reads_names_phonetically() -> None:
    assert figure_mismatches("Чан Кам Ту очолив 6 груп до 30 червня.", "Trần Cẩm Tú dẫn đầu 6 nhóm đến 30/6.") == []


def test_a_rendering_is_cached_by_sentence_and_language(tmp_path) -> None:  # noqa: ANN001
    from test_answer import fake

    from assistant.models.llm_cache import sqlite_cached

    model = fake("Giai đoạn cấp bách kéo dài đến ngày 30/6/2025.", "Die zweite Antwort.", "The urgent phase ends on 30 June 2025.")
    renderer = SourceRenderer(sqlite_cached(model, tmp_path / "renderings.sqlite"), load_prompts())
    first, again = renderer.render(DE, "vi"), renderer.render(DE, "vi")
    assert first.text == again.text == "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025." and len(model.calls) == 1
    assert renderer.render(DE, "en").text == "Die zweite Antwort." and len(model.calls) == 2, "another language"
