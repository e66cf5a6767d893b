"""Question phrases linked to passages in another language (assistant/answer/bridge.py), and false friends.

The logic runs on hand-made vectors; the last tests use the real embedding model, because whether
"working days" lands on "ngày làm việc" is the model's behaviour the mechanism relies on.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.bridge import PhraseBridge, phrases
from assistant.answer.extractive import analyse
from assistant.answer.signals import false_friends, question_units, sentence_units, word_surfaces
from assistant.answer.text import terms
from assistant.retrieval.glossary import load_glossary, use_glossary
from assistant.sentence_vectors import EmbeddingSimilarity, unit_vectors
from assistant.settings import BridgeSettings, ScoringSettings
from assistant.types import Context


def ctx(text: str, language: str, source: str = "a.txt") -> Context:
    return Context(rank=1, score=1.0, source=source, title=source, text=text, language=language)


# -- phrases ----------------------------------------------------------------------------------------


def test_phrases_stay_inside_clauses_and_skip_function_words_and_digits() -> None:
    found = phrases("Send the daily figures, before 16:00 (every day).", max_words=2, min_single_chars=4)
    assert "daily figures" in found and "send" in found and "daily" in found
    assert "figures before" not in found  # a comma ends the clause
    assert not any(p.startswith("the") or p.endswith("the") for p in found)  # function word at an edge
    assert not any(ch.isdigit() for p in found for ch in p)
    assert "day" not in found  # one word of fewer than four letters


def test_phrases_skip_mail_and_web_addresses() -> None:
    found = phrases("Contact: diepvtn@example.vn or https://portal.example.vn/help for the daily report",
                    max_words=2, min_single_chars=4)
    assert not any(w in p for p in found for w in ("diepvtn", "example", "portal", "help"))
    assert "daily report" in found and "contact" in found


def test_phrases_keep_vietnamese_words_with_their_accents() -> None:
    found = phrases("Thời hạn 10 ngày làm việc.", max_words=2, min_single_chars=4)
    assert "ngày làm" in found and "làm việc" in found and "thời hạn" in found


# -- the bridge on hand-made vectors -------------------------------------------------------------------


def fake_embedder(table: dict[str, list[float]]):
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return unit_vectors([table.get(t, [0.0, 0.0, 0.0, 1.0]) for t in texts])

    return embed, calls


SETTINGS = BridgeSettings(min_similarity=0.9, min_margin=0.01, neighbours=2, max_words=1, min_single_chars=3)
TABLE = {"monthly": [1, 0, 0, 0], "report": [0, 1, 0, 0], "tháng": [0.99, 0.1, 0, 0], "biểu": [0.05, 0.99, 0, 0]}


def test_a_close_distinct_phrase_links_and_becomes_a_wording() -> None:
    embed, _ = fake_embedder(TABLE)
    bridge = PhraseBridge(embed, SETTINGS)
    links = bridge.links("monthly report?", ["biểu tháng"])
    assert [(a, b) for a, b, *_ in links] == [("monthly", "tháng"), ("report", "biểu")]
    assert bridge("monthly report?", [ctx("biểu tháng", "vi")], "en") == ["tháng; biểu"]


def test_a_phrase_below_the_similarity_floor_does_not_link() -> None:
    embed, _ = fake_embedder({**TABLE, "tháng": [0.6, 0.0, 0.8, 0]})
    links = PhraseBridge(embed, SETTINGS).links("monthly report", ["tháng biểu"])
    assert [(a, b) for a, b, *_ in links] == [("report", "biểu")]


def test_a_hub_close_to_every_question_phrase_is_discounted() -> None:
    # "example" is as close to "monthly" as "tháng" is, but it is also close to "report": CSLS prefers
    # the phrase that stands out for one question phrase only.
    table = {
        "monthly": [1, 0, 0, 0],
        "report": [0, 1, 0, 0],
        "tháng": [0.96, 0.0, 0.28, 0],
        "example": [0.7, 0.7, 0.14, 0],
    }
    embed, _ = fake_embedder(table)
    settings = SETTINGS.model_copy(update={"min_similarity": 0.5, "neighbours": 2})
    links = {a: b for a, b, *_ in PhraseBridge(embed, settings).links("monthly report", ["tháng example"])}
    assert links.get("monthly") == "tháng"


def test_no_wording_when_every_passage_is_in_the_question_language() -> None:
    embed, calls = fake_embedder({})
    assert PhraseBridge(embed, SETTINGS)("monthly", [ctx("monthly report", "en")], "en") == []
    assert calls == []  # nothing embedded


def test_phrase_vectors_are_cached() -> None:
    embed, calls = fake_embedder(TABLE)
    bridge = PhraseBridge(embed, SETTINGS)
    bridge.links("monthly report", ["tháng biểu"])
    bridge.links("monthly report", ["tháng biểu"])
    assert sum(len(c) for c in calls) == 4


# -- false friends ------------------------------------------------------------------------------------


def test_a_word_shared_only_through_accent_folding_is_a_false_friend() -> None:
    question = "By what time of day must communes send VNeID figures?"
    _, words = question_units(question)
    surfaces = word_surfaces(question, words)
    sentence = "Số liệu đầy đủ trên VNeID."
    units = sentence_units(sentence)
    day, vneid = (f"t:{next(iter(terms(w)))}" for w in ("day", "VNeID"))
    assert {day, vneid} <= units and {day, vneid} <= set(surfaces)
    false = false_friends(units, sentence, surfaces)
    assert day in false  # "đầy" folds like "day"
    assert vneid not in false  # written the same in both languages


def test_analyse_does_not_let_a_false_friend_anchor_a_foreign_sentence() -> None:
    question = "How long is the period?"
    contexts = [ctx("Thời gian chạy song song không quá lòng dài của kỳ này.", "vi")]
    scoring = ScoringSettings()
    # "long" folds like "lòng"; the sentence must not gain coverage from it.
    analysis = analyse(question, contexts, "en", scoring)
    assert analysis.candidates and analysis.candidates[0].coverage == 0.0


def test_a_false_friend_does_not_decide_which_sentence_can_answer(tmp_path) -> None:
    """"day" folds like "đai": a sentence holding "đất đai" is no focus of the question, so the sentence
    with the time of day is not turned down for lacking it."""
    question = "By what time of day must communes send their daily figures?"
    contexts = [ctx("Hồ sơ đất đai còn hiệu lực được số hóa trong năm 2026 tại kho dữ liệu của tỉnh. "
                    "Sở Tư pháp chủ trì rà soát các thủ tục hành chính về hộ tịch của tỉnh.", "vi"),
                ctx("Báo cáo số liệu được gửi trước 16 giờ hằng ngày qua hệ thống của tỉnh. "
                    "Mỗi xã bố trí ít nhất một công chức phụ trách chuyển đổi số của xã.", "vi")]
    use_glossary(load_glossary(tmp_path / "none.yaml"))  # a corpus without a glossary: no concept to focus on
    try:
        analysis = analyse(question, contexts, "en", ScoringSettings())
    finally:
        use_glossary(None)
    timed = next(c for c in analysis.candidates if "16 giờ" in c.text)
    assert timed.type_ok


# -- the real embedding model --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_bridge(embeddings) -> PhraseBridge:
    return PhraseBridge(lambda texts: unit_vectors(embeddings.embed_documents(texts)), BridgeSettings())


def test_real_model_links_english_phrases_to_their_vietnamese_wording(real_bridge) -> None:
    passage = ("Tổ công tác có trách nhiệm trình ban hành kế hoạch trong thời hạn 10 ngày làm việc. "
               "Báo cáo được gửi mỗi tháng một lần.")  # fmt: skip
    links = {a: b for a, b, *_ in real_bridge.links("How many working days? Is it sent monthly?", [passage])}
    assert links.get("working") == "làm việc" and links.get("days") == "ngày"
    assert links.get("monthly") == "mỗi tháng"


def test_real_model_bridge_lets_the_answering_row_outrank_its_neighbours(real_bridge, embeddings) -> None:
    question = "How many working days does the group have to issue the plan?"
    contexts = [
        ctx(
            "Điều 2. Tổ công tác trình ban hành kế hoạch trong thời hạn 10 ngày làm việc kể từ ngày quyết định "
            "có hiệu lực.",
            "vi",
            "qd.docx",
        ),
        ctx("Điều 3. Quyết định này có hiệu lực kể từ ngày ký và thay thế các văn bản trước đây.", "vi", "qd.docx"),
    ]
    similarity = EmbeddingSimilarity(embeddings)
    without = analyse(question, contexts, "en", ScoringSettings(), similarity)
    bridged = real_bridge(question, contexts, "en")
    assert bridged and "làm việc" in bridged[0]
    with_bridge = analyse(question, contexts, "en", ScoringSettings(), similarity, bridged=bridged)
    best = with_bridge.candidates[0]
    assert "10 ngày làm việc" in best.text
    assert best.score >= ScoringSettings().min_support
    assert best.score > without.candidates[0].score


# -- the bridge through the whole answer path ------------------------------------------------------------


def test_with_a_model_that_fails_the_quoted_fallback_keeps_the_bridged_wording() -> None:
    """The quotes an LLM answer falls back to are scored with the same wordings as the first scoring:
    a foreign sentence the bridge anchored is still quoted, not refused."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    from assistant.answer import Answerer
    from assistant.answer.constants import REFUSAL_MARKER
    from assistant.settings import AnswerSettings
    from assistant.types import Chunk, ChunkMeta, SearchHit

    passage = "Tổ công tác trình ban hành kế hoạch trong thời hạn 10 ngày làm việc kể từ ngày ký."
    meta = ChunkMeta(source="qd.docx", title="qd.docx", language="vi", chunk_index=0)
    hits = [SearchHit(chunk=Chunk(id="qd.docx#0", text=passage, meta=meta), score=1.0, rank=1)]

    def bridge(question: str, contexts: list[Context], language: str) -> list[str]:
        return ["tổ công tác; ban hành kế hoạch; ngày làm việc"]

    question = "Within how many working days must the group issue the plan?"
    settings = AnswerSettings(llm_min_support=0.0)
    quoted = Answerer(lambda q: hits, lambda c: c.text, None, settings, "none", bridge=bridge).ask(question)
    assert not quoted.refused and "10 ngày làm việc" in quoted.answer
    declining = GenericFakeChatModel(messages=iter([REFUSAL_MARKER] * 6))
    answer = Answerer(lambda q: hits, lambda c: c.text, declining, settings, "local", bridge=bridge).ask(question)
    assert not answer.refused and "10 ngày làm việc" in answer.answer
    assert answer.attempts[-1].step == "quotes" and answer.attempts[-1].accepted
