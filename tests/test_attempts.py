"""The answer policy's acceptance check, table-driven (reply -> verdict), and the attempts an answer records."""

from __future__ import annotations

import pytest
from test_answer import BrokenModel, answerer, fake

from assistant.answer import attempts as policy
from assistant.answer.attempts import (
    BLANK_LEFT,
    DECLINED,
    ECHO,
    LANGUAGE,
    NO_FIGURE,
    NO_VERIFIED_CLAIM,
    UNSUPPORTED,
    reply_problems,
)
from assistant.types import Answer, Timings

# The sample passages are Portuguese, German and Russian and no embedding model runs here: the
# sample glossary (data) bridges the question's words, as in tests/test_answer.py.
pytestmark = pytest.mark.usefixtures("sample_glossary")
QUESTION = "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày nào?"


def reply(text: str, verified: int = 1, notice: str | None = None, claims: int = 1) -> Answer:
    return Answer(question=QUESTION, answer=text, refused=False, language="vi", mode="local",
                  timings=Timings(retrieval_ms=1.0, total_ms=2.0), claims=claims, verified_claims=verified,
                  notice=notice)  # fmt: skip


CASES = [
    # (reply as checked, or None for a declined one; cloze frame; reasons)
    (None, None, [DECLINED]),
    (reply("Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 [1]."), None, []),
    (reply("Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 [1].", verified=0), None, [NO_VERIFIED_CLAIM]),
    (  # one claim of two checks out: a half-checked reply is turned down, the next step may give a whole one
        reply("Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 [1]. Cơ quan chủ trì là Sở Du lịch [2].", claims=2),
        None,
        [UNSUPPORTED],
    ),
    (reply("Giai đoạn cấp bách kéo dài đến ngày ___ [1]."), None, [BLANK_LEFT, ECHO, NO_FIGURE]),
    (reply("Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày nào đó [1]."), None, [ECHO, NO_FIGURE]),
    (reply("The urgent phase lasts until 30 June 2025 [1].", notice="not in Vietnamese"), None, [LANGUAGE]),
    (
        reply("Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày a fase urgente vai até 30 de junho de 2025 e "
              "elimina gargalos institucionais [1]."),
        "Giai đoạn cấp bách của Kế hoạch 02 kéo dài đến ngày ___.",
        [LANGUAGE],
    ),
]


@pytest.mark.parametrize(("answer", "frame", "reasons"), CASES)
def test_reply_verdicts(answer: Answer | None, frame: str | None, reasons: list[str]) -> None:
    assert reply_problems(QUESTION, "vi", answer, frame) == reasons


PARTS = [
    # (question, reply without its markers, gives every figure asked for); invented bodies and numbers
    ("Sự cố kéo dài bao lâu thì phải báo cáo?", "Mọi sự cố đều được ghi vào sổ theo dõi.", False),
    ("Sự cố kéo dài bao lâu thì phải báo cáo?", "Sự cố kéo dài từ 20 phút trở lên phải báo cáo.", True),
    ("Hồ sơ được gửi bù trong thời hạn bao lâu?", "Hồ sơ được gửi bù trong 02 ngày làm việc.", True),
    ("Phải báo cho ai và chậm nhất sau bao lâu?", "Báo cho Ban Điều phối.", False),
    ("Phải báo cho ai và chậm nhất sau bao lâu?", "Báo cho Ban Điều phối, không quá 02 giờ.", True),
    ("How quickly must an outage be fixed?", "Outages are fixed by the duty officer.", False),
    ("How quickly must an outage be fixed?", "Within 45 minutes.", True),
    ("When is the plan due, and how many staff must be trained?", "By 30/9/2025.", False),
    ("When is the plan due, and how many staff must be trained?", "By 30/9/2025, with 320 staff trained.", True),
    ("By what date is the form due, and how many working days does the review take?", "By 12/5/2025.", False),
    ("By what date is the form due, and how many working days does the review take?",
     "By 12/5/2025; the review takes 12 working days.", True),
    ("Báo cáo phải gửi bao lâu một lần?", "Báo cáo được gửi hằng tuần.", True),  # how often: no figure needed
    ("Báo cáo phải gửi trước mấy giờ?", "Trước 15 giờ hằng ngày.", True),  # what time, not how long
]


@pytest.mark.parametrize(("question", "text", "gives"), PARTS)
def test_a_reply_gives_every_figure_the_question_asks_for(question: str, text: str, gives: bool) -> None:
    from assistant.answer.answer_types import gives_asked_figure

    assert gives_asked_figure(question, text) is gives


def test_an_extractive_answer_records_its_one_step() -> None:
    answer = answerer(None)[0].ask(QUESTION)
    assert [(a.step, a.accepted) for a in answer.attempts] == [("quotes", True)]
    assert answer.timings.first_verified_ms is not None and answer.verified_claims >= 1


def test_a_refusal_records_why() -> None:
    answer = answerer(None)[0].ask("Kế hoạch 99-KH/XYZ ban hành ngày nào?")
    assert answer.refused and answer.attempts[0].step == "gate" and "99-kh/xyz" in answer.attempts[0].reasons[0]
    assert answer.timings.first_verified_ms is None


def test_a_backend_failure_falls_back_to_quotes_and_is_on_record() -> None:
    answer = answerer(BrokenModel())[0].ask(QUESTION)
    assert answer.mode == "extractive" and answer.notice
    assert answer.attempts[0].step == "answer" and "model unavailable" in answer.attempts[0].reasons[0]
    assert answer.attempts[-1].step == "quotes"


def test_a_bug_in_our_own_checks_is_not_reported_as_an_unavailable_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list[str]:
        raise ZeroDivisionError("a bug in a check")

    monkeypatch.setattr("assistant.answer.pipeline.reply_problems", broken)
    with pytest.raises(ZeroDivisionError):
        answerer(fake("Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 [1]."))[0].ask(QUESTION)


def test_each_model_step_is_declared() -> None:
    assert [s.name for s in policy.MODEL_STEPS] == ["answer", "compose", "cloze"]
    assert [s.strong_only for s in policy.MODEL_STEPS] == [False, True, True]


def test_each_sentence_is_checked_while_the_reply_streams() -> None:
    from assistant.answer import DiscardEvent, SentenceEvent, TokenEvent

    wrong = "Giai đoạn cấp bách kéo dài đến ngày 31/7/2025 [1]. Kế hoạch có 77 nhiệm vụ [1]."
    right = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 [1]. Giai đoạn này xóa bỏ các điểm nghẽn thể chế [1]."
    events = list(answerer(fake(wrong, right))[0].stream(QUESTION))
    kinds = [type(e).__name__ for e in events if not isinstance(e, TokenEvent)]
    checked = [e for e in events if isinstance(e, SentenceEvent)]
    assert checked[0].text.startswith("Giai đoạn cấp bách kéo dài đến ngày 31/7/2025") and not checked[0].verified
    assert any("07-31" in p for p in checked[0].problems), checked[0].problems
    assert kinds.index("DiscardEvent") < len(kinds) - 1 and checked[-1].verified, "then the retry's sentence verifies"
    draft = "".join(e.text for e in events[: events.index(checked[0])] if isinstance(e, TokenEvent))
    assert draft[: checked[0].end].endswith(checked[0].text), "the offset points into the streamed draft"
    assert isinstance(events[-1].answer.attempts[0].reasons, list) and any(isinstance(e, DiscardEvent) for e in events)


def test_a_half_checked_reply_gives_way_to_the_next_step() -> None:
    half = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 [1]. Kế hoạch có 77 nhiệm vụ [1]."
    whole = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025 [1]."
    answer = answerer(fake(half, whole, whole))[0].ask(QUESTION)
    assert answer.attempts[0].step == "answer" and answer.attempts[0].reasons == [UNSUPPORTED]
    assert answer.attempts[-1].accepted and answer.verified_claims == answer.claims >= 1
    assert "77" not in answer.answer
