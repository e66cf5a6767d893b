"""Near-duplicate items: lexical similarity of stem and key, an optional embedder, and which item is kept."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from quiz_parsers import make_item

from assistant.quiz.dedupe import (
    drop_near_duplicates,
    find_near_duplicates,
    item_text,
    lexical_similarity,
    ngram_jaccard,
    token_jaccard,
)
from assistant.quiz.errors import QuizItemError

MC = make_item()  # "Giai đoạn cấp bách kéo dài đến ngày nào?" key 30/6/2025
REWORDED = make_item(stem="Giai đoạn cấp bách kéo dài tới ngày nào?")
STATEMENT = make_item("truefalse")  # "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025."
OTHER_PHASE = make_item(
    stem="Giai đoạn đột phá kéo dài đến ngày nào?",
    options=[
        {"text": "30/6/2025"},
        {"text": "31/12/2025", "correct": True},
        {"text": "31/3/2026"},
        {"text": "30/6/2026"},
    ],
)
UNRELATED = make_item("numerical")


def test_similarity_measures() -> None:
    assert token_jaccard("Giai đoạn 1", "giai  ĐOẠN 1!") == 1.0
    assert token_jaccard("a b", "c d") == 0.0
    assert ngram_jaccard("kế hoạch", "kế hoạch") == 1.0
    assert 0 < ngram_jaccard("kế hoạch số 02", "kế hoạch số 57") < 1
    assert lexical_similarity("b a", "a b") == 1.0  # reordered words
    assert item_text(MC) == "Giai đoạn cấp bách kéo dài đến ngày nào? 30/6/2025"


def test_same_question_reworded_and_as_a_statement_are_near_duplicates() -> None:
    pairs = find_near_duplicates([MC, REWORDED, STATEMENT, OTHER_PHASE, UNRELATED])
    found = {(pair.first, pair.second) for pair in pairs}
    assert (MC.id, REWORDED.id) in found
    assert (MC.id, STATEMENT.id) in found
    assert all(OTHER_PHASE.id not in pair for pair in found)
    assert all(UNRELATED.id not in pair for pair in found)
    assert all(pair.method == "lexical" and pair.score >= 0.8 for pair in pairs)


def test_the_threshold_is_a_parameter() -> None:
    assert find_near_duplicates([MC, OTHER_PHASE], threshold=0.5)
    assert not find_near_duplicates([MC, REWORDED], threshold=1.0)
    with pytest.raises(QuizItemError) as caught:
        find_near_duplicates([MC], threshold=0)
    assert caught.value.field == "threshold"


def test_an_embedding_function_adds_semantic_duplicates() -> None:
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> Sequence[Sequence[float]]:
        calls.append(texts)
        # MC and UNRELATED point the same way; OTHER_PHASE orthogonal.
        vectors = {MC.id: [1.0, 0.0], UNRELATED.id: [0.99, 0.05], OTHER_PHASE.id: [0.0, 1.0]}
        return [vectors[item.id] for item in (MC, UNRELATED, OTHER_PHASE)]

    pairs = find_near_duplicates([MC, UNRELATED, OTHER_PHASE], embed=embed)
    assert calls == [[item_text(MC), item_text(UNRELATED), item_text(OTHER_PHASE)]]
    assert [(p.first, p.second, p.method) for p in pairs] == [(MC.id, UNRELATED.id, "embedding")]
    assert not find_near_duplicates([MC, UNRELATED, OTHER_PHASE], embed=embed, embedding_threshold=0.9999)


def test_an_embedder_must_return_one_vector_per_text() -> None:
    with pytest.raises(QuizItemError) as caught:
        find_near_duplicates([MC, UNRELATED], embed=lambda texts: [[1.0]])
    assert caught.value.field == "embed"


def test_drop_keeps_the_first_of_each_group() -> None:
    kept, dropped = drop_near_duplicates([MC, UNRELATED, REWORDED, STATEMENT])
    assert [item.id for item in kept] == [MC.id, UNRELATED.id]
    assert [(item.id, pair.first) for item, pair in dropped] == [(REWORDED.id, MC.id), (STATEMENT.id, MC.id)]
