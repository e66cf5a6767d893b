"""Fast unit tests of the retrieval building blocks (no embedding model needed)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.language import is_vietnamese
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.fusion import FusionWeights, fuse, lexical_raw, max_scale, minmax, mmr
from assistant.retrieval.glossary import equivalents, expand, matched_concepts
from assistant.retrieval.keys import extract_keys, key_overlap
from assistant.retrieval.lexical import build_snapshot
from assistant.retrieval.text_norm import bigrams, fold, lexical_terms, phonetic, tokenize
from assistant.types import Chunk, ChunkMeta

# These tests use passages in the sample corpus's languages: its glossary (corpus/glossary.yaml) is in force.
pytestmark = pytest.mark.usefixtures("sample_glossary")


def test_fold_strips_vietnamese_accents_and_d_stroke() -> None:
    assert fold("Bắc Giang") == "bac giang"
    assert fold("Đà Nẵng") == "da nang"


def test_fold_transliterates_cyrillic_including_short_i() -> None:
    assert fold("Нгуєн Зуй Нгок") == "nguien zui ngok"
    assert fold("Київ") == "kiiv"


def test_tokenize_keeps_numbers_and_drops_one_letter_words() -> None:
    assert tokenize("Plan 02 a 1.000 hồ sơ") == ["plan", "02", "1.000", "ho", "so"]


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("Trần Cẩm Tú", "Чан Кам Ту"), ("Tran Cam Tu", "Тран Кам Ту"), ("Nguyễn Duy Ngọc", "Нгуєн Зуй Нгок"),
     ("Nguyen Chi Dung", "Нгуєн Чі Зунг"), ("Pham Gia Tuc", "Фам Зіа Тук"), ("Phạm Ánh Tuấn", "Фам Ань Туан")],
)
def test_phonetic_key_joins_latin_and_cyrillic_names(latin: str, cyrillic: str) -> None:
    assert [phonetic(t) for t in tokenize(latin)] == [phonetic(t) for t in tokenize(cyrillic)]


def test_lexical_terms_drop_stop_words_and_cut_prefixes() -> None:
    assert lexical_terms("the Dringlichkeitsphase of 2025", prefix=6) == ["zringl", "2025"]
    assert bigrams(["bak", "ziang", "x"]) == ["bak_ziang", "ziang_x"]


def test_stop_words_are_matched_as_written_so_accented_words_keep_their_meaning() -> None:
    """Folded, English "to" and Spanish "de" would swallow Vietnamese "tổ" (a group) and "đề" (a project)."""
    assert lexical_terms("tổ trưởng của tổ công tác", use_phonetic=False) == ["to", "truong", "to", "cong", "tac"]
    assert lexical_terms("Cơ quan nào báo cáo đề án?", use_phonetic=False) == ["co", "quan", "bao", "cao", "de", "an"]
    assert lexical_terms("the report of the group to de", use_phonetic=False) == ["report", "group"]
    # Written without accents (or folded already), a word is matched folded: "cua" is "của".
    assert lexical_terms("ke hoach cua tinh", use_phonetic=False) == ["ke", "hoach", "tinh"]
    assert lexical_terms("Скільки етапів і коли? Какие этапы и когда?", use_phonetic=False) == ["etapiv", "etapy"]


def test_is_vietnamese() -> None:
    assert is_vietnamese("Giai đoạn cấp bách kéo dài đến ngày nào?")
    assert not is_vietnamese("When does the urgent phase end?")
    assert not is_vietnamese("Когда заканчивается срочный этап?")


@pytest.mark.parametrize(
    "text",
    ["30 червня 2025", "30. Juni 2025", "30/6/2025", "ngày 30 tháng 6", "30 de junho de 2025", "June 30",
     "30 июня", "30 de junio"],
)
def test_extract_keys_dates_in_several_languages(text: str) -> None:
    assert "date:06-30" in extract_keys(text)


def test_extract_keys_codes_numbers_and_years() -> None:
    keys = extract_keys("Plan 02-KH/BCĐTW, dispatch 15662-CV/VPTW: 100 % of 982 services in 2025")
    assert {"code:2-kh/bcdtw", "code:15662-cv/vptw", "num:100%", "num:982", "year:2025"} <= keys


def test_key_overlap_is_weighted_share() -> None:
    score, matched = key_overlap({"code:2-kh/bcdtw", "num:982"}, {"num:982", "num:25"})
    assert matched == {"num:982"}
    assert score == pytest.approx(0.6 / 1.6)
    assert key_overlap(set(), {"num:1"}) == (0.0, set())


def test_glossary_expands_vietnamese_terms_to_corpus_wording() -> None:
    forms = expand("Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày nào?")
    assert {"Dringlichkeitsphase".lower(), "fase urgente", "терміновий етап"} <= {f.lower() for f in forms}
    assert "guidebook" in matched_concepts("Sổ tay hướng dẫn gồm bao nhiêu chương?")
    assert "руководство" in expand("How is the guidebook organised?")
    assert "comunas e bairros" in expand("bao nhiêu xã, phường sau sắp xếp?")
    assert "peoples_committee" in matched_concepts("Chủ tịch UBND tỉnh")


def test_long_glossary_forms_match_inside_german_compounds_and_short_ones_do_not() -> None:
    assert "database" in matched_concepts("Wie viele nationale und Fachdatenbanken sollen aufgebaut werden?")
    assert "working_group" in matched_concepts("Die Projektarbeitsgruppe berichtet täglich.")
    assert "plan" not in matched_concepts("An explanation of the rules."), "a short form needs a word start"


@pytest.mark.parametrize(
    ("query", "concept", "corpus_words"),
    [
        ("Sổ tay gồm bao nhiêu chương?", "chapter", "Руководство разделено на 4 части, 10 глав"),
        ("How many chapters?", "chapter", "В следующих главах описываются"),
        ("Ai chủ trì hội nghị?", "chair_meeting", "Конференцію вели товариші"),
        ("Who chaired the conference?", "chair_meeting", "presidiu a reunião; dirigiram a Conferência"),
        ("bổ sung cơ chế hỗ trợ", "mechanism", "um mecanismo de apoio; Розробити механізм"),
        ("chạy thử phần mềm", "software", "testar o software"),
        ("danh sách thủ tục cần ưu tiên", "priority", "список важных административных процедур, требующих приоритета"),
        ("danh sách thủ tục cần ưu tiên", "list", "список важных административных процедур"),
        ("hệ thống quản lý văn bản số", "document_system", "O sistema de gestão documental digital"),
        ("nhà cung cấp giải pháp", "provider", "поставщиков решений"),
        ("tổ chức theo hình thức nào?", "format", "organizada em formatos que combinavam"),
    ],
)
def test_glossary_concepts_reach_the_corpus_wording(query: str, concept: str, corpus_words: str) -> None:
    assert concept in matched_concepts(query)
    # The expansion must produce lexical terms that the corpus sentence actually contains.
    expanded = {t for form in expand(query) for t in lexical_terms(form, prefix=6)}
    assert expanded & set(lexical_terms(corpus_words, prefix=6))


def test_glossary_finds_nothing_in_unrelated_text() -> None:
    assert expand("weather forecast for tomorrow") == []


def test_equivalents_pair_the_question_wording_with_the_passage_wording() -> None:
    passage = "В Руководстве представлены образцы решений о создании рабочих групп на уровне провинций, Бак Зянг."
    pairs = equivalents("Sổ tay có mẫu quyết định thành lập tổ công tác cấp tỉnh ở Bắc Giang không?", passage)
    assert ("tổ công tác", "рабочих групп") in pairs and ("tỉnh", "провинций") in pairs, "words as the passage writes them"
    assert equivalents("Ban Chỉ đạo họp khi nào?", "Ban Chỉ đạo họp ngày 19/6.") == [], "same wording: nothing to pair"
    assert equivalents("weather forecast", passage) == []


def test_minmax_and_max_scale() -> None:
    np.testing.assert_allclose(minmax(np.array([0.8, 0.9, 1.0])), [0.0, 0.5, 1.0], atol=1e-6)
    np.testing.assert_allclose(minmax(np.array([0.5, 0.5])), [0.0, 0.0])
    np.testing.assert_allclose(max_scale(np.array([0.0, 2.0, 4.0])), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(max_scale(np.zeros(3)), np.zeros(3))


def test_fuse_arithmetic_on_hand_made_scores() -> None:
    w = FusionWeights(dense=1.0, lexical=0.5, keys=0.25, glossary=0.5, bigram=1.0, vi_unigram=0.0)
    dense = np.array([0.80, 0.85, 0.90])
    lexical = lexical_raw(np.array([4.0, 0.0, 0.0]), np.array([0.0, 2.0, 0.0]), np.array([0.0, 0.0, 4.0]),
                          vietnamese=False, weights=w)
    np.testing.assert_allclose(lexical, [4.0, 2.0, 2.0])
    fused = fuse(dense, lexical, np.array([0.0, 1.0, 0.0]), w)
    # dense -> [0, .5, 1]; lexical -> [1, .5, .5] * 0.5; keys -> [0, 1, 0] * 0.25
    np.testing.assert_allclose(fused, [0.5, 1.0, 1.25], atol=1e-6)
    vi = lexical_raw(np.array([4.0, 0, 0]), np.zeros(3), np.zeros(3), vietnamese=True, weights=w)
    np.testing.assert_allclose(vi, np.zeros(3))


def test_mmr_disabled_is_sort_and_enabled_skips_duplicates() -> None:
    scores = np.array([0.9, 1.0, 0.95, 0.1])
    assert mmr(scores, None, 3, 0.5) == [1, 2, 0]
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    assert mmr(scores, vectors, 2, 1.0) == [1, 2]
    assert mmr(np.array([1.0, 0.99, 0.9]), np.array([[1.0, 0], [1.0, 0], [0, 1.0]]), 2, 0.5) == [0, 2]


def test_filters_to_where() -> None:
    assert SearchFilters().to_where() is None
    assert SearchFilters(languages=["de"]).to_where() == {"language": {"$in": ["de"]}}
    assert SearchFilters(sources=["a.txt"], doc_types=["article"]).to_where() == {
        "$and": [{"source": {"$in": ["a.txt"]}}, {"doc_type": {"$in": ["article"]}}]
    }


def _chunk(i: str, text: str, language: str = "de") -> Chunk:
    return Chunk(id=i, text=text, meta=ChunkMeta(source=f"{i}.txt", title=i, language=language))


def test_filters_match_python_side() -> None:
    meta = _chunk("a", "x", "pt").meta
    assert SearchFilters(languages=["pt"]).matches(meta)
    assert not SearchFilters(languages=["de"]).matches(meta)
    assert not SearchFilters(sources=["b.txt"]).matches(meta)


def test_snapshot_bm25_finds_transliterated_name_and_glossary_term() -> None:
    snap = build_snapshot(
        [_chunk("a", "Die Dringlichkeitsphase endet am 30. Juni."), _chunk("b", "Чан Кам Ту виступив.", "uk"),
         _chunk("c", "Outro texto sem relação.", "pt")],
        None, "sig",
    )
    name = snap.bm25_scores(lexical_terms("Trần Cẩm Tú", prefix=6))
    assert int(np.argmax(name)) == 1
    phase = snap.bm25_scores(lexical_terms(" ".join(expand("giai đoạn cấp bách")), prefix=6))
    assert int(np.argmax(phase)) == 0
    assert snap.bm25_scores([]).tolist() == [0.0, 0.0, 0.0]
    assert "date:06-30" in snap.keys[0]
