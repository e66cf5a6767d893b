"""A figure that its passage gives for something else than what was asked (assistant.answer.figure_fit)."""

from __future__ import annotations

import pytest

from assistant.answer.citations import check_claim
from assistant.answer.figure_fit import better_figures
from assistant.answer.text import figure_keys

# These tests use passages in the sample corpus's languages: its glossary (corpus/glossary.yaml) is in force.
pytestmark = pytest.mark.usefixtures("sample_glossary")

UK = (
    "Зокрема, передбачається забезпечення підтримки та ефективного надання 25 повноцінних онлайн-державних послуг, "
    "інтегрованих на Національному порталі державних послуг, для обслуговування людей та бізнесу; надання 982 "
    "онлайн-державних послуг із середньою кількістю записів кожної державної послуги, що генерує щонайменше "
    "1000 записів/рік/провінцію."
)
FULL_SERVICES = (
    "Kế hoạch 02 yêu cầu duy trì, cung cấp hiệu quả bao nhiêu dịch vụ công trực tuyến toàn trình "
    "tích hợp trên Cổng Dịch vụ công quốc gia?"
)
BUSY_SERVICES = (
    "Kế hoạch đặt mục tiêu cung cấp bao nhiêu dịch vụ công trực tuyến có số lượng hồ sơ trung bình mỗi dịch vụ "
    "tối thiểu 1.000 hồ sơ/năm/tỉnh?"
)
ES = (
    "El plan de implementación se divide en dos fases: la fase urgente (hasta el 30 de junio de 2025), centrada en "
    "eliminar los cuellos de botella; y la fase de avance, desde el 1 de julio de 2025 hasta el 31 de diciembre de 2025."
)


def test_the_figure_of_another_target_in_the_same_sentence_is_flagged() -> None:
    claim = "Kế hoạch 02 yêu cầu cung cấp hiệu quả 982 dịch vụ công trực tuyến toàn trình [1]."
    assert better_figures(claim, UK, FULL_SERVICES) == [("num:982", "num:25")]
    checked = check_claim(claim, [UK], [figure_keys(UK)], FULL_SERVICES)
    assert not checked.verified and "num:25" in checked.problems[0]


def test_the_figure_asked_for_is_not_flagged() -> None:
    assert better_figures("… cung cấp hiệu quả 25 dịch vụ công trực tuyến toàn trình [1].", UK, FULL_SERVICES) == []
    # the other question about the same sentence: 982 services with at least 1,000 records each
    claim = "Kế hoạch đặt mục tiêu cung cấp 982 dịch vụ công trực tuyến [1]."
    assert better_figures(claim, UK, BUSY_SERVICES) == []
    assert check_claim(claim, [UK], [figure_keys(UK)], BUSY_SERVICES).verified


def test_a_date_loses_only_to_a_date() -> None:
    question = "What must the urgent phase of Plan 02 achieve, and by when?"
    wrong = "The urgent phase must remove the bottlenecks by July 1, 2025 [1]."
    # "fase urgente" is the urgent phase: its clause holds 30 June
    assert better_figures(wrong, ES, question) == [("date:07-01", "date:06-30")]
    assert better_figures("The urgent phase runs until 30 June 2025 [1].", ES, question) == []


def test_without_the_question_nothing_is_compared() -> None:
    claim = "Kế hoạch 02 yêu cầu cung cấp hiệu quả 982 dịch vụ công trực tuyến toàn trình [1]."
    assert check_claim(claim, [UK], [figure_keys(UK)]).verified


def test_a_sentence_with_one_figure_has_no_rival() -> None:
    passage = "Der Plan wurde am 19. Juni 2025 vom Lenkungsausschuss veröffentlicht."
    assert (
        better_figures("Kế hoạch được ban hành ngày 19/6/2025 [1].", passage, "Kế hoạch được ban hành ngày nào?") == []
    )
