"""Key extraction (dates, numbers, codes) across the corpus and question languages."""

from __future__ import annotations

import pytest

from assistant.retrieval.keys import extract_keys


@pytest.mark.parametrize(
    "text",
    ["1 July", "July 1st", "1/7", "1/7/2025", "ngày 1 tháng 7", "1 липня", "1-го липня", "1 июля", "1. Juli",
     "1 de julio", "1 de julho", "1º de julho", "1° de julho", "1.º de julho", "1.° de julio", "1er juillet",
     "1.7.2025", "a partir de 1º de julho de 2025"],
)
def test_first_of_july_gives_one_date_key_in_every_language(text: str) -> None:
    assert "date:07-01" in extract_keys(text)
    assert "num:1" not in extract_keys(text)


@pytest.mark.parametrize(
    "text",
    ["1.000 hồ sơ", "1.000 registos", "1.000 Datensätze", "1 000 записів", "1\u00a0000 записей",
     "1\u202f000 записів", "1,000 records", "1000 записів", "au moins 1 000 dossiers"],
)
def test_thousands_separators_of_every_language_give_one_number(text: str) -> None:
    keys = extract_keys(text)
    assert "num:1000" in keys
    assert not {"num:1", "num:0"} & keys


@pytest.mark.parametrize(
    ("text", "key"),
    [("3.321 xã", "num:3321"), ("3.321 Gemeinden", "num:3321"), ("1.000.000", "num:1000000"),
     ("12.345,67 €", "num:12345.67"), ("12,345.67 USD", "num:12345.67"), ("1 000,5", "num:1000.5"),
     ("1,5 lần", "num:1.5"), ("1.5 times", "num:1.5"), ("1.50", "num:1.5"), ("0,125", "num:0.125"),
     ("100 %", "num:100%"), ("1.000%", "num:1000%")],
)
def test_grouped_and_decimal_numbers(text: str, key: str) -> None:
    assert key in extract_keys(text)


def test_a_bare_dotted_day_month_is_both_a_date_and_a_decimal() -> None:
    # "1.5" is 1 May in German/Russian and 1.5 elsewhere; a year makes it a date only.
    assert {"date:05-01", "num:1.5"} <= extract_keys("1.5")
    # Its year, month and quarter are mentions too.
    assert extract_keys("1.7.2025") == {"date:07-01", "month:07", "quarter:3", "quarter:2025-3", "year:2025"}


def test_codes_stay_intact_and_neighbouring_numbers_do_not_merge() -> None:
    keys = extract_keys("Công văn 15662-CV/VPTW ngày 26/6/2025; Plano nº 02-KH/BCĐTW")
    assert {"code:15662-cv/vptw", "code:2-kh/bcdtw", "date:06-26"} <= keys
    assert not any(k.startswith("num:") for k in keys)
    # A four-digit year is no thousands group: "2025 100 %" stays a year and a percentage.
    assert {"date:06-30", "year:2025", "num:100%"} <= extract_keys("bis zum 30. Juni 2025 100 % der Verfahren")
    assert "num:2100%" not in extract_keys("bis zum 30. Juni 2025 100 % der Verfahren")


def test_lists_and_versions_are_not_read_as_one_number() -> None:
    assert not any(k.startswith("num:") for k in extract_keys("v1.2.3"))
    assert "num:1000.5" not in extract_keys("1.000.5")


def test_a_lists_own_identifiers_are_codes_and_a_dates_year_is_a_year() -> None:
    assert "code:ct05" in extract_keys("Mã chỉ tiêu: CT05; Giá trị: 12")
    assert "code:dl12" in extract_keys("the task (DL12) of the plan")
    assert not {k for k in extract_keys("ISO27001, ct05, A1, COVID-19") if k.startswith("code:")}
    assert "year:2026" in extract_keys("trước ngày 30/6/2026") and "year:2026" in extract_keys("by the middle of 2026")


@pytest.mark.parametrize(
    "text",
    ["trong tháng 10/2027", "tháng 10 năm 2027", "tháng 10", "in October 2027", "im Oktober 2027", "en octubre de 2027",
     "у жовтні 2027", "до жовтня 2027", "в октябре 2027", "ngày 15/10/2027", "15 October 2027"],
)
def test_a_month_is_a_key_with_or_without_its_day(text: str) -> None:
    assert "month:10" in extract_keys(text)


def test_a_month_named_without_a_day_is_asked_and_a_dates_month_is_not() -> None:
    from assistant.retrieval.keys import asked_keys

    assert {"month:10", "year:2027"} <= asked_keys("Trong tháng 10/2027 Sở Du lịch tổ chức bao nhiêu lớp?")
    assert "month:03" not in asked_keys("Phải nộp trước ngày 14/3/2027?")  # the date asks for itself
    assert "month:03" not in asked_keys("A etapa vai até 14 de março de 2027?")
    assert "month:03" in asked_keys("Tháng 3/2027 hay ngày 14/3/2027?")
    # Words that begin like a month's short name are no month; a bare decimal names no May.
    assert not any(k.startswith("month:") for k in extract_keys("Decision 2027 on 1.5 million records"))


@pytest.mark.parametrize(
    "text",
    ["Thời hạn: Quý III/2027", "trong quý 3 năm 2027", "Quý III năm 2027", "Q3/2027", "Q3 2027", "q3-2027",
     "in the third quarter of 2027", "3rd quarter, 2027", "trước 30/9/2027", "ngày 01/7/2027", "tháng 8/2027",
     "tháng 9 năm 2027", "in August 2027"],
)
def test_a_quarter_is_a_key_named_or_as_a_months_or_a_dates(text: str) -> None:
    keys = extract_keys(text)
    assert {"quarter:3", "quarter:2027-3", "year:2027"} <= keys, keys


def test_a_quarters_numerals_are_no_month_count_or_label_and_only_a_named_quarter_is_asked() -> None:
    from assistant.answer.text import small_numbers
    from assistant.retrieval.dates import without_quarters
    from assistant.retrieval.keys import asked_keys

    assert "month:03" not in extract_keys("Q3/2027")  # no March
    assert "num:3" not in extract_keys("trong quý 3 năm 2027") and small_numbers("trong quý 3 năm 2027") == set()
    assert extract_keys("Quý IV") == {"quarter:4"}  # without its year, any fourth quarter
    assert not any(k.startswith("quarter:") for k in extract_keys("Quỹ 2 nghìn tỷ; Phụ lục I; quy định 3; Q3"))
    # A question asks for the quarter it names, with its year; its dates' and months' quarters are the dates'.
    assert asked_keys("Nhiệm vụ nào hoàn thành trong quý II/2028?") == {"quarter:2028-2", "year:2028"}
    assert asked_keys("Việc gì phải xong trong quý II?") == {"quarter:2"}
    assert not any(k.startswith("quarter:") for k in asked_keys("Phải nộp trước ngày 30/9/2027 hay tháng 8/2027?"))
    assert without_quarters("trong quý 2 năm 2027?") == "trong" + " " * 15 + "?"


@pytest.mark.parametrize(("text", "year"), [("by mid-2027", "2027"), ("the end-2028 target", "2028"),
                                            ("quý IV/2027", "2027"), ("trong tháng 10/2027", "2027")])
def test_a_year_joined_to_a_word_or_a_month_is_a_year(text: str, year: str) -> None:
    assert f"year:{year}" in extract_keys(text)
    # A legal document's year belongs to its code.
    assert not any(k.startswith("year:") for k in extract_keys("Nghị định 27/2031/NĐ-CP"))


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Mỗi quầy có 02 máy quét và 01 máy tính.", {"num:2", "num:1"}),  # two scanners and a computer
        ("Sàn thương mại điện tử 2025", {"year:2025"}),  # commerce, not May 2025
        # "mai" and "may" are Vietnamese words as written: tomorrow, a given name, luck
        ("Báo cáo gửi trước ngày mai 15 giờ.", {"num:15"}),  # tomorrow at 15:00, not 15 May
        ("Bao cao gui truoc ngay mai 15 gio.", {"num:15"}),  # typed without marks: read as no language
        ("Bà Nguyễn Thị Mai 15 năm công tác tại xã.", {"num:15"}),
        ("Chúc may mắn 2 lần trong năm.", {"num:2"}),
        ("Am 15. Mai 2025.", {"date:05-15", "month:05", "quarter:2", "quarter:2025-2", "year:2025"}),
        ("by 2 May 2025", {"date:05-02", "month:05", "quarter:2", "quarter:2025-2", "year:2025"}),
        ("le 1er février", {"date:02-01", "month:02", "quarter:1"}),
        ("am 5. März", {"date:03-05", "month:03", "quarter:1"}),
        ("até 5 de março", {"date:03-05", "month:03", "quarter:1"}),
        ("le 3 août", {"date:08-03", "month:08", "quarter:3"}),
        ("до 26 травня", {"date:05-26", "month:05", "quarter:2"}),
    ],
)
def test_a_word_that_folds_to_a_month_name_is_one_only_when_written_as_a_month(text: str, keys: set[str]) -> None:
    assert extract_keys(text) == keys
