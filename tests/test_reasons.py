"""Reasons a check gives: one registry of templates, read back exactly, shown in the interface language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answer.citations import check_claim
from assistant.answer.events import SentenceEvent
from assistant.answer.renderings import figure_mismatches
from assistant.facts.model import Evidence, Fact
from assistant.facts.verify import verify
from assistant.reasons import TEMPLATES, code_of, parse, reason
from assistant.web.glance_view import evidence_panel
from assistant.web.i18n import reason_text
from assistant.web.sources import draft_block

REPO = Path(__file__).resolve().parents[1]
FIELD = re.compile(r"{(\w+)}")
ONE_WORD = {"word", "there", "number"}  # other_label's label word and numbers: one token each, as written


def sample(code: str) -> dict[str, str]:
    """Distinct values for each field, shaped like real ones (a date, a name with spaces, a nested reason)."""
    values = {}
    for k, name in enumerate(dict.fromkeys(FIELD.findall(TEMPLATES[code]))):
        if name == "problem":
            values[name] = reason("date_absent", date="2027-03-31")
        elif name == "problems":
            values[name] = "; ".join([reason("value_missing", value="31/3"), reason("actor_missing")])
        elif name in ONE_WORD:
            values[name] = f"Nhóm{k}"
        else:
            values[name] = f"Sở Du lịch {k} 2027"
    return values


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_reason_reads_back_as_its_code_and_fields(code: str) -> None:
    fields = sample(code)
    assert not {"lang", "key"} & set(fields), "t(lang, key, **fields) takes these names itself"
    assert parse(reason(code, **fields)) == (code, fields)


def test_other_text_is_no_reason_and_unknown_codes_fail() -> None:
    assert parse("the model had a bad day") is None and code_of("") is None
    with pytest.raises(KeyError):
        reason("no_such_code")


def test_every_code_is_used_and_every_use_is_known() -> None:
    used = set()
    for path in (REPO / "assistant").rglob("*.py"):
        for first in re.findall(r"""\breason\(([^,()]*)[,)]""", path.read_text()):  # the code argument
            used |= set(re.findall(r'"(\w+)"', first))
    assert used == set(TEMPLATES), (sorted(used - set(TEMPLATES)), sorted(set(TEMPLATES) - used))


def test_the_checks_give_reasons_from_the_registry() -> None:
    claim = check_claim("Sở Du lịch hoàn thành trước 31/3/2027 [2].", ["Sở Du lịch hoàn thành trước 30/6/2027."],
                        [{"date:06-30", "year:2027"}])  # fmt: skip
    assert claim.problems and all(code_of(p) for p in claim.problems), claim.problems
    assert {code_of(p) for p in figure_mismatches("Hạn chót 30/6/2027.", "Deadline 31 March 2027.")} == {
        "value_missing", "value_added"}
    fact = Fact(id="f1", kind="deadline", text="Sở Du lịch báo cáo trước 30/6/2027.", language="vi",
                date="2027-06-30", actor="Ban Điều phối",
                evidence=[Evidence(source="a.pdf", quote="Sở Du lịch báo cáo trước 31/3/2027.")])  # fmt: skip
    checked = verify(fact)
    assert not checked.verified and {code_of(p) for p in checked.problems} == {"in_source", "actor_not_quoted"}


def test_reasons_are_shown_in_the_interface_language() -> None:
    nested = reason("in_source", problem=reason("date_absent", date="2027-06-30"), source="a.pdf")
    assert reason_text("vi", nested) == "không nêu ngày 2027-06-30 (trong a.pdf)"
    assert reason_text("en", nested) == nested
    dropped = reason("rendering_dropped", language="en", problems="; ".join([reason("value_missing", value="30/6"),
                                                                            reason("actor_missing")]))  # fmt: skip
    assert reason_text("vi", dropped) == "đã bỏ bản dịch Tiếng Anh: thiếu 30/6; thiếu chủ thể"
    assert reason_text("en", dropped) == "English rendering dropped: 30/6 is missing; actor missing"
    role = reason("date_role", date="30/6/2027", passage_role="end", claim_role="start")
    assert reason_text("vi", role) == "30/6/2027 là ngày kết thúc trong đoạn trích, nhưng là ngày bắt đầu trong câu trả lời"
    assert reason_text("vi", "Lỗi khác") == "Lỗi khác"


def test_the_draft_tooltip_and_the_facts_panel_give_reasons_in_vietnamese() -> None:
    problem = reason("figure_absent", figure="date:03-31")
    html = draft_block("vi", "Sở Du lịch hoàn thành trước 31/3/2027 [1].",
                       [SentenceEvent("Sở Du lịch hoàn thành trước 31/3/2027 [1].", 43, False, (problem,))])  # fmt: skip
    assert "03-31 không có trong các đoạn được trích dẫn" in html and "date:" not in html and problem not in html
    fact = Fact(id="f1", kind="deadline", text="Báo cáo trước 30/6/2027.", language="vi", date="2027-06-30",
                verified=False, problems=[reason("no_evidence")])  # fmt: skip
    panel = evidence_panel("vi", fact)
    assert "không có bằng chứng" in panel and "no evidence" not in panel
    assert "no evidence" in evidence_panel("en", fact)
