"""The facts layer's rules, one language and one document shape at a time, without a model."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from assistant.facts.abbreviations import defined_names
from assistant.facts.actors import find_actors, role_holders
from assistant.facts.extract import extract_facts
from assistant.facts.merge import merge_facts
from assistant.facts.model import Evidence, Fact
from assistant.facts.rows import row_facts
from assistant.facts.verify import verify
from assistant.settings import FactSettings
from assistant.types import Chunk, ChunkMeta

SETTINGS = FactSettings()


def chunk(text: str, language: str, source: str = "doc.txt", **meta: object) -> Chunk:
    return Chunk(id=f"{source}-{meta.get('row', 0)}", text=text,
                 meta=ChunkMeta(source=source, title=source, language=language, **meta))  # fmt: skip


def facts_of(text: str, language: str, kind: str) -> list[Fact]:
    return [f for f in extract_facts([chunk(text, language)], SETTINGS) if f.kind == kind]


@pytest.mark.parametrize(
    ("language", "text", "date", "role"),
    [
        ("vi", "Các sở, ngành gửi phương án chuyển đổi trước ngày 30/9/2025.", "2025-09-30", "by"),
        ("vi", "Giai đoạn 2 triển khai từ ngày 01/7/2025.", "2025-07-01", "from"),
        ("en", "The ministries must complete the list by 30 June 2025.", "2025-06-30", "by"),
        ("de", "Die Phase dauert bis zum 31. Dezember 2025.", "2025-12-31", "by"),
        ("ru", "Срочный этап продлится до 30 июня 2025 года.", "2025-06-30", "by"),
        ("uk", "Система працює з 1 липня 2025 року.", "2025-07-01", "from"),
        ("pt", "A fase urgente vai até 30 de junho de 2025.", "2025-06-30", "by"),
        ("es", "La fase dura hasta el 31 de diciembre de 2025.", "2025-12-31", "by"),
    ],
)
def test_a_date_with_a_start_or_end_cue_is_a_deadline(language, text, date, role):
    deadlines = facts_of(text, language, "deadline")
    assert [(f.date, f.date_role) for f in deadlines] == [(date, role)]
    assert deadlines[0].evidence[0].quote == text and deadlines[0].verified


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "Ban hành kèm theo Quyết định số 1487/QĐ-UBND ngày 21/4/2025 của Chủ tịch UBND tỉnh."),
        ("uk", "План № 02-KH/BCĐTW від 19 червня 2025 року має на меті конкретизувати цілі."),
        ("en", "On 25 June 2025 the conference was held in the province."),  # an event, no cue
    ],
)
def test_a_documents_own_date_or_an_event_date_is_not_a_deadline(language, text):
    assert facts_of(text, language, "deadline") == []


def test_a_date_without_a_year_takes_the_one_year_of_its_sentence_or_none():
    [fact] = facts_of("Năm 2026, các xã hoàn thành báo cáo trước ngày 15/3.", "vi", "deadline")
    assert fact.date == "2026-03-15"
    [fact] = facts_of("Các xã hoàn thành báo cáo trước ngày 15/3.", "vi", "deadline")
    assert fact.date == "--03-15"


@pytest.mark.parametrize(
    ("language", "text", "values"),
    [
        ("vi", "Phấn đấu 100% thủ tục hành chính được cung cấp trực tuyến toàn trình.", [100.0]),
        ("vi", "Bảo đảm ít nhất 1.000 hồ sơ trực tuyến mỗi năm.", [1000.0]),
        ("en", "The plan aims to provide at least 982 online public services.", [982.0]),
        ("ru", "Предусматривается предоставление 25 онлайн-услуг.", [25.0]),
        ("pt", "Pelo menos 80% dos registros são processados online.", [80.0]),
        # A minimum to reach, however small; an amount of money is a budget, with or without a goal word.
        ("vi", "Mỗi điểm du lịch bố trí ít nhất 01 nhân viên hướng dẫn.", [1.0]),
        ("vi", "Kinh phí thực hiện năm 2027 là 12,5 tỷ đồng.", [12.5]),
        ("en", "Each site assigns at least one guide and a budget of 3 billion dong.", [3.0]),
        # "02 máy" folds to "02 may", which must not read as the 2nd of May in Vietnamese.
        ("vi", "Có ít nhất 02 máy quét tại mỗi quầy.", [2.0]),
        # A count written with a leading zero is a count in official style, however small ("01 máy tính").
        ("vi", "Mỗi quầy phải có 02 máy quét và 01 máy tính.", [2.0, 1.0]),
    ],
)
def test_a_number_in_a_sentence_that_sets_a_goal_is_a_target(language, text, values):
    targets = facts_of(text, language, "target")
    assert [f.value for f in targets] == values
    assert all(f.unit for f in targets)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "Tỉnh có 68 xã, phường sau sắp xếp."),  # a present count, no goal
        ("en", "To implement Resolution No. 57, ministries must act in 2025."),  # an identifier and a year
        ("vi", "Thực hiện Kế hoạch số 02-KH/BCĐTW, các sở phải báo cáo."),  # a code
        ("pt", "Os ministérios devem implementar o Plano n.º 2 com urgência."),  # a number sign with a dot
        ("vi", "Sự cố phải báo Ban Điều phối (BĐP 03) qua số 0200 777 0300."),  # a name's number, a phone number
        ("vi", "Mỗi lớp phải có không quá 40 học viên."),  # a cap limits, it sets nothing to reach
        ("vi", "Bộ tiêu chí phải bảo đảm gồm 06 nhóm, tổng điểm tối đa 100 điểm."),  # a count of parts, a cap
        ("vi", "Các điểm du lịch phải đạt cấp độ 3 trở lên."),  # a label after its noun
    ],
)
def test_counts_identifiers_codes_and_years_are_not_targets(language, text):
    assert facts_of(text, language, "target") == []


def test_the_unit_is_the_words_after_the_number_in_the_original_script():
    [fact] = facts_of("Передбачається надання 982 онлайн-державних послуг для людей.", "uk", "target")
    assert fact.unit.startswith("онлайн")


@pytest.mark.parametrize(
    ("language", "text", "actors"),
    [
        ("vi", "Sở Tư pháp chủ trì kết nối cơ sở dữ liệu hộ tịch.", ["Sở Tư pháp"]),
        ("vi", "Sở Khoa học và Công nghệ tổng hợp và gửi báo cáo hằng tháng.", ["Sở Khoa học và Công nghệ"]),
        ("vi", "Tổ công tác cấp tỉnh phải báo cáo Ban Chỉ đạo.", ["Tổ công tác cấp tỉnh"]),
        ("en", "The Ministry of Public Security must complete the data connection.", ["Ministry of Public Security"]),
        (
            "uk",
            "Центральний керівний комітет та Постійне агентство повинні стежити.",
            ["Центральний керівний комітет", "Постійне агентство"],
        ),
        ("pt", "Os ministérios e departamentos devem concluir a lista.", ["ministérios", "departamentos"]),
        # A modal of need is a duty word too; a collective head matches its singular and plural.
        ("pt", "Cada agência e unidade local precisa publicar o endereço.", ["agência", "unidade local"]),
        ("es", "Cada unidad local tiene que publicar su sede.", ["unidad local"]),
        ("en", "The units need to publish their addresses.", ["units"]),
    ],
)
def test_the_actors_named_before_a_duty_bear_it(language, text, actors):
    facts = facts_of(text, language, "responsibility")
    assert [f.actor for f in facts] == actors
    assert all(f.verified for f in facts)


@pytest.mark.parametrize(
    ("language", "text", "actors"),
    [
        ("ru", "Совет по туризму просит ведомства, министерства и местные органы власти подготовить отчёт.",
         ["ведомства", "министерства", "местные органы власти"]),
        ("ru", "Председатель дал указание министерствам и местным органам власти сосредоточиться на маршрутах.",
         ["министерствам", "местным органам власти"]),
        ("uk", "Рада з туризму просить відомства та місцеві органи влади підготувати звіт.",
         ["відомства", "місцеві органи влади"]),
        # Articles before each name do not break the list.
        ("pt", "O conselho de turismo solicitou aos ministérios, às filiais e às localidades que preparem o roteiro.",
         ["ministérios", "filiais", "localidades"]),
        ("pt", "As comunas e os bairros devem publicar os roteiros.", ["comunas", "bairros"]),
        # A responsibility named as a noun belongs to the names listed right after it.
        ("uk", "Посилити відповідальність лідерів, секретарів і міністрів за маршрути.", ["лідерів", "секретарів", "міністрів"]),
        ("vi", "Việc cập nhật bản đồ điểm du lịch là trách nhiệm của Sở Du lịch.", ["Sở Du lịch"]),
        ("vi", "Sở Du lịch chịu trách nhiệm trước Ban Điều phối về bản đồ điểm du lịch.", ["Sở Du lịch"]),
    ],
)
def test_whoever_a_request_names_bears_it_and_the_request_and_the_verb_stay_outside_the_names(language, text, actors):
    """A name ends at a request ("… просит") or a verb ("… сосредоточиться"); the request's last word is
    no adjective of the name after it ("дал указание министерствам")."""
    assert [f.actor for f in facts_of(text, language, "responsibility")] == actors


def test_a_sentence_without_a_duty_word_states_no_responsibility():
    assert facts_of("Sở Tư pháp nằm ở trung tâm thành phố.", "vi", "responsibility") == []


def test_two_names_joined_by_a_conjunction_are_two_actors():
    names = [a.name for a in find_actors("Sở Tư pháp và Sở Nội vụ phối hợp.", "vi", SETTINGS)]
    assert names == ["Sở Tư pháp", "Sở Nội vụ"]
    # "Trưởng", capitalised, heads an office holder's title as "Sở" heads a body's name.
    names = [a.name for a in find_actors("Trưởng Công an xã, Trưởng phòng Du lịch và Sở Nội vụ phối hợp.", "vi", SETTINGS)]
    assert names == ["Trưởng Công an xã", "Trưởng phòng Du lịch", "Sở Nội vụ"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Two bodies under one head: the office of both, with the level they share or without one.
        ("Văn phòng HĐND và UBND xã phải lập dự toán.", ["Văn phòng HĐND và UBND xã"]),
        ("Văn phòng HĐND và UBND lập dự toán chi tiết.", ["Văn phòng HĐND và UBND"]),
        # A body with its own name before the conjunction stays apart.
        ("Sở Du lịch và UBND cấp xã phải lập dự toán.", ["Sở Du lịch", "UBND cấp xã"]),
        ("Văn phòng UBND tỉnh và UBND cấp xã phải lập dự toán.", ["Văn phòng UBND tỉnh", "UBND cấp xã"]),
        # An abbreviation is a whole name: a level or a collective may follow it, a verb may not.
        ("Sở Du lịch và UBND phải lập dự toán.", ["Sở Du lịch", "UBND"]),
        ("Từ ngày 02/6/2027, UBND các xã, phường báo cáo hằng ngày.", ["UBND các xã, phường"]),
        # A dash joins two capitalised halves of one name, not a name and what follows it.
        ("Phòng Du lịch – Thể thao lập kế hoạch.", ["Phòng Du lịch – Thể thao"]),
        ("Sở Du lịch – đơn vị đầu mối – lập kế hoạch.", ["Sở Du lịch", "đơn vị đầu mối"]),
        ("Sở Du lịch – Sở Tài chính lập kế hoạch.", ["Sở Du lịch", "Sở Tài chính"]),
    ],
)
def test_a_name_joins_two_bodies_only_under_one_head(text: str, names: list[str]):
    assert [a.name for a in find_actors(text, "vi", SETTINGS)] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("UBND tỉnh là cơ quan thường trực của Ban Điều phối.", ["UBND tỉnh", "Ban Điều phối"]),
        ("UBND cấp xã là đầu mối tiếp nhận.", ["UBND cấp xã"]),
        ("UBND xã Hồ Sen phải gửi báo cáo.", ["UBND xã Hồ Sen"]),
    ],
)
def test_a_level_ends_the_lowercase_words_of_a_name(text: str, names: list[str]):
    assert [a.name for a in find_actors(text, "vi", SETTINGS)] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Các bộ, ngành trung ương phải ban hành chuẩn dữ liệu.", ["Các bộ, ngành trung ương"]),
        ("Các sở, ban, ngành, địa phương phải báo cáo.", ["Các sở, ban, ngành, địa phương"]),
        ("UBND cấp xã, phường phải báo cáo.", ["UBND cấp xã, phường"]),
        ("Sở Tư pháp, Sở Nội vụ và Công an tỉnh phải báo cáo.", ["Sở Tư pháp", "Sở Nội vụ", "Công an tỉnh"]),
    ],
)
def test_collective_nouns_paired_after_a_comma_are_one_name(text: str, names: list[str]):
    """Vietnamese pairs collective nouns in one name ("các sở, ngành"); a comma before a new name still parts them."""
    assert [a.name for a in find_actors(text, "vi", SETTINGS)] == names
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == names


def test_whoever_is_given_a_role_bears_a_responsibility_named_with_the_person_before_the_title():
    text = ("Tổ công tác cấp tỉnh gồm 11 thành viên, do bà Đặng Thị Kim Oanh, Phó Chủ tịch UBND tỉnh, làm Tổ "
            "trưởng; ông Phạm Minh Tuấn, Phó Giám đốc Sở Tài chính, làm Tổ phó; công chức Văn phòng làm thư ký.")
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == [
        "Đặng Thị Kim Oanh, Phó Chủ tịch UBND tỉnh", "Phạm Minh Tuấn, Phó Giám đốc Sở Tài chính", "công chức Văn phòng",
    ]  # fmt: skip
    plain = "Sở Nội vụ làm đầu mối tổng hợp số liệu."  # no role follows "làm" (its duty is a plain statement)
    assert role_holders(plain, "vi", SETTINGS, find_actors(plain, "vi", SETTINGS)) == []
    assert [f.actor for f in facts_of("The Minister of Home Affairs serves as chair of the board.", "en",
                                      "responsibility")] == ["Minister of Home Affairs"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # The subject acts; a body after the verb is its object, even when it stands nearer the duty word.
        ("Chủ tịch UBND cấp xã quyết định thành lập Ban Điều phối cấp xã, hoàn thành trước ngày 15/9/2027.",
         ["Chủ tịch UBND cấp xã"]),
        # Vietnamese marks no tense: an instruction is a plain statement of what the body does.
        ("Sở Du lịch tổng hợp số liệu của các điểm du lịch và gửi Ban Điều phối.", ["Sở Du lịch"]),
        ("• Công chức đầu mối tra cứu thời hạn trong Phụ lục 2.", ["Công chức đầu mối"]),
        ("Ban Điều phối họp thường kỳ mỗi tháng một lần.", ["Ban Điều phối"]),
        # A verb that describes the body gives it no duty: what it has, holds, is, or had done.
        ("Ban Điều phối gồm 9 thành viên.", []),
        ("Sở Du lịch đã tổ chức hội nghị vào năm 2024.", []),
        ("Sở Du lịch có 5 phòng chuyên môn.", []),
        # A name, a colon and its duties on the same line.
        ("• Sở Du lịch: chủ trì thống kê lượt khách.", ["Sở Du lịch"]),
        # A lead-in's items are its duties (read elsewhere); the lead-in itself states none.
        ("Sở Du lịch:", []),
        # A request's object stands near it (request_reach): "để phân công nhiệm vụ trong Ban Điều phối" asks no board.
        ("Lãnh đạo Sở Du lịch đọc trước Phần II để phân công nhiệm vụ trong Ban Điều phối.", ["Lãnh đạo Sở Du lịch"]),
        # A duty word in brackets after a name is a note: a list of recipients names no one's duty.
        ("- Sở Du lịch (để báo cáo);", []),
        # A common word that starts like a name, capitalised at the start of a sentence, is no body.
        ("Báo cáo tháng gửi trước ngày 20 hằng tháng.", []),
        ("Trường hợp mất kết nối, Trung tâm Du lịch tiếp nhận hồ sơ giấy.", ["Trung tâm Du lịch"]),
        ("Hội nghị tổng kết do Sở Du lịch tổ chức.", ["Sở Du lịch"]),
        # A commune's divisions and associations are bodies; a dash between two capitalised halves is inside a name.
        ("Phòng Nông nghiệp chủ trì lập dự toán du lịch năm 2028.", ["Phòng Nông nghiệp"]),
        ("Phòng Du lịch – Thể thao chủ trì tổ chức lễ hội.", ["Phòng Du lịch – Thể thao"]),
        ("Hội Nông dân xã vận động hội viên làm homestay.", ["Hội Nông dân xã"]),
        # A subject up to its modal duty may run to a dozen syllables.
        ("Cơ quan quản lý dữ liệu du lịch cộng đồng cấp tỉnh có trách nhiệm công bố số liệu hằng tháng.",
         ["Cơ quan quản lý dữ liệu du lịch cộng đồng cấp tỉnh"]),
    ],
)
def test_a_sentence_that_starts_with_a_body_gives_it_the_duty(text: str, actors: list[str]):
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == actors


def test_a_sentence_of_several_clauses_gives_one_duty_per_clause_to_its_subject():
    text = ("Sở Du lịch hướng dẫn các điểm du lịch; chủ trì tập huấn hướng dẫn viên; chỉ đạo Trung tâm Xúc tiến "
            "cập nhật dữ liệu; Ban Điều phối kiểm tra kết quả.")
    facts = facts_of(text, "vi", "responsibility")
    assert [(f.actor, f.evidence[0].quote) for f in facts] == [
        ("Sở Du lịch", "Sở Du lịch hướng dẫn các điểm du lịch"),
        ("Sở Du lịch", "chủ trì tập huấn hướng dẫn viên"),
        ("Sở Du lịch", "chỉ đạo Trung tâm Xúc tiến cập nhật dữ liệu"),
        ("Ban Điều phối", "Ban Điều phối kiểm tra kết quả."),
    ]
    # A clause without its subject is quoted with the first clause, which names the body (so it verifies).
    assert facts[1].evidence[0].lead == "Sở Du lịch hướng dẫn các điểm du lịch" and facts[1].verified
    # A sentence whose first clause has no body for subject lends none to the others.
    text = "Hồ sơ được bàn giao cho Trung tâm Lưu trữ trước ngày 30/9/2027; dữ liệu được cập nhật hằng tuần."
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == []


@pytest.mark.parametrize(
    ("text", "language", "actors"),
    [
        ("Phương án phải được Giám đốc Sở Du lịch ký trước khi gửi.", "vi", ["Giám đốc Sở Du lịch"]),
        ("Mỗi điểm du lịch có 01 hướng dẫn viên do Ban Điều phối phân công.", "vi", ["Ban Điều phối"]),
    ],
)
def test_the_body_a_passive_names_as_who_acts_bears_the_duty(text: str, language: str, actors: list[str]):
    assert [f.actor for f in facts_of(text, language, "responsibility")] == actors


def test_the_body_that_issued_a_cited_document_bears_no_duty():
    text = "3) Kế hoạch số 88/KH-UBND ngày 03/5/2027 của UBND tỉnh về phát triển du lịch phải được triển khai."
    assert facts_of(text, "vi", "responsibility") == []
    # Bodies a document asks to act are bearers, even right after its code.
    text = "Kế hoạch số 88/KH-UBND yêu cầu các sở phải báo cáo trước ngày 30/9/2027."
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == ["các sở"]


def test_plain_statements_are_duties_only_in_the_languages_set_for_it():
    # English marks tense: "The Department compiles" is a description unless a duty word says otherwise.
    assert facts_of("The Tourism Department compiles the figures of all sites.", "en", "responsibility") == []
    text = "Sở Du lịch tổng hợp số liệu của các điểm du lịch."
    assert facts_of(text, "vi", "responsibility")
    chunk_facts = extract_facts([chunk(text, "vi")], FactSettings(plain_verb_duty=[]))
    assert [f for f in chunk_facts if f.kind == "responsibility"] == []


def test_a_subject_after_an_opening_clause_bears_the_duty():
    text = "Mỗi khi đổi hướng dẫn viên, UBND cấp xã thông báo cho Sở Du lịch trong 01 ngày làm việc."
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == ["UBND cấp xã"]
    plain = extract_facts([chunk(text, "vi")], FactSettings(clause_subject=False))
    assert [f for f in plain if f.kind == "responsibility"] == []
    # A clause of its own subject after an opening clause is not the first clause's body's duty.
    clauses = ("UBND cấp xã gửi báo cáo tuần cho Sở Du lịch; trường hợp chậm hai lần, Ban Điều phối báo cáo "
               "Chủ tịch UBND tỉnh.")
    assert [f.actor for f in facts_of(clauses, "vi", "responsibility")] == ["UBND cấp xã", "Ban Điều phối"]


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # A lowercase head after a condition names the subject up to its modal.
        ("Trường hợp mất kết nối quá 02 giờ, đơn vị quản lý điểm du lịch phải thông báo cho Sở Du lịch.",
         ["đơn vị quản lý điểm du lịch"]),
        ("Khi kết thúc mùa du lịch, cơ quan được giao theo dõi có trách nhiệm lập báo cáo.",
         ["cơ quan được giao theo dõi"]),
        # A list that runs over a condition's comma is cut there: the names after it are the subject.
        ("Khi bàn giao hồ sơ cho Trung tâm Lưu trữ, UBND cấp xã và Trung tâm Lưu trữ lập biên bản.",
         ["UBND cấp xã", "Trung tâm Lưu trữ"]),
        # Without a condition, a comma between two names is a list's ("giúp lãnh đạo, công chức …"): no subject.
        ("Sổ tay này giúp lãnh đạo, công chức ở các điểm du lịch tra cứu việc phải làm.", []),
    ],
)
def test_the_subject_after_a_condition_or_time_clause_bears_the_duty(text: str, actors: list[str]):
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == actors


def test_a_name_the_document_defines_with_an_abbreviation_is_found_whole_and_by_its_abbreviation():
    glossary = chunk("Chữ viết tắt:\n– TTDVDL: Trung tâm Dịch vụ du lịch\n– HTQLLT: Hệ thống quản lý lưu trú", "vi")
    body = [
        "Ban Điều phối du lịch cộng đồng (BĐP 05) được thành lập theo Quyết định số 12/QĐ-UBND.",
        "Mỗi quý, BĐP 05 kiểm tra đột xuất các điểm du lịch.",
        "Trung tâm Dịch vụ du lịch cấp xã tiếp nhận phản ánh của du khách.",
        "HTQLLT tự động tổng hợp số liệu lưu trú.",  # a system, not a body: its definition names no body
    ]
    chunks = [glossary] + [chunk(t, "vi").model_copy(update={"id": f"c{i}"}) for i, t in enumerate(body)]
    for i, c in enumerate(chunks):
        c.meta.chunk_index = i
    actors = [f.actor for f in extract_facts(chunks, SETTINGS) if f.kind == "responsibility"]
    assert actors == ["BĐP 05", "Trung tâm Dịch vụ du lịch cấp xã"]
    plain = extract_facts(chunks, FactSettings(defined_names=False))
    plain_actors = [f.actor for f in plain if f.kind == "responsibility"]
    assert "BĐP 05" not in plain_actors and "Trung tâm Dịch vụ" in plain_actors  # cut at its first lowercase word
    # The bracket may say that it defines ("sau đây viết tắt là …").
    worded = [chunk("Đưa ki-ốt về Trung tâm Dịch vụ du lịch (sau đây viết tắt là TTDVDL) cấp xã.", "vi"),
              chunk("Khi ki-ốt bị lỗi, TTDVDL báo ngay cho Sở Du lịch.", "vi").model_copy(update={"id": "c1"})]
    worded[1].meta.chunk_index = 1
    assert [f.actor for f in extract_facts(worded, SETTINGS) if f.kind == "responsibility"] == ["TTDVDL"]
    # An abbreviation may carry its level ("BĐP tỉnh"); its capitals are the initials, the phrase ends at a comma.
    listed = "Chữ viết tắt:\n– BĐP tỉnh: Ban Điều phối phát triển du lịch, văn hóa tỉnh Hồ Sen;\n– HTQL: Hệ thống quản lý"
    assert defined_names([listed], "vi", SETTINGS) == ("Ban Điều phối phát triển du lịch", "BĐP tỉnh")
    agent = chunk(f"{listed}\n\nChỉ tiêu năm 2027 do BĐP tỉnh xem xét, điều chỉnh khi sơ kết.", "vi")
    assert [f.actor for f in extract_facts([agent], SETTINGS) if f.kind == "responsibility"] == ["BĐP tỉnh"]


def test_a_common_noun_names_a_body_only_as_the_subject():
    text = "Cơ quan cấp phép lưu trú chịu trách nhiệm cập nhật dữ liệu khi có thay đổi."
    assert [f.actor for f in facts_of(text, "vi", "responsibility")] == ["Cơ quan cấp phép lưu trú"]  # up to the modal
    assigned = "Cơ quan được giao theo dõi chỉ tiêu có trách nhiệm cập nhật kết quả."
    assert [f.actor for f in facts_of(assigned, "vi", "responsibility")] == ["Cơ quan được giao theo dõi chỉ tiêu"]
    clause = "Mỗi dữ liệu chỉ thu thập một lần; cấp xã không yêu cầu du khách khai lại."
    assert [f.actor for f in facts_of(clause, "vi", "responsibility")] == ["cấp xã"]
    predicate = "Sở Du lịch là cơ quan thường trực, có trách nhiệm tổng hợp số liệu."
    assert [a.name for a in find_actors(predicate, "vi", SETTINGS, begin=0)] == ["Sở Du lịch"]


def test_levels_come_from_the_actor_or_the_sentence():
    [fact] = facts_of("UBND cấp xã phải cập nhật số liệu.", "vi", "responsibility")
    assert fact.levels == ["commune"]


ROW = (
    "STT: 3; Nhiệm vụ: Rà soát danh mục thủ tục hành chính; Cơ quan chủ trì: Văn phòng UBND tỉnh; "
    "Cơ quan phối hợp: Sở Nội vụ; Thời hạn: 2025-07-31; Sản phẩm: Ít nhất 1.450 lượt cán bộ được bồi dưỡng"
)


def test_a_list_row_gives_its_deadline_its_lead_agency_and_its_target_with_sheet_and_row():
    facts = row_facts(chunk(ROW, "vi", "list.xlsx", sheet="Nhiệm vụ", row=6))
    by_kind = {f.kind: f for f in facts}
    assert by_kind["deadline"].date == "2025-07-31" and by_kind["deadline"].actor == "Văn phòng UBND tỉnh"
    assert by_kind["responsibility"].actor == "Văn phòng UBND tỉnh"  # the lead, not the partner
    assert by_kind["responsibility"].text == "Rà soát danh mục thủ tục hành chính"
    assert by_kind["target"].value == 1450
    assert by_kind["deadline"].evidence[0].location == "Nhiệm vụ, row 6"
    assert all(verify(f).verified for f in facts)


def test_a_row_without_a_task_gives_nothing_and_a_row_without_a_date_no_deadline():
    assert row_facts(chunk("STT: 1; Cơ quan chủ trì: Sở Y tế", "vi", "l.csv", row=2)) == []
    facts = row_facts(chunk("Tên thủ tục: Đăng ký kết hôn; Cơ quan chủ trì: Sở Tư pháp", "vi", "l.csv", row=3))
    assert [f.kind for f in facts] == ["responsibility"]


def test_an_indicator_row_gives_the_body_its_header_gives_a_duty_and_a_report_row_gives_nothing():
    row = "Mã: DL03; Tên chỉ tiêu: Số lượt khách lưu trú; Đơn vị tính: lượt; Cơ quan kiểm tra số liệu: Sở Du lịch"
    [fact] = row_facts(chunk(row, "vi", "chi-tieu.xlsx", sheet="Chỉ tiêu", row=4))
    assert (fact.kind, fact.actor, fact.text) == ("responsibility", "Sở Du lịch", "Số lượt khách lưu trú")
    assert verify(fact).verified
    # The same indicator in a daily report: "Đơn vị" names who reported a value, not who must act.
    report = "Ngày báo cáo: 04/8/2027; Đơn vị: Xã Hồ Sen; Tên chỉ tiêu: Số lượt khách lưu trú; Giá trị: 86"
    assert row_facts(chunk(report, "vi", "bao-cao.csv", row=9)) == []


def test_a_schedule_row_gives_its_start_and_end_and_the_body_that_leads_what_it_names():
    row = ("STT: 1; Tên lớp bồi dưỡng: Hướng dẫn viên số – cụm 1; Ngày khai giảng: 10/9/2027; Ngày bế giảng: "
           "12/9/2027; Đơn vị chủ trì: Sở Du lịch; Số học viên dự kiến: 40")
    facts = row_facts(chunk(row, "vi", "lich.csv", row=2))
    assert [(f.kind, f.date, f.date_role, f.actor, f.text) for f in facts] == [
        ("deadline", "2027-09-10", "from", "Sở Du lịch", "Hướng dẫn viên số – cụm 1"),
        ("deadline", "2027-09-12", "by", "Sở Du lịch", "Hướng dẫn viên số – cụm 1"),
        ("responsibility", "2027-09-12", "by", "Sở Du lịch", "Hướng dẫn viên số – cụm 1"),
    ]
    # A name column without a body that has a duty (a contact list's "Tên đơn vị"/"Đơn vị") assigns nothing.
    assert row_facts(chunk("Tên người đầu mối: Lò Văn Hải; Đơn vị: Sở Du lịch", "vi", "c.csv", row=3)) == []


def test_a_header_with_alternatives_reads_as_either():
    row = "Bước: 1; Nội dung: Sao lưu dữ liệu; Người/bộ phận thực hiện: Trung tâm Dịch vụ du lịch; Thời điểm: Ngày N-5 (10/9/2027)"
    facts = row_facts(chunk(row, "vi", "kich-ban.docx", row=2))
    assert [(f.kind, f.date, f.actor) for f in facts] == [
        ("deadline", "2027-09-10", "Trung tâm Dịch vụ du lịch"), ("responsibility", "2027-09-10", "Trung tâm Dịch vụ du lịch")]


def test_a_roster_row_gives_the_person_its_task_dated_by_its_column_of_dates():
    row = ("STT: 5; Họ và tên: Lò Văn Hải; Chức vụ: Kỹ sư hỗ trợ; Cơ quan, đơn vị: Trung tâm Dịch vụ du lịch; "
           "Ngày trực: 14/9/2027 – 15/9/2027; Nhiệm vụ khi trực: Trực tại điểm du lịch Hồ Sen")
    facts = row_facts(chunk(row, "vi", "lich-truc.csv", row=6))
    assert [(f.kind, f.date, f.date_role, f.actor) for f in facts] == [
        ("deadline", "2027-09-14", "from", "Trung tâm Dịch vụ du lịch"),
        ("deadline", "2027-09-15", "by", "Trung tâm Dịch vụ du lịch"),
        ("responsibility", "2027-09-15", "by", "Lò Văn Hải, Kỹ sư hỗ trợ"),
    ]
    # One date is by when; a contact row with neither task nor date assigns nothing.
    one = row_facts(chunk(row.replace("14/9/2027 – 15/9/2027", "16/9/2027"), "vi", "lich-truc.csv", row=7))
    assert [(f.kind, f.date, f.date_role) for f in one] == [("deadline", "2027-09-16", "by"),
                                                           ("responsibility", "2027-09-16", "by")]
    contact = "STT: 1; Họ và tên: Lò Thị Hoa; Chức vụ: Giám đốc; Cơ quan, đơn vị: Sở Du lịch; Điện thoại: 0200 111 0101"
    assert row_facts(chunk(contact, "vi", "lich-truc.csv", row=2)) == []


def test_a_second_body_whose_column_states_a_duty_answers_for_the_task_too():
    row = ("Mã: KN01; Nội dung: Kết nối dữ liệu lưu trú với LGSP; Cơ quan chủ trì: Sở Du lịch; Cơ quan phối hợp: "
           "Công an tỉnh; Hạn hoàn thành: 2027-10-31; Cơ quan kiểm tra, đánh giá: Văn phòng UBND tỉnh")
    facts = [f for f in row_facts(chunk(row, "vi", "ket-noi.xlsx", sheet="KN", row=4)) if f.kind == "responsibility"]
    assert [f.actor for f in facts] == ["Sở Du lịch", "Văn phòng UBND tỉnh"]  # the partner bears no duty of its own


def test_the_bodies_an_article_charges_with_carrying_out_a_decision_each_bear_it():
    text = ("Chánh Văn phòng UBND tỉnh, Giám đốc Sở Du lịch, Thủ trưởng các sở, ngành liên quan và các thành viên "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.")
    actors = [f.actor for f in facts_of(text, "vi", "responsibility")]
    assert actors == ["Chánh Văn phòng UBND tỉnh", "Giám đốc Sở Du lịch", "Thủ trưởng các sở, ngành"]


def test_a_filled_in_member_table_names_the_member_and_a_plain_ủy_viên_gives_nothing():
    head = "STT: 1; Họ và tên: Ông Lò Văn Hải; Chức vụ: Giám đốc Sở Du lịch; Nhiệm vụ trong Ban: Trưởng ban"
    [fact] = row_facts(chunk(head, "vi", "qd.docx", row=2))
    assert (fact.actor, fact.text) == ("Ông Lò Văn Hải, Giám đốc Sở Du lịch", "Trưởng ban")
    plain = "STT: 5; Họ và tên: Bà Vi Thị Mận; Chức vụ: Phó Giám đốc Sở Tài chính; Nhiệm vụ trong Ban: Ủy viên"
    assert row_facts(chunk(plain, "vi", "qd.docx", row=6)) == []


def test_a_member_table_row_gives_the_position_its_role_and_plain_members_nothing():
    head = "STT: 1; Họ và tên: ……………………; Chức vụ: Chủ tịch UBND xã; Vai trò trong Tổ: Tổ trưởng"
    facts = row_facts(chunk(head, "vi", "mau-quyet-dinh.docx", row=2))
    assert [(f.kind, f.actor, f.text, f.levels) for f in facts] == [("responsibility", "Chủ tịch UBND xã", "Tổ trưởng",
                                                                      ["commune"])]
    assert all(verify(f).verified for f in facts)
    secretary = "STT: 3; Họ và tên: ……; Chức vụ: Công chức Văn phòng – Thống kê; Vai trò trong Tổ: Thành viên kiêm thư ký"
    assert [f.text for f in row_facts(chunk(secretary, "vi", "m.docx", row=4))] == ["Thành viên kiêm thư ký"]
    member = "STT: 4; Họ và tên: ……; Chức vụ: Công chức Tư pháp – Hộ tịch; Vai trò trong Tổ: Thành viên"
    blank = "STT: …; Họ và tên: ……………………; Chức vụ: ……………………; Vai trò trong Tổ: Thành viên"
    english = "No.: 2; Position: Vice Chair of the commune; Role: Deputy head"
    assert row_facts(chunk(member, "vi", "m.docx", row=5)) == []
    assert row_facts(chunk(blank, "vi", "m.docx", row=6)) == []
    assert [(f.actor, f.text) for f in row_facts(chunk(english, "en", "m.docx", row=3))] == [
        ("Vice Chair of the commune", "Deputy head")]


def test_a_row_of_figures_by_year_gives_one_target_per_year():
    text = "Chỉ tiêu: Tỷ lệ hồ sơ được xử lý trực tuyến; Năm 2025: 60%; Năm 2026: 75%"
    facts = row_facts(chunk(text, "vi", "so-tay.pdf", row=3))
    assert [(f.kind, f.value, f.unit, f.text) for f in facts] == [
        ("target", 60.0, "%", "Tỷ lệ hồ sơ được xử lý trực tuyến (Năm 2025)"),
        ("target", 75.0, "%", "Tỷ lệ hồ sơ được xử lý trực tuyến (Năm 2026)"),
    ]
    assert all(f.evidence[0].quote == text and f.evidence[0].row == 3 for f in facts)
    # Years as columns, but no figure under them, or no words naming what is measured: nothing.
    assert row_facts(chunk("Đơn vị: Sở Y tế; Năm 2025: chưa giao", "vi", "l.csv", row=2)) == []
    assert row_facts(chunk("STT: 1; Năm 2025: 60%", "vi", "l.csv", row=2)) == []


def test_a_fact_whose_quote_lacks_its_date_or_number_is_not_verified():
    evidence = [Evidence(source="a.txt", quote="The phase ends on 30 June 2025.")]
    assert verify(Fact(kind="deadline", date="2025-06-30", date_role="by", text="x", evidence=evidence)).verified
    wrong = verify(Fact(kind="deadline", date="2025-06-29", date_role="by", text="x", evidence=evidence))
    assert not wrong.verified and "2025-06-29" in wrong.problems[0]
    assert not verify(Fact(kind="target", value=25, text="x", evidence=evidence)).verified
    assert not verify(Fact(kind="responsibility", actor="Ministry", text="x", evidence=evidence)).verified


def test_a_rendering_that_changes_a_figure_is_dropped_and_the_fact_stays_verified():
    evidence = [Evidence(source="a.txt", quote="Bis zum 30. Juni 2025 endet die Phase.")]
    fact = Fact(
        kind="deadline",
        date="2025-06-30",
        date_role="by",
        text="x",
        language="de",
        evidence=evidence,
        renderings={"vi": "Giai đoạn kết thúc ngày 30/6/2025.", "en": "The phase ends on 31 June 2025."},
    )
    checked = verify(fact)
    assert checked.verified and list(checked.renderings) == ["vi"]
    assert any("en rendering dropped" in p for p in checked.problems)


def _stated(text: str, source: str, language: str) -> Fact:
    return verify(Fact(kind="deadline", date="2025-06-30", date_role="by", text=text, language=language,
                       evidence=[Evidence(source=source, language=language, quote=text)])).with_id()  # fmt: skip


def test_statements_of_one_date_merge_only_when_their_sentences_say_the_same():
    facts = [
        _stated("Терміновий етап (до 30 червня 2025 року).", "uk.txt", "uk"),
        _stated("A fase urgente (até 30 de junho de 2025).", "pt.txt", "pt"),
        _stated("Các sở gửi báo cáo trước ngày 30/6/2025.", "vi.txt", "vi"),
    ]
    vectors = np.array([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0]])
    merged = merge_facts(facts, vectors, min_similarity=0.9)
    assert [f.sources for f in merged] == [["uk.txt", "pt.txt"], ["vi.txt"]]
    assert merged[0].verified
    assert len(merge_facts(facts, None, 0.9)) == 3  # without vectors only identical sentences merge


def test_statements_in_one_language_must_be_closer_to_merge_than_across_languages():
    facts = [
        _stated("Các sở gửi báo cáo trước ngày 30/6/2027.", "a.pdf", "vi"),
        _stated("Các sở gửi số liệu trước ngày 30/6/2027.", "b.docx", "vi"),
        _stated("The departments send their reports by 30 June 2027.", "c.txt", "en"),
    ]
    vectors = np.array([[1.0, 0.0], [0.85, np.sqrt(1 - 0.85**2)], [0.85, -np.sqrt(1 - 0.85**2)]])
    # At 0.85 the two Vietnamese sentences are not alike enough (0.9 within a language); the English one
    # is (0.8 across languages).
    assert [f.sources for f in merge_facts(facts, vectors, 0.8, 0.9)] == [["a.pdf", "c.txt"], ["b.docx"]]
    assert [f.sources for f in merge_facts(facts, vectors, 0.8)] == [["a.pdf", "b.docx"], ["c.txt"]]


def test_a_conflict_needs_the_same_thing_said_not_only_alike_sentences():
    from assistant.facts.merge import find_conflicts

    def deadline(text: str, date: str, source: str, row: int | None = None) -> Fact:
        return Fact(kind="deadline", date=date, date_role="by", text=text, language="vi",
                    evidence=[Evidence(source=source, language="vi", quote=text, row=row)]).with_id()  # fmt: skip

    same = [deadline("Các điểm du lịch gửi báo cáo quý trước ngày 15/3/2027.", "2027-03-15", "a.pdf"),
            deadline("Các điểm du lịch gửi báo cáo quý trước ngày 20/3/2027.", "2027-03-20", "b.docx")]  # fmt: skip
    unrelated = [deadline("Hội nghị tổng kết được tổ chức trước ngày 15/12/2027.", "2027-12-15", "a.pdf"),
                 deadline("Giai đoạn 2 triển khai diện rộng đến ngày 30/4/2027.", "2027-04-30", "b.docx")]  # fmt: skip
    rows = [deadline("Khảo sát điểm du lịch", "2027-09-30", "list.xlsx", row=3),
            deadline("Cập nhật bản đồ du lịch", "2027-10-31", "list.xlsx", row=4)]  # fmt: skip
    alike = np.ones((2, 2)) / np.sqrt(2)  # the embedding model finds each pair as alike as can be
    assert len(find_conflicts(same, alike, 0.9, 0.5)) == 2
    assert find_conflicts(unrelated, alike, 0.9, 0.5) == {}
    assert find_conflicts(rows, alike, 0.9, 0.5) == {}


def test_rows_of_one_list_never_merge():
    rows = [row_facts(chunk(f"Nhiệm vụ: Việc {i}; Cơ quan chủ trì: Sở Y tế; Thời hạn: 2025-07-31", "vi", "l.xlsx",
                            sheet="S", row=i)) for i in (2, 3)]  # fmt: skip
    deadlines = [f.with_id() for facts in rows for f in facts if f.kind == "deadline"]
    assert len(merge_facts(deadlines, np.ones((2, 2)) / np.sqrt(2), 0.5)) == 2


def test_one_bodys_two_duties_in_two_documents_of_one_language_stay_two_facts():
    texts = [("a.pdf", "Sở Du lịch tổng hợp số liệu lưu trú hằng tuần, gửi UBND tỉnh."),
             ("b.docx", "Sở Du lịch chủ trì kiểm tra các điểm du lịch cộng đồng."),
             ("c.docx", "Sở Du lịch tổng hợp số liệu lưu trú hằng tuần của các xã.")]  # fmt: skip
    facts = [f.with_id() for source, text in texts for f in extract_facts([chunk(text, "vi", source)], SETTINGS)
             if f.kind == "responsibility"]  # fmt: skip
    alike = np.ones((3, 3)) / np.sqrt(3)  # the embedding model finds them all alike
    merged = merge_facts(facts, alike, 0.3, 0.3, min_duty_overlap_same=0.5)
    assert [f.sources for f in merged] == [["a.pdf", "c.docx"], ["b.docx"]]
    assert len(merge_facts(facts, alike, 0.3, 0.3)) == 1  # by the cosine alone, one fact


def test_a_task_row_and_a_sentence_of_one_date_merge_only_when_they_name_the_same_task():
    def deadline(text: str, source: str, row: int | None = None) -> Fact:
        return verify(Fact(kind="deadline", date="2027-09-30", date_role="by", text=text, language="vi",
                           evidence=[Evidence(source=source, language="vi", quote=text, row=row)])).with_id()  # fmt: skip

    facts = [
        deadline("Khảo sát điểm du lịch cộng đồng tại các xã vùng cao", "list.xlsx", row=3),
        deadline("Sở Du lịch khảo sát các điểm du lịch cộng đồng ở xã vùng cao trước ngày 30/9/2027.", "a.pdf"),
        deadline("Các xã gửi báo cáo số liệu lưu trú trước ngày 30/9/2027.", "b.docx"),
        deadline("Ban Điều phối cập nhật bản đồ số của các xã trước ngày 30/9/2027.", "c.docx"),
    ]
    alike = np.ones((4, 4)) / 2  # the embedding model finds them all alike, as it does one topic's sentences
    merged = merge_facts(facts, alike, 0.3, 0.3, min_task_overlap_same=0.3)
    assert [f.sources for f in merged] == [["list.xlsx", "a.pdf"], ["b.docx"], ["c.docx"]]
    assert len(merge_facts(facts, alike, 0.3, 0.3)) == 1  # by the cosine alone, one fact


def test_task_words_weigh_the_words_every_statement_uses_least():
    from assistant.facts.merge import TaskWords

    facts = [_stated(text, f"{n}.pdf", "vi") for n, text in enumerate((
        "Các xã gửi báo cáo lưu trú trước ngày 30/6/2027.", "Các xã cập nhật bản đồ số trước ngày 30/6/2027.",
        "Các xã kiểm tra điểm du lịch trước ngày 30/6/2027.", "Sở Du lịch cập nhật bản đồ số."))]  # fmt: skip
    words = TaskWords(facts)
    assert words.overlap(1, 3) > 0.5  # "cập nhật bản đồ số": the task's own words
    assert words.overlap(0, 2) < 0.2  # "các xã", "trước ngày": words of nearly every statement

def test_a_sentence_repeated_in_overlapping_chunks_gives_its_facts_once():
    text = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025."
    chunks = [chunk(text, "vi"), chunk(text + " Thêm.", "vi", row=None).model_copy(update={"id": "other"})]
    assert len([f for f in extract_facts(chunks, SETTINGS) if f.kind == "deadline"]) == 1


def test_a_contact_list_row_assigns_nothing():
    row = "Đơn vị: Sở Tư pháp; Người đầu mối: Trịnh Thu Hương; Chức vụ: Trưởng phòng; Điện thoại: 0200 555 0145"
    assert row_facts(chunk(row, "vi", "contacts.csv", row=7)) == []


# -- lists of duties under a lead-in ---------------------------------------------------------------

LEAD_IN = "UBND cấp xã là cơ quan trực tiếp tổ chức thực hiện Đề án tại địa phương, có trách nhiệm:"


def test_the_items_under_a_lead_in_are_the_duties_of_the_actor_it_starts_with():
    lines = [
        LEAD_IN,
        "1) Thành lập Tổ công tác cấp xã và phân công nhiệm vụ cho từng thành viên;",
        "2) Phối hợp với Tổ công nghệ số cộng đồng hướng dẫn người dân.",  # the team cooperates; the commune acts
        "Sở Tài chính:",
        "- chủ trì thẩm định kinh phí thực hiện Đề án.",
        "Đoạn văn tiếp theo không thuộc danh sách.",
        "- Bố trí kinh phí cho năm sau.",  # a list with no lead-in: nobody named
    ]
    text = "\n".join(lines)
    duties = [(f.actor, f.text[:2], f.evidence[0].lead) for f in facts_of(text, "vi", "responsibility")]
    assert ("UBND cấp xã", "1)", LEAD_IN) in duties and ("UBND cấp xã", "2)", LEAD_IN) in duties
    assert ("Sở Tài chính", "- ", "Sở Tài chính:") in duties
    assert not any(actor.startswith("Tổ công nghệ") for actor, _, _ in duties)
    assert all(f.verified for f in facts_of(text, "vi", "responsibility")), "the actor is in the lead-in"
    assert len([d for d in duties if d[1] == "- "]) == 1, "the list after a plain paragraph has no actor"


def test_the_items_under_a_duty_heading_are_the_duties_of_the_bodies_it_names():
    # A heading line ("5.2. Trách nhiệm của …") states nothing itself; its items are the body's duties.
    text = ("5.2. Trách nhiệm của Sở Du lịch\n– Ban hành hướng dẫn kỹ thuật trước ngày 30/9/2027;\n"
            "– Tổng hợp tiến độ, báo cáo Ban Điều phối vào ngày 25 của tháng cuối mỗi quý.\nPhần III\n– Bố trí kinh phí.")
    duties = facts_of(text, "vi", "responsibility")
    assert [(f.actor, f.text[:10]) for f in duties] == [("Sở Du lịch", "– Ban hành"), ("Sở Du lịch", "– Tổng hợp")]
    assert all(f.verified and f.evidence[0].lead == "5.2. Trách nhiệm của Sở Du lịch" for f in duties)
    # A section's own heading (a DOCX article) leads its items; an item may start with one of the parties it lists.
    items = ("1. Giúp Chủ tịch UBND tỉnh theo dõi các điểm du lịch.\n"
             "2. Các thành viên thực hiện nhiệm vụ theo lĩnh vực được phân công.")
    section = "Điều 2. Nhiệm vụ của Ban Điều phối và các thành viên"
    facts = extract_facts([chunk(items, "vi", section=section)], SETTINGS)
    assert [(f.actor, f.text[:2]) for f in facts if f.kind == "responsibility"] == [
        ("Ban Điều phối", "1."), ("Các thành viên", "2.")]
    # The heading is the last of the section's path, and under it any sentence without a subject is the body's.
    plain_text = "Thông báo công khai thời gian tạm dừng tiếp nhận hồ sơ trước ngày 30/9/2027."
    nested = "VI. TỔ CHỨC THỰC HIỆN > 2. Trách nhiệm của Sở Du lịch"
    facts = extract_facts([chunk(plain_text, "vi", section=nested)], SETTINGS)
    assert [f.actor for f in facts if f.kind == "responsibility"] == ["Sở Du lịch"]
    # A section heading written as a lead-in leads its items too.
    lead_in = extract_facts([chunk("1. Lập danh sách điểm du lịch trước ngày 31/10/2027.", "vi",
                                   section="Điều 2. Ban Điều phối có nhiệm vụ:")], SETTINGS)  # fmt: skip
    assert [f.actor for f in lead_in if f.kind == "responsibility"] == ["Ban Điều phối"]
    # Not a sentence that names its own bearer, nor a signature's lines.
    own = "Đề nghị Sở Du lịch bố trí hướng dẫn viên theo lịch.\nTM. ỦY BAN NHÂN DÂN\n(Ký, ghi rõ họ tên, đóng dấu)"
    facts = extract_facts([chunk(own, "vi", section=nested)], SETTINGS)
    assert [f.actor for f in facts if f.kind == "responsibility"] == ["Sở Du lịch"]
    # A section heading that names no one's duties lends no actor.
    plain = extract_facts([chunk(items, "vi", section="Điều 2. Tổ chức thực hiện")], SETTINGS)
    assert not {"Ban Điều phối", "Các thành viên"} & {f.actor for f in plain if f.kind == "responsibility"}


def test_an_item_that_names_its_own_actor_keeps_it():
    text = f"{LEAD_IN}\n- Công an tỉnh phải bảo đảm an ninh mạng cho hệ thống."
    (duty,) = facts_of(text, "vi", "responsibility")[1:]
    assert duty.actor == "Công an tỉnh" and duty.evidence[0].lead is None


def test_a_list_goes_on_into_the_next_chunk_and_a_table_closes_it():
    first = chunk(f"Mở đầu.\n{LEAD_IN}", "vi", chunk_index=0)
    second = chunk("1) Thành lập Tổ công tác cấp xã;", "vi", chunk_index=1).model_copy(update={"id": "c2"})
    items = [f for f in extract_facts([second, first], SETTINGS) if f.text.startswith("1)")]
    assert [(f.actor, f.evidence[0].lead, f.evidence[0].chunk_id) for f in items] == [("UBND cấp xã", LEAD_IN, "c2")]
    row = chunk("Nhiệm vụ: Việc A; Cơ quan chủ trì: Sở Y tế", "vi", "doc.txt", row=3, chunk_index=1)
    after = chunk("1) Thành lập Tổ công tác cấp xã;", "vi", chunk_index=2).model_copy(update={"id": "c3"})
    assert not [f for f in extract_facts([first, row, after], SETTINGS) if f.text.startswith("1)")]


def test_a_new_section_or_a_heading_in_the_text_closes_a_list():
    lead = chunk("UBND xã ban hành Kế hoạch như sau:", "vi", chunk_index=0)
    goals = chunk("1. Đưa ki-ốt vào phục vụ du khách tại các điểm du lịch.", "vi", section="I. MỤC ĐÍCH",
                  chunk_index=1).model_copy(update={"id": "c1"})  # fmt: skip
    assert [f for f in extract_facts([lead, goals], SETTINGS) if f.text.startswith("1.")] == []
    same = goals.model_copy(update={"meta": goals.meta.model_copy(update={"section": None})})
    assert [f.actor for f in extract_facts([lead, same], SETTINGS) if f.text.startswith("1.")] == ["UBND xã"]
    # A heading standing in the text ("III. Bồi dưỡng công chức, hướng dẫn du khách") states nothing.
    heading = chunk("III. Bồi dưỡng công chức, hướng dẫn du khách", "vi", section="II. NHIỆM VỤ", chunk_index=2)
    under = chunk("STT: 1", "vi", section="II. NHIỆM VỤ > III. Bồi dưỡng công chức, hướng dẫn du khách",
                  chunk_index=3).model_copy(update={"id": "c3"})  # fmt: skip
    assert [f for f in extract_facts([heading, under], SETTINGS) if f.kind == "responsibility"] == []


def test_a_lead_in_without_the_actor_does_not_verify_an_item():
    item = Fact(kind="responsibility", actor="Sở Y tế", text="- Lập kế hoạch.", language="vi",
                evidence=[Evidence(source="d.txt", quote="- Lập kế hoạch.", lead="Các đơn vị có trách nhiệm:")])  # fmt: skip
    assert not verify(item).verified
    named = item.model_copy(update={"evidence": [item.evidence[0].model_copy(update={"lead": "Sở Y tế có trách nhiệm:"})]})
    assert verify(named).verified


def _duty(text: str, source: str, date: str | None = None) -> Fact:
    return verify(Fact(kind="responsibility", actor="Sở Y tế", date=date, text=text, language="vi",
                       evidence=[Evidence(source=source, language="vi", quote=f"Sở Y tế: {text}")])).with_id()  # fmt: skip


def test_one_actors_duties_in_one_document_or_with_other_dates_stay_apart():
    same_vectors = np.ones((3, 3)) / np.sqrt(3)
    one_document = [_duty("lập kế hoạch", "a.pdf"), _duty("kiểm tra", "a.pdf"), _duty("lập kế hoạch năm", "b.docx")]
    merged = merge_facts(one_document, same_vectors, 0.5)
    assert [f.sources for f in merged] == [["a.pdf", "b.docx"], ["a.pdf"]]
    dated = [_duty("lập kế hoạch trước 30/6/2025", "a.pdf", "2025-06-30"), _duty("lập kế hoạch", "b.docx")]
    assert len(merge_facts(dated, np.ones((2, 2)) / np.sqrt(2), 0.5)) == 2
    assert all(f.verified for f in merge_facts(dated, np.ones((2, 2)) / np.sqrt(2), 0.5))


def _due_row(cell: str, row: int = 5) -> list[Fact]:
    """The deadlines of a task list's row whose deadline column holds ``cell``."""
    text = f"STT: 4; Nhiệm vụ: Khảo sát các điểm du lịch; Cơ quan chủ trì: Sở Du lịch; Thời hạn: {cell}"
    return [f for f in row_facts(chunk(text, "vi", "list.xlsx", sheet="Nhiệm vụ", row=row)) if f.kind == "deadline"]


def _calendar_day(fact: Fact) -> date:
    """The day the iCalendar export puts ``fact`` on, read back."""
    from icalendar import Calendar

    from assistant.facts import export

    return next(iter(Calendar.from_ical(export.to_ics([fact.with_id()])).walk("VEVENT"))).decoded("dtstart")


def test_a_list_row_due_in_a_month_gives_a_deadline_on_that_months_last_day():
    from assistant.facts.select import select
    from assistant.web.glance_view import show_date

    [deadline] = _due_row("Tháng 9/2027")
    assert deadline.date == "2027-09" and deadline.day == date(2027, 9, 30)
    assert verify(deadline).verified
    # The month must be the quote's: a row of another month does not verify it.
    other = deadline.model_copy(update={"date": "2027-10"})
    assert not verify(other).verified and "month 2027-10 not stated" in verify(other).problems[0]
    assert show_date("vi", "2027-09") == "09/2027" and show_date("en", "2027-09") == "2027-09"
    # In date order it comes after the days of its month; in a calendar it falls on the month's last day.
    earlier = deadline.model_copy(update={"date": "2027-09-15"})
    assert [f.date for f in select([deadline, earlier])] == ["2027-09-15", "2027-09"]
    assert _calendar_day(deadline) == date(2027, 9, 30)
    assert _due_row("Thường xuyên", row=6) == []  # "as needed" is no date


def test_a_target_due_by_a_date_goes_into_the_calendar_and_a_duty_does_not():
    from icalendar import Calendar

    from assistant.facts import export

    said = "Đến ngày 31/12/2027, tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80%; UBND tỉnh chỉ đạo thực hiện."
    evidence = [Evidence(source="so-tay.pdf", quote=said, page=4)]
    target = Fact(kind="target", text="tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80%", value=80, unit="%",
                  date="2027-12-31", evidence=evidence).with_id()  # fmt: skip
    duty = Fact(kind="responsibility", text="chỉ đạo thực hiện", actor="UBND tỉnh", date="2027-12-31",
                evidence=evidence).with_id()  # fmt: skip
    undated = Fact(kind="target", text="100% văn bản", value=100, unit="%", evidence=evidence).with_id()
    [event] = Calendar.from_ical(export.to_ics([target, duty, undated])).walk("VEVENT")
    assert event.decoded("dtstart") == date(2027, 12, 31)
    assert str(event["summary"]) == "[target] tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80%"
    assert "so-tay.pdf (p. 4)" in str(event["description"])


@pytest.mark.parametrize("when", ["Quý III/2027", "quý 3 năm 2027", "Q3/2027"])
def test_a_list_row_due_in_a_quarter_gives_a_deadline_on_that_quarters_last_day(when: str):
    from assistant.web.glance_view import show_date

    [deadline] = _due_row(when)
    assert deadline.date == "2027-Q3" and deadline.day == date(2027, 9, 30)
    assert verify(deadline).verified
    other = deadline.model_copy(update={"date": "2027-Q4"})
    assert not verify(other).verified and "quarter 2027-Q4 not stated" in verify(other).problems[0]
    assert show_date("vi", "2027-Q3") == "Quý III/2027" and show_date("en", "2027-Q3") == "2027-Q3"
    assert show_date("vi", "2027-Q4") == "Quý IV/2027"
    assert _calendar_day(deadline) == date(2027, 9, 30)
    # "quy định" (a rule) is no quarter, nor a quarter without its year.
    assert _due_row("Theo quy định 2027", row=6) == [] and _due_row("Quý III", row=6) == []


@pytest.mark.parametrize(
    ("text", "date", "role"),
    [("Sở Du lịch hoàn thành việc số hóa hồ sơ lễ hội trong quý 3 năm 2027.", "2027-Q3", "by"),
     ("UBND cấp xã rà soát dữ liệu dân cư trên địa bàn trong quý IV/2027.", "2027-Q4", "by"),
     ("Ban Điều phối tổ chức sơ kết 6 tháng đầu năm vào tháng 7/2027.", "2027-07", "by"),
     ("Hệ thống mới được vận hành thử từ quý II/2027.", "2027-Q2", "from"),
     ("The Tourism Department must finish the survey before Q3 2027.", "2027-Q3", "by")],
)
def test_a_sentence_gives_a_deadline_by_quarter_or_month_when_a_body_has_a_duty_then(text: str, date: str, role: str):
    [deadline] = facts_of(text, "en" if text.startswith("The") else "vi", "deadline")
    assert (deadline.date, deadline.date_role) == (date, role) and verify(deadline).verified


@pytest.mark.parametrize("text", [
    "Trong quý I/2027, tỉnh đã hoàn thành kết nối 45 hệ thống thông tin.",  # done: no duty, no cue
    "Thực hiện Kế hoạch số 88/KH-UBND tháng 3/2027 của UBND tỉnh, Sở Du lịch tổng hợp số liệu.",  # a document's month
    "Sở Du lịch trích lập Quỹ 2 tỷ đồng cho số hóa.",  # a fund ("quỹ"), no quarter
])
def test_no_deadline_from_a_done_quarter_a_documents_month_or_a_fund(text: str):
    assert facts_of(text, "vi", "deadline") == []

