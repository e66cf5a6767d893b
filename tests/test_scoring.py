"""Sentence scoring and refusal on documents no one tuned for: no glossary, ordinary words, rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.answer.answer_types import expected_types, supplies
from assistant.answer.extractive import analyse, extractive_answer
from assistant.errors import ConfigError
from assistant.retrieval.glossary import active_glossary, load_glossary, matched_concepts, use_glossary
from assistant.retrieval.keys import extract_keys
from assistant.settings import ScoringSettings
from assistant.types import Context


def _ctx(
    text: str, language: str = "vi", rank: int = 1, source: str = "so-tay.pdf", title: str = "Sổ tay hướng dẫn",
    section: str | None = None, row: int | None = None,
) -> Context:
    return Context(rank=rank, source=source, title=title, text=text, score=1.0, language=language, section=section,
                   row=row)


GOAL = (
    "Mục tiêu của đề án là đến năm 2026 có 100% thủ tục hành chính đủ điều kiện được cung cấp "
    "dịch vụ công trực tuyến toàn trình."
)


def _list(columns: tuple[str, ...], rows: list[tuple[str, ...]], source: str, title: str, header_row: int) -> list[Context]:
    """A list's rows as the indexer gives them ("Column: value; …"), ranked in order."""
    return [_ctx("; ".join(f"{c}: {v}" for c, v in zip(columns, values)), rank=n, source=source, title=title,
                 row=header_row + n) for n, values in enumerate(rows, start=1)]  # fmt: skip


ROWS = _list(("Tên thủ tục", "Cơ quan chủ trì", "Thời hạn hoàn thành"), [
    ("Đăng ký kết hôn", "Sở Tư pháp", "2025-09-30"),
    ("Cấp giấy phép xây dựng", "Sở Xây dựng", "2025-10-31"),
    ("Đăng ký khai tử", "Sở Tư pháp", "2025-09-30"),
    ("Cấp phiếu lý lịch tư pháp", "Sở Tư pháp", "2025-11-15"),
], "ds.xlsx", "Danh mục thủ tục", 3)  # fmt: skip


def test_no_glossary_is_in_force_for_a_corpus_without_one() -> None:
    assert len(active_glossary()) == 0
    assert matched_concepts("Giai đoạn cấp bách của Kế hoạch 02") == []


def test_a_question_in_ordinary_words_is_answered_without_any_glossary() -> None:
    answer = extractive_answer("Mục tiêu của đề án là gì?", [_ctx(GOAL)], "vi")
    assert answer is not None and "100%" in answer


def test_an_agency_name_is_not_read_as_a_missing_person() -> None:
    text = "Sở Thông tin và Truyền thông chủ trì xây dựng nền tảng chia sẻ dữ liệu của tỉnh trước ngày 30/9/2025."
    analysis = analyse("Sở Thông tin và Truyền thông chủ trì việc gì?", [_ctx(text)], "vi")
    assert analysis.refusal is None and analysis.candidates


def test_a_row_answers_who_and_when_about_its_own_procedure() -> None:
    question = "Thủ tục đăng ký kết hôn do cơ quan nào chủ trì, thời hạn hoàn thành là khi nào?"
    answer = extractive_answer(question, ROWS, "vi")
    assert answer is not None and "Sở Tư pháp" in answer and "Sở Xây dựng" not in answer


def test_a_procedure_missing_from_the_list_is_refused_though_near_rows_exist() -> None:
    question = "Thủ tục đổi giấy phép lái xe do cơ quan nào chủ trì?"
    assert extractive_answer(question, ROWS, "vi") is None
    # "đổi giấy phép lái xe" shares only its middle with "Cấp giấy phép xây dựng"; the other rows share
    # nothing but their column names.
    assert all(c.set_aside and not c.type_ok for c in analyse(question, ROWS, "vi").candidates)


def test_a_time_of_day_answers_when() -> None:
    wanted = expected_types("In the daily report form, when is the weekly indicator due?")
    assert [t.name for t in wanted] == ["date"]
    for row in ("Thời hạn gửi: trước 10 giờ thứ Hai hằng tuần", "gửi trước 16h hằng ngày", "due by 4 p.m.",
                "bis 16:00 Uhr", "до 16 часов"):
        assert supplies(wanted[0], row, set()), row
    for row in ("Điều 16 quy định việc báo cáo", "Đơn vị tính: lượt", "trong 3 ha đất"):
        assert not supplies(wanted[0], row, set()), row
    assert [t.name for t in expected_types("Báo cáo phải gửi trước mấy giờ?")] == ["date"]


def test_a_numbered_article_the_passages_lack_is_refused_in_their_own_language() -> None:
    text = "Điều 4. Chánh Văn phòng UBND tỉnh và các thành viên Tổ công tác chịu trách nhiệm thi hành."
    article = _ctx(text, title="Mẫu quyết định thành lập Tổ công tác", section="QUYẾT ĐỊNH > Điều 4.")
    assert analyse("Điều 5 của quyết định quy định gì?", [article], "vi").refusal is not None
    assert analyse("Điều 4 của quyết định quy định gì?", [article], "vi").refusal is None


def test_a_month_asked_is_looked_for_and_a_month_answers_when() -> None:
    text = "Trong tháng 10/2027, Sở Du lịch tổ chức 9 lớp tập huấn cho 640 hướng dẫn viên."
    classes = _ctx(text)
    assert analyse("Trong tháng 10/2027 Sở Du lịch tổ chức bao nhiêu lớp?", [classes], "vi").refusal is None
    refusal = analyse("Trong tháng 11/2027 Sở Du lịch tổ chức bao nhiêu lớp?", [classes], "vi").refusal
    assert refusal is not None and "month:11" in refusal
    # "Khi nào?" is answered by a month as by a date; a sentence with neither cannot answer it.
    when = expected_types("Sở Du lịch tổ chức tập huấn khi nào?")[0]
    assert supplies(when, text, extract_keys(text)) and not supplies(when, "Sở Du lịch tổ chức tập huấn.", set())


TASKS = _list(("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"), [
    ("1", "Xây dựng kho dữ liệu lễ hội", "Sở Du lịch", "Quý III/2027"),
    ("2", "Số hóa hồ sơ lưu trữ", "Ban Điều phối", "Quý II/2027"),
    ("3", "Vận hành cổng dữ liệu mở", "Sở Giao thông", "30/6/2028"),
], "nv.csv", "Kế hoạch nhiệm vụ", 1)  # fmt: skip


def test_a_quarter_answers_when_is_looked_for_and_another_quarter_is_no_answer() -> None:
    # A row due in a quarter answers "khi nào?", as a date or a month does.
    answer = extractive_answer("Khi nào phải xây dựng xong kho dữ liệu lễ hội?", TASKS, "vi")
    assert answer is not None and "Quý III/2027" in answer
    # "Trong quý 2 năm 2027" asks for that quarter: the row due in it, not the one due in another quarter
    # (its "2" is no count, its "quý" no word every quarter's row holds).
    answer = extractive_answer("Nhiệm vụ nào phải hoàn thành trong quý 2 năm 2027?", TASKS, "vi")
    assert answer is not None and "Số hóa hồ sơ" in answer and "lễ hội" not in answer
    # A date gives its quarter: 30/6/2028 is in the second quarter of 2028.
    answer = extractive_answer("Nhiệm vụ nào phải hoàn thành trong quý II/2028?", TASKS, "vi")
    assert answer is not None and "cổng dữ liệu mở" in answer and "Số hóa" not in answer
    # A quarter no passage names, in that year, is refused though the quarter exists in another year.
    refusal = analyse("Nhiệm vụ nào phải hoàn thành trong quý III/2028?", TASKS, "vi").refusal
    assert refusal is not None and "quarter:2028-3" in refusal


def test_a_cue_followed_by_its_value_names_it_and_does_not_ask_for_it() -> None:
    assert not expected_types("Cơ quan nào chủ trì nhiệm vụ có thời hạn quý I/2028?")
    assert [t.name for t in expected_types("Nhiệm vụ có thời hạn là 30/6/2028 do ai chủ trì?")] == ["person"]
    assert [t.name for t in expected_types("Thời hạn số hóa hồ sơ lưu trữ là khi nào?")] == ["date"]
    assert [t.name for t in expected_types("Thời hạn của nhiệm vụ số hóa?")] == ["date"]
    answer = extractive_answer("Cơ quan nào chủ trì nhiệm vụ có thời hạn quý III/2027?", TASKS, "vi")
    assert answer is not None and "Sở Du lịch" in answer


def test_an_items_code_is_answered_by_a_code_and_a_heading_without_one_does_not_answer() -> None:
    codes = [t.name for q in ("Mã thủ tục đăng ký kết hôn là gì?", "Mã số của thủ tục đăng ký khai tử là gì?",
                              "What is the code of the marriage registration procedure?") for t in expected_types(q)]
    assert codes == ["item_code"] * 3
    # A question that gives the code asks what it names; malware ("mã độc") is no code.
    assert not expected_types("Mã 2.004423 là thủ tục gì?")
    assert not expected_types("Mã thủ tục 1.004873 là thủ tục gì?")
    assert [t.name for t in expected_types("Mã số thử nghiệm XJ-4471 được cấp cho xã nào?")] != ["item_code"]
    assert "item_code" not in [t.name for t in expected_types("Máy tính bị nhiễm mã độc thì báo ai?")]
    heading = _ctx("– Phụ lục III. Danh mục thủ tục hành chính ưu tiên (tệp danh-muc-tthc.xlsx);")
    rows = _list(("Mã TTHC", "Tên thủ tục hành chính", "Cơ quan chủ trì"), [
        ("1.001193", "Đăng ký khai sinh", "Sở Tư pháp"), ("1.003583", "Cấp giấy xác nhận tình trạng hôn nhân", "Sở Tư pháp"),
    ], "ds.xlsx", "Danh mục thủ tục ưu tiên", 3)  # fmt: skip
    answer = extractive_answer("Mã thủ tục cấp giấy xác nhận tình trạng hôn nhân là gì?", [heading, *rows], "vi")
    assert answer is not None and "1.003583" in answer
    # No row of the list holds the procedure asked: the heading that names the list gives no code.
    assert extractive_answer("Mã thủ tục đăng ký kết hôn trong danh mục thủ tục ưu tiên là gì?", [heading], "vi") is None


def test_a_label_the_passages_never_number_is_the_askers_own_wording() -> None:
    row = _ctx("Tên thủ tục: Chuyển trường đối với học sinh trung học cơ sở; Cơ quan chủ trì: Sở Giáo dục; "
               "Thời hạn: 2026-01-15; Số bước: 2", row=5)  # fmt: skip
    assert analyse("Chuyển trường cho học sinh cấp 2 do sở nào chủ trì?", [row], "vi").refusal is None
    numbered = _ctx("Học sinh cấp 1 được miễn học phí; chuyển trường đối với học sinh do Sở Giáo dục chủ trì "
                    "trong 2 ngày.")  # fmt: skip
    refusal = analyse("Chuyển trường cho học sinh cấp 2 do sở nào chủ trì?", [numbered], "vi").refusal
    assert refusal is not None and "cap 2" in refusal
    # The number itself is still looked for: "4 năm" is a quantity, read the same way as a label.
    assert analyse("Hợp đồng 4 năm do sở nào ký?", [row], "vi").refusal is not None


def test_a_part_marked_by_a_letter_or_roman_numeral_the_passages_lack_is_refused() -> None:
    rating = _ctx("Đơn vị xếp Nhóm A ba tháng liên tiếp được tặng Giấy khen của Ban Điều phối.")
    refusal = analyse("Đơn vị xếp Nhóm C ba tháng liên tiếp được khen thưởng thế nào?", [rating], "vi").refusal
    assert refusal is not None and "nhom C" in refusal
    assert analyse("Đơn vị xếp Nhóm A ba tháng liên tiếp được khen thưởng thế nào?", [rating], "vi").refusal is None
    permits = _ctx("Tên thủ tục: Cấp phép sửa chữa công trình cấp III, cấp IV; Cơ quan chủ trì: Sở Du lịch", row=4)
    assert analyse("Cấp phép sửa chữa công trình cấp II do sở nào chủ trì?", [permits], "vi").refusal is not None
    assert analyse("Cấp phép sửa chữa công trình cấp IV do sở nào chủ trì?", [permits], "vi").refusal is None
    # A mark the passages never use with that word is the asker's own wording, as for numbers.
    assert analyse("Đơn vị loại B ba tháng liên tiếp được tặng gì?", [rating], "vi").refusal is None


def test_a_sentence_naming_only_another_part_of_the_kind_asked_does_not_answer() -> None:
    """The passages number the part asked ("Nhóm B" is a group of the grading) but the sentence that matches the
    question's words names another one ("Nhóm A"): that sentence says nothing about the part asked."""
    grading = _ctx("Nhóm A: từ 85 điểm trở lên; Nhóm B: từ 70 đến dưới 85 điểm; Nhóm C: dưới 70 điểm.")
    reward = _ctx("Đơn vị xếp Nhóm A ba tháng liên tiếp được tặng Giấy khen của Ban Điều phối.", rank=2)
    analysis = analyse("Đơn vị xếp Nhóm B ba tháng liên tiếp được khen thưởng thế nào?", [grading, reward], "vi")
    assert [c.set_aside for c in analysis.candidates if "Giấy khen" in c.text] == ["names nhom A, not B"]
    answer = extractive_answer("Đơn vị xếp Nhóm B ba tháng liên tiếp được khen thưởng thế nào?", [grading, reward], "vi")
    assert answer is None or "Giấy khen" not in answer
    answer = extractive_answer("Đơn vị xếp Nhóm A ba tháng liên tiếp được khen thưởng thế nào?", [grading, reward], "vi")
    assert answer is not None and "Giấy khen" in answer
    # "II" and "2" are one label; a sentence naming no part of that kind may answer in its own words.
    phases = [_ctx("Giai đoạn 1 – Chuẩn bị kết thúc ngày 31/8/2027."),
              _ctx("Giai đoạn 2 – Triển khai diện rộng kết thúc ngày 30/4/2028.", rank=2),
              _ctx("Hội nghị tổng kết giai đoạn triển khai được tổ chức ngày 15/5/2028.", rank=3)]
    wrong = {c.text[:13]: c.set_aside for c in analyse("Giai đoạn II kết thúc khi nào?", phases, "vi").candidates}
    assert wrong == {"Giai đoạn 1 –": "names doan 1, not 2", "Giai đoạn 2 –": None, "Hội nghị tổng": None}
    answer = extractive_answer("Giai đoạn II kết thúc khi nào?", phases, "vi")
    assert answer is not None and "30/4/2028" in answer and "31/8/2027" not in answer


def test_a_figure_dated_by_another_year_than_the_one_asked_does_not_answer() -> None:
    """A target set for 30/9/2027 (its lead-in dates it) is no answer to the figure asked for 2028; a sentence
    naming the year asked, or no year, may answer; a question asking no figure is not read so."""
    goals = [_ctx("Đến ngày 30/9/2027, phấn đấu đạt các chỉ tiêu sau:\n- trên 70% hồ sơ lữ hành được giải quyết "
                  "có tái sử dụng dữ liệu đã số hóa."),
             _ctx("Các chỉ tiêu năm 2028 sẽ được Ban Chỉ đạo xem xét khi sơ kết giai đoạn 2.", rank=2)]  # fmt: skip
    question = "Chỉ tiêu năm 2028 về tỷ lệ hồ sơ lữ hành được giải quyết có tái sử dụng dữ liệu là bao nhiêu?"
    analysis = analyse(question, goals, "vi")
    item = next(c for c in analysis.candidates if "70%" in c.text)
    assert item.set_aside == "dated 2027, not 2028" and not item.type_ok
    assert extractive_answer(question, goals, "vi") is None or "70%" not in extractive_answer(question, goals, "vi")
    asked_2027 = question.replace("2028", "2027")
    assert not next(c for c in analyse(asked_2027, goals, "vi").candidates if "70%" in c.text).set_aside
    budget = [_ctx("Kinh phí năm 2027 dự kiến 320 triệu đồng, năm 2028 dự kiến 450 triệu đồng.")]
    assert not [c for c in analyse("Kinh phí năm 2028 dự kiến bao nhiêu?", budget, "vi").candidates if c.set_aside]


def test_absent_words_say_nothing_across_languages() -> None:
    german = _ctx("Die Dringlichkeitsphase dauert bis zum 30. Juni 2025.", language="de")
    analysis = analyse("Giai đoạn cấp bách kéo dài đến ngày nào?", [german], "vi")
    assert analysis.refusal is None


def test_embedding_similarity_ranks_across_languages_and_a_shared_key_anchors_it() -> None:
    """With few shared words the similarity signal ranks the sentence that answers first; across
    languages a score also needs some shared figure, name or word, else it stays below the cut."""
    scored = {"Đăng ký kết hôn": 0.93}

    def similarity(question: str, items: list[tuple[str, str]]) -> np.ndarray:
        return np.array([next((v for k, v in scored.items() if k in text), 0.80) for _, text in items],
                        dtype=np.float32)

    scoring = ScoringSettings()
    anchored = analyse("Which department leads the procedure due on 2025-09-30 for marriage?", ROWS, "en", scoring,
                       similarity)
    assert anchored.candidates[0].text.startswith("Tên thủ tục: Đăng ký kết hôn")
    assert anchored.best_score is not None and anchored.best_score >= scoring.min_support
    unanchored = analyse("Which department leads the marriage procedure?", ROWS, "en", scoring, similarity)
    assert unanchored.candidates[0].text.startswith("Tên thủ tục: Đăng ký kết hôn")
    assert (unanchored.best_score or 0.0) < scoring.min_support
    off_topic = analyse("What is the capital of France?", ROWS, "en", scoring, lambda q, items: np.full(len(items), 0.8))
    assert (off_topic.best_score or 0.0) < scoring.min_support


def test_vietnamese_document_numbers_and_iso_dates_are_keys() -> None:
    assert "code:1487/qd-ubnd" in extract_keys("Quyết định số 1487/QĐ-UBND ngày 21/4/2025")
    assert "code:15/2025/nd-cp" in extract_keys("Nghị định 15/2025/NĐ-CP")
    assert "date:09-30" in extract_keys("Thời hạn hoàn thành: 2025-09-30")
    assert "code:2-kh/bcdtw" in extract_keys("Kế hoạch số 02-KH/BCĐTW")


def test_a_who_question_is_answered_by_an_agency_or_a_named_person() -> None:
    wanted = expected_types("Ai chịu trách nhiệm chính?")
    assert [t.name for t in wanted] == ["person"]
    assert supplies(wanted[0], "Cơ quan chủ trì: Sở Tư pháp", set())
    assert supplies(wanted[0], "do bà Đặng Thị Kim Oanh làm Tổ trưởng", set())
    assert not supplies(wanted[0], "các đơn vị báo cáo hằng ngày", set())


def test_glossary_file_is_data_validated_with_the_file_named(tmp_path: Path) -> None:
    good = tmp_path / "glossary.yaml"
    good.write_text("working_group: [tổ công tác, working group, робоча група]\n", encoding="utf-8")
    glossary = load_glossary(good)
    use_glossary(glossary)
    assert matched_concepts("Ai đứng đầu tổ công tác?") == ["working_group"]
    assert len(load_glossary(tmp_path / "absent.yaml")) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("working_group: tổ công tác\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml.*working_group"):
        load_glossary(bad)


def test_the_glossary_file_is_not_indexed_as_a_document(tmp_path: Path) -> None:
    from assistant.sync import scan_corpus

    (tmp_path / "glossary.yaml").write_text("a: [b]\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text("x" * 40, encoding="utf-8")
    assert list(scan_corpus(tmp_path, "manifest.yaml", "glossary.yaml")) == ["note.txt"]


def test_a_translated_wording_lets_an_english_question_meet_a_vietnamese_row() -> None:
    question = "Which department leads the marriage registration procedure?"
    scoring = ScoringSettings()
    alone = analyse(question, ROWS, "en", scoring)
    assert (alone.best_score or 0.0) < scoring.min_support  # no shared word: refused
    helped = analyse(question, ROWS, "en", scoring, wordings=["Cơ quan nào chủ trì thủ tục đăng ký kết hôn?"])
    assert helped.candidates[0].text.startswith("Tên thủ tục: Đăng ký kết hôn")
    assert helped.best_score is not None and helped.best_score >= scoring.min_support


def test_the_answerer_scores_with_the_translations_it_searched_with() -> None:
    from assistant.answer import Answerer
    from assistant.settings import AnswerSettings
    from assistant.types import Chunk, ChunkMeta, SearchHit

    hits = [
        SearchHit(chunk=Chunk(id=f"r{c.row}", text=c.text, meta=ChunkMeta(
            source="ds.xlsx", title="Danh mục thủ tục", language="vi", sheet="Thủ tục", row=c.row, chunk_index=c.rank)),
            score=1.0, rank=c.rank)
        for c in ROWS
    ]  # fmt: skip
    asked: list[str] = []

    def translate(question: str) -> list[str]:
        asked.append(question)
        return ["Cơ quan nào chủ trì thủ tục đăng ký kết hôn?"]

    question = "Which department leads the marriage registration procedure?"
    plain = Answerer(lambda q: hits, lambda c: c.text, None, AnswerSettings(), "none").ask(question)
    assert plain.refused
    answer = Answerer(lambda q: hits, lambda c: c.text, None, AnswerSettings(), "none", translate=translate).ask(question)
    assert asked == [question] and not answer.refused
    assert "Sở Tư pháp" in answer.answer and answer.citations[0].row == ROWS[0].row


def test_a_passage_that_never_names_the_asked_body_cannot_answer() -> None:
    from assistant.settings_tools import FactSettings

    rows = [
        _ctx("STT: 4; Nhiệm vụ: Số hóa hồ sơ lưu trữ; Cơ quan chủ trì: Sở Du lịch; Thời hạn: 2025-11-30", row=6),
        _ctx("Các nhiệm vụ cụ thể, cơ quan chủ trì và thời hạn hoàn thành như sau:", section="III. Nhiệm vụ"),
    ]
    question = "Ban Điều phối được giao chủ trì nhiệm vụ nào?"
    analysis = analyse(question, rows, "vi", facts=FactSettings())
    assert all(c.set_aside and not c.type_ok for c in analysis.candidates)
    assert [c.set_aside for c in analysis.candidates if c.index == 1] == ["names no Ban Điều phối"]
    assert not [c for c in analyse(question, rows, "vi").candidates if c.index == 1 and c.set_aside], (
        "without the facts settings: off"
    )
    asked = analyse("Sở Du lịch được giao chủ trì nhiệm vụ nào?", rows, "vi", facts=FactSettings())
    assert not asked.candidates[0].set_aside and asked.candidates[0].index == 0
    # A body named in lower case is a kind of body ("các sở"), worded many ways: not a name to look for.
    assert not any(c.set_aside for c in analyse("Các sở được giao chủ trì nhiệm vụ nào?", rows, "vi",
                                                facts=FactSettings()).candidates)


def test_a_list_item_says_what_it_says_under_its_lead_in() -> None:
    text = ("1. Đến ngày 31/12/2027:\n\na) 100% điểm du lịch cộng đồng có bản đồ số;\n\n"
            "b) Tỷ lệ homestay đăng ký lưu trú trực tuyến đạt tối thiểu 60%;\n\n"
            "2. Đến hết quý II/2028:\n\na) Tỷ lệ homestay đăng ký lưu trú trực tuyến đạt tối thiểu 80%.")  # fmt: skip
    plan = _ctx(text, source="ke-hoach.docx", title="Kế hoạch du lịch cộng đồng", section="II. CHỈ TIÊU")
    answer = extractive_answer("Đến ngày 31/12/2027, tỷ lệ homestay đăng ký lưu trú trực tuyến phải đạt bao nhiêu?",
                               [plan], "vi")  # fmt: skip
    assert answer is not None
    lines = answer.splitlines()[1:]
    assert lines[:2] == ["- 1. Đến ngày 31/12/2027: [1]", "- b) Tỷ lệ homestay đăng ký lưu trú trực tuyến đạt tối thiểu 60%; [1]"]
    best = analyse("Đến khi nào 100% điểm du lịch cộng đồng phải có bản đồ số?", [plan], "vi").candidates[0]
    assert (best.text, best.lead) == ("a) 100% điểm du lịch cộng đồng có bản đồ số;", "1. Đến ngày 31/12/2027:")
    # The sibling "2." closes the first lead-in: its item hangs on its own.
    last = next(c for c in analyse("Tỷ lệ homestay đến hết quý II/2028?", [plan], "vi").candidates if "80%" in c.text)
    assert last.lead == "2. Đến hết quý II/2028:"
