"""The support check, table-driven: (claim, passage) -> verified or the reason it is not.

The similarity is faked (every sentence alike, or a fixed cosine) to isolate each rule; the real
embedding model is measured by ``tests/test_claims_gate.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from support_fakes import AGREEING

from assistant.answer.support import SupportChecker
from assistant.language import date_roles, negated, ordered_pairs
from assistant.types import Context


def ctx(text: str, language: str) -> Context:
    return Context(rank=1, source="s.txt", title="s", text=text, score=1.0, language=language)


ROW = ("STT: 1; Nhiệm vụ: Ban hành Quy chế hoạt động của Tổ công tác; Cơ quan chủ trì: Sở Khoa học và Công nghệ; "
       "Cơ quan phối hợp: Sở Nội vụ; Thời hạn: 2025-06-15")  # fmt: skip
PHASES = "Giai đoạn 2 – Triển khai diện rộng (từ 01/9/2025 đến 30/4/2026)."
DE = "Der Leiter muss die volle Verantwortung übernehmen und darf sie nicht an Fachabteilungen delegieren."

COUNTED = "Số liệu được tính từ 16 giờ ngày làm việc liền trước đến 16 giờ ngày báo cáo."
STAGES = ("Giai đoạn triển khai diện rộng tập trung rà soát quy trình, tổ chức kiểm tra chéo và đối soát dữ liệu.\n"
          "Giai đoạn 3 – Hoàn thiện (từ 01/5/2026)")  # fmt: skip
SENT = "Ban Điều phối tổng hợp và nhận báo cáo trước 17 giờ 30 hằng ngày."
VISITS = "Ngày: 04/10/2027; Đơn vị: Điểm du lịch Hồ Xanh; Lượt khách: 120; Giờ gửi: 09:15 ngày 05/10/2027"
GROUPS = "Nhiệm vụ: Sơ kết Nhóm 1 các điểm du lịch hai tuyến; Cơ quan chủ trì: Sở Du lịch; Hạn: 10/10/2027"
CLASSES = "Trong năm 2027, Sở Du lịch mở tối thiểu 04 lớp hướng dẫn viên, mỗi lớp không quá 40 học viên."
DUTIES = ("• Sở Du lịch: chủ trì khảo sát điểm du lịch.\n"
          "• Sở Giao thông: chủ trì lập bản đồ tuyến.")  # fmt: skip
LISTED = ("STT: 3; Tên thủ tục: Đăng ký cơ sở lưu trú; Cấp thực hiện: Cấp xã; Cơ quan chủ trì: Sở Du lịch; "
          "Cơ quan phối hợp: Sở Giao thông; Công an tỉnh; Phi địa giới: Không")  # fmt: skip
MEASURES = ("STT: 2; Tình huống: Quá tải khách; Biện pháp: Mở thêm cổng; Thời gian: Trong ngày; "
            "Người chịu trách nhiệm: Giám đốc Ban Quản lý điểm du lịch Hồ Xanh")  # fmt: skip
RU = "Все должны понимать, что это основная политическая задача, а не работа конкретного сектора."

CASES = [
    # (claim, passage, passage language, verified, a word of the reason)
    ("Giai đoạn 2 – Triển khai diện rộng (từ 01/9/2025 đến 30/4/2026).", PHASES, "vi", True, None),
    ("Giai đoạn triển khai diện rộng kết thúc ngày 30/4/2026.", PHASES, "vi", True, None),
    ("Giai đoạn triển khai diện rộng kết thúc ngày 01/9/2025.", PHASES, "vi", False, "start"),
    ("Giai đoạn triển khai diện rộng kết thúc ngày 30/4/2025.", PHASES, "vi", False, "year"),
    ("Sở Khoa học và Công nghệ chủ trì ban hành Quy chế hoạt động của Tổ công tác, hạn 15/6/2025.", ROW, "vi",
     True, None),
    ("Sở Nội vụ chủ trì ban hành Quy chế hoạt động của Tổ công tác, hạn 15/6/2025.", ROW, "vi", False, "row"),
    ("Người đứng đầu có thể giao việc này cho các phòng chuyên môn.", DE, "de", False, "negate"),
    ("Người đứng đầu không được giao việc này cho các phòng chuyên môn.", DE, "de", True, None),
    ("Ban Chỉ đạo họp thường kỳ mỗi quý hai lần.", "Ban Chỉ đạo họp thường kỳ mỗi quý một lần.", "vi", False, "2"),
    ("Nhóm hạ tầng số có tối đa 25 điểm.", "Bộ chỉ số gồm: hạ tầng số (20 điểm), dữ liệu số (25 điểm).", "vi",
     False, "gives 20"),
    ("Reports are due by 4 p.m. every day.", "Báo cáo gửi trước 16 giờ hằng ngày.", "vi", True, None),
    ("Reports are due by 5 p.m. every day.", "Báo cáo gửi trước 16 giờ hằng ngày.", "vi", False, "17"),
    # A range or a contrast turned round keeps every word and figure: only the order tells.
    ("Số liệu được tính từ 16 giờ ngày báo cáo đến 16 giờ ngày làm việc tiếp theo.", COUNTED, "vi", False, "round"),
    ("Số liệu được tính từ 16 giờ ngày làm việc liền trước đến 16 giờ ngày báo cáo.", COUNTED, "vi", True, None),
    ("Это работа конкретного сектора, а не основная политическая задача.", RU, "ru", False, "round"),
    ("Это основная политическая задача, а не работа одного сектора.", RU, "ru", True, None),
    # A claim that names another phase than its sentence, where the passage lists the phases.
    ("Việc kiểm tra chéo được tổ chức trong giai đoạn hoàn thiện.", STAGES, "vi", False, "another item"),
    ("Việc kiểm tra chéo được tổ chức trong giai đoạn triển khai diện rộng.", STAGES, "vi", True, None),
    # Without a sibling that begins alike, a different ending is a paraphrase, not another item.
    ("Việc kiểm tra chéo được tổ chức trong giai đoạn hoàn thiện.", STAGES.split("\n", 1)[0], "vi", True, None),
    # A time of day is checked with its minutes, whichever way it is written; a time stated in the sentence
    # before it ("từ 16 giờ …") does not stand in for the one the claim gives.
    ("Ban Điều phối nhận báo cáo trước 16 giờ 30 hằng ngày.", f"{COUNTED} {SENT}", "vi", False, "16:30"),
    ("Ban Điều phối nhận báo cáo trước 17:30 hằng ngày.", f"{COUNTED} {SENT}", "vi", True, None),
    ("The Coordination Board receives the reports by 5:30 p.m. every day.", SENT, "vi", True, None),
    ("Điểm du lịch gửi số liệu lúc 08:00 ngày 05/10/2027.", VISITS, "vi", False, "08:00"),
    ("Điểm du lịch gửi số liệu lúc 09:15 ngày 05/10/2027.", VISITS, "vi", True, None),
    # A number labelled by the word before it ("Nhóm 2", "năm 2027") is not another one labelled alike, even
    # where the claim's number occurs elsewhere in the sentence ("hai tuyến").
    ("Sở Du lịch sơ kết Nhóm 2 các điểm du lịch hai tuyến, hạn 10/10/2027.", GROUPS, "vi", False, "gives Nhóm 1, not Nhóm 2"),
    ("Sở Du lịch sơ kết Nhóm 1 các điểm du lịch hai tuyến, hạn 10/10/2027.", GROUPS, "vi", True, None),
    ("Trong năm 2028, Sở Du lịch mở tối thiểu 04 lớp hướng dẫn viên.", CLASSES, "vi", False, "gives năm 2027, not năm 2028"),
    ("Trong năm 2027, Sở Du lịch mở tối thiểu 04 lớp hướng dẫn viên.", CLASSES, "vi", True, None),
    ("Mỗi lớp không quá 40 học viên trong năm 2027 và không quá 45 học viên trong năm 2028.",
     f"{CLASSES}\nTrong năm 2028, mỗi lớp không quá 45 học viên.", "vi", True, None),
    # A duty the sentence gives its own body is not another body's; a claim naming both bodies joins two duties.
    ("Sở Giao thông chủ trì khảo sát điểm du lịch.", DUTIES, "vi", False, "gives this to Sở Du lịch"),
    ("Sở Du lịch chủ trì khảo sát điểm du lịch.", DUTIES, "vi", True, None),
    ("Sở Du lịch chủ trì khảo sát điểm du lịch, Sở Giao thông lập bản đồ tuyến.", DUTIES, "vi", True, None),
    # A table row: a yes/no column answers its own header, a cell may list several bodies, and a measure from
    # another column is what the row says, not a rival body.
    ("Thủ tục đăng ký cơ sở lưu trú do Sở Du lịch chủ trì, thực hiện ở cấp xã.", LISTED, "vi", True, None),
    ("Thủ tục đăng ký cơ sở lưu trú không thực hiện phi địa giới.", LISTED, "vi", True, None),
    ("Thủ tục đăng ký cơ sở lưu trú thực hiện phi địa giới.", LISTED, "vi", False, "negate"),
    ("Sở Giao thông chủ trì thủ tục đăng ký cơ sở lưu trú.", LISTED, "vi", False, "the row gives Sở Du lịch"),
    ("Khi quá tải khách, người chịu trách nhiệm mở thêm cổng trong ngày là Giám đốc Ban Quản lý.", MEASURES, "vi", True,
     None),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "passage", "language", "verified", "reason"), CASES)
def test_support_verdicts(claim: str, passage: str, language: str, verified: bool, reason: str | None) -> None:
    support = AGREEING.check(claim, [ctx(passage, language)])
    assert support.supported is verified, support.reasons
    if reason is not None:
        assert any(reason in r for r in support.reasons), support.reasons


GROUP = "Рабочая группа по реализации Плана № 02 собирается ежемесячно и докладывает Руководящему комитету."
ANNEXES = "Sổ tay có 3 phụ lục kèm theo."
LEADER = "Người đứng đầu không được giao khoán việc chuyển đổi số."
YES_NO = [
    # (question, claim, passage, passage language, verified): a yes asserts the question's premise.
    ("Отменён ли План № 02?", "Да, План № 02 отменён.", GROUP, "ru", False),
    ("Собирается ли рабочая группа Плана № 02 ежемесячно?", "Да, рабочая группа Плана № 02 собирается ежемесячно.",
     GROUP, "ru", True),
    ("Sổ tay có phụ lục kèm theo không?", "Có, Sổ tay có phụ lục kèm theo.", ANNEXES, "vi", True),
    ("Sổ tay có mẫu biểu kèm theo không?", "Có, Sổ tay có mẫu biểu kèm theo.", ANNEXES, "vi", False),
    ("Người đứng đầu có được giao khoán không?", "Không, người đứng đầu không được giao khoán.", LEADER, "vi", True),
]  # fmt: skip


@pytest.mark.parametrize(("question", "claim", "passage", "language", "verified"), YES_NO)
def test_a_yes_no_answer_needs_the_question_words_in_the_passage(
    question: str, claim: str, passage: str, language: str, verified: bool
) -> None:
    support = AGREEING.check(claim, [ctx(passage, language)], question)
    assert support.supported is verified, support.reasons
    if not verified:
        assert any("does not say what the question asks" in r for r in support.reasons), support.reasons


CONTACT = "Đơn vị: Sở Giao thông; Người đầu mối: Trần Văn An; Điện thoại: 0200 555 0001"
ASKED_BODY = [
    # (question, its translations, claim, passage, passage language, verified): the sentence must be about
    # the body the question asks about, when it names another of that kind.
    ("Người đầu mối của Sở Du lịch là ai?", (), "Người đầu mối của Sở Du lịch là Trần Văn An.", CONTACT, "vi", False),
    ("Người đầu mối của Sở Giao thông là ai?", (), "Người đầu mối của Sở Giao thông là Trần Văn An.", CONTACT, "vi",
     True),
    # Asked in English: the rewriter's translation names the body in the passage's language.
    ("Who is the contact at the Department of Tourism?", ("Người đầu mối của Sở Du lịch là ai?",),
     "The contact at the Department of Tourism is Trần Văn An.", CONTACT, "vi", False),
    ("Who is the contact at the Department of Transport?", ("Người đầu mối của Sở Giao thông là ai?",),
     "The contact at the Department of Transport is Trần Văn An.", CONTACT, "vi", True),
    # Without a translation nothing is read across languages.
    ("Who is the contact at the Department of Tourism?", (), "The contact at the Department of Tourism is Trần Văn An.",
     CONTACT, "vi", True),
    # A longer or shorter form of the asked body, or one sharing a word after the head, is that body.
    ("Ban Điều phối tỉnh họp khi nào?", (), "Ban Điều phối tỉnh họp mỗi quý.",
     "Ban Điều phối dữ liệu tỉnh họp mỗi quý.", "vi", True),
    # A sentence naming no body of that kind says nothing against it.
    ("Sở Du lịch phải làm gì?", (), "Sở Du lịch phải gửi báo cáo hằng tháng.", "Các đơn vị phải gửi báo cáo hằng tháng.",
     "vi", True),
]  # fmt: skip


@pytest.mark.parametrize(("question", "wordings", "claim", "passage", "language", "verified"), ASKED_BODY)
def test_the_sentence_is_about_the_body_the_question_asks_about(
    question: str, wordings: tuple[str, ...], claim: str, passage: str, language: str, verified: bool
) -> None:
    support = AGREEING.check(claim, [ctx(passage, language)], question, wordings)
    asked_about = [r for r in support.reasons if "the question asks about" in r]
    assert bool(asked_about) is not verified, support.reasons


def test_the_asked_body_rule_can_be_turned_off() -> None:
    from assistant.settings import SupportSettings

    off = SupportChecker(AGREEING.similarity, SupportSettings(asked_actor=False))
    question, _, claim, passage, language, _ = ASKED_BODY[0]
    assert not [r for r in off.check(claim, [ctx(passage, language)], question).reasons if "asks about" in r]


def test_a_quote_is_supported_whatever_the_model_says() -> None:
    far = SupportChecker(lambda claim, items: np.zeros(len(items), dtype=np.float32))
    assert far.check("- Giai đoạn 2 – Triển khai diện rộng (từ 01/9/2025 đến 30/4/2026)", [ctx(PHASES, "vi")]).how == "quoted"
    assert not far.check("Giai đoạn 2 bắt đầu 01/9/2025.", [ctx(PHASES, "vi")]).supported
    assert not far.check("Giai đoạn 2.", [ctx(PHASES, "vi")]).supported, "a two-word piece is no quote"


def test_similarity_thresholds_depend_on_language_and_anchors() -> None:
    def fixed(value: float) -> SupportChecker:
        return SupportChecker(lambda claim, items: np.full(len(items), value, dtype=np.float32))

    anchored, bare = "Die Frist endet am 30. Juni 2025.", "Die Frist ist verbindlich für alle."
    passage = [ctx("Срок истекает 30 июня 2025 года и обязателен для всех.", "ru")]
    assert fixed(0.87).check(anchored, passage).supported
    assert not fixed(0.87).check(bare, passage).supported, "no shared anchor: the higher floor applies"
    assert fixed(0.95).check(bare, passage).supported


def test_without_an_embedding_model_nothing_is_verified_across_languages() -> None:
    lexical = SupportChecker(None)
    assert not lexical.check("The urgent phase ends on 30 June 2025.", [ctx("Die Phase endet am 30. Juni 2025.", "de")]).supported
    same = "Giai đoạn 2 – Triển khai diện rộng kéo dài từ 01/9/2025 đến 30/4/2026."
    assert lexical.check(same, [ctx(PHASES, "vi")]).supported


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Người đứng đầu không được giao khoán.", "vi", True),
        ("Thời gian chạy song song không quá 30 ngày.", "vi", False),
        ("Không chỉ cấp tỉnh mà cả cấp xã.", "vi", False),
        ("The report is due no later than 30 June.", "en", False),
        ("The leader must not delegate.", "en", True),
        ("Decision No. 1234 applies.", "en", False),
        ("Der Leiter darf nicht delegieren.", "de", True),
        ("O prazo termina no dia 30.", "pt", False),
        ("Não é permitido delegar.", "pt", True),
        ("Керівник не може делегувати.", "uk", True),
        ("Отчет представляется не позднее 30 июня.", "ru", False),
        ("No se permite delegar.", "es", True),
        ("Das System läuft ohne Unterbrechung.", "de", True),  # "without" negates as "không gián đoạn" does
        ("O sistema funciona sem interrupção.", "pt", True),
    ],
)
def test_negation_in_each_language(text: str, language: str, expected: bool) -> None:
    assert negated(text, language) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("từ 01/9/2025 đến 30/4/2026", {"date:09-01": {"start"}, "date:04-30": {"end"}}),
        ("Die Phase (ab dem 1. Juli 2025) endet am 31. Dezember 2025.", {"date:07-01": {"start"}, "date:12-31": {"end"}}),
        ("Thời hạn hoàn thành: 2025-09-30", {"date:09-30": {"end"}}),
        ("(01/5/2025 – 31/8/2025)", {"date:05-01": {"start"}, "date:08-31": {"end"}}),
        ("o período de 1º de julho de 2025 até o final de 2025", {"date:07-01": {"start"}}),
        ("Ngày 30/6/2025 là mốc quan trọng.", {}),
    ],
)
def test_date_roles(text: str, expected: dict) -> None:
    assert date_roles(text) == expected


@pytest.mark.parametrize(
    ("text", "language", "pairs"),
    [
        ("Giai đoạn cấp bách từ ngày 01/7/2025 đến hết ngày 31/12/2025.", "vi",
         [("range", "ngay 01/7/2025", "het ngay 31/12/2025")]),
        ("The urgent phase runs from 1 July to 31 December 2025.", "en", [("range", "1 july", "31 december 2025")]),
        ("Sở Nội vụ chủ trì, chứ không phải Sở Tư pháp.", "vi", [("contrast", "so noi vu chu tri", "so tu phap")]),
        ("Das Amt leitet die Arbeit ab Juli bis Dezember.", "de", [("range", "juli", "dezember")]),
        ("Sở Nội vụ chủ trì việc này.", "vi", []),
    ],
)  # fmt: skip
def test_ordered_pairs_in_each_language(text: str, language: str, pairs: list) -> None:
    assert ordered_pairs(text, language) == pairs
