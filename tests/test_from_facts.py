"""The ``facts`` answer step on hand-made passages and facts (no model, no index)."""

from __future__ import annotations

from assistant.answer.contexts import Evidence as ContextEvidence
from assistant.answer.extractive import Candidate
from assistant.answer.from_facts import fact_answer
from assistant.facts.model import Evidence, Fact
from assistant.facts.verify import verify
from assistant.types import Context

SENTENCE = "Các sở gửi phương án chuyển đổi trước ngày 30/9/2025."
PASSAGE = "Mục 6.3. " + SENTENCE + " Sở Khoa học và Công nghệ thẩm định."
OTHER = "Die Frist für die Pläne endet am 30. September 2025."


def _evidence(sentence: str) -> list[ContextEvidence]:
    passage = PASSAGE.replace(SENTENCE, sentence)
    context = Context(rank=1, source="so-tay.pdf", title="Sổ tay", text=passage, score=1.0, page=8, language="vi")
    return [ContextEvidence(context=context, page=8)]


def _candidate(sentence: str, score: float) -> Candidate:
    start = PASSAGE.index(SENTENCE)
    return Candidate(index=0, start=start, end=start + len(sentence), text=sentence, score=score)


def _fact(date: str = "2025-09-30", role: str = "by", quotes: tuple[tuple[str, str], ...] = (("so-tay.pdf", SENTENCE),
          ("de.txt", OTHER))) -> Fact:  # fmt: skip
    evidence = [Evidence(source=s, title=s, quote=q, page=8 if s.endswith(".pdf") else None) for s, q in quotes]
    return verify(Fact(kind="deadline", date=date, date_role=role, text=SENTENCE, evidence=evidence)).with_id()


def ask(question: str, facts: list[Fact], conflicts: dict | None = None, score: float = 0.9,  # noqa: ANN201
        sentence: str = SENTENCE):  # fmt: skip
    candidates = [_candidate(sentence, score)]
    return fact_answer(question, _evidence(sentence), candidates, facts, conflicts or {}, "vi", min_score=0.5)


def test_the_fact_the_best_sentence_states_is_quoted_with_every_document_that_states_it():
    found = ask("Hạn gửi phương án chuyển đổi là ngày nào?", [_fact()])
    assert found is not None
    lines = found.text.splitlines()
    assert lines[1] == f"- {SENTENCE} [1]"
    assert lines[2] == "Cùng nội dung trong 1 tài liệu khác:"
    assert lines[3] == f"- {OTHER} [2]"
    assert [e.context.source for e in found.evidence] == ["so-tay.pdf", "de.txt"]
    assert found.evidence[1].context.text == OTHER  # the cited passage holds the quote verbatim


def test_a_document_stating_another_date_for_the_same_thing_is_quoted_as_disagreeing():
    fact = _fact(quotes=(("so-tay.pdf", SENTENCE),))
    other = _fact(date="2025-10-15", quotes=(("ke-hoach.docx", "Các sở gửi phương án trước ngày 15/10/2025."),))
    found = ask("Hạn gửi phương án là ngày nào?", [fact, other], conflicts={fact.id: [other]})
    assert found is not None and found.conflicts == [other]
    assert "Lưu ý: tài liệu sau nêu khác:" in found.text and "15/10/2025. [2]" in found.text


def test_no_answer_from_facts_when_it_would_not_be_one_plain_answer():
    when = "Hạn gửi phương án chuyển đổi là ngày nào?"
    two_dates = "Các sở gửi phương án từ ngày 01/7/2025 đến ngày 30/9/2025."
    both = [_fact(date=d, role=r, quotes=(("so-tay.pdf", two_dates),)) for d, r in (("2025-07-01", "from"),
                                                                                    ("2025-09-30", "by"))]
    assert all(f.verified for f in both)
    assert ask(when, both, sentence=two_dates) is None  # one sentence, two dates
    assert ask("Phương án bắt đầu từ ngày nào?", [_fact()]) is None  # asks for a start, the sentence gives an end
    assert ask("Sổ tay nói gì về phương án chuyển đổi?", [_fact()]) is None  # asks for no date, number or actor
    assert ask(when, [_fact()], score=0.3) is None  # the sentence is too weak an answer
    unverified = _fact().model_copy(update={"verified": False})
    assert ask(when, [unverified]) is None


def test_with_a_model_the_facts_step_reads_the_passages_it_scored_not_the_models_cut() -> None:
    """With an LLM the model sees a focused cut of the passages (passages without a chosen sentence
    dropped), while the sentence scores index the retrieved ones: the facts step must read those."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    from assistant.answer import Answerer
    from assistant.facts.store import FactBook
    from assistant.settings import AnswerSettings
    from assistant.types import Chunk, ChunkMeta, SearchHit

    def hit(text: str, source: str, rank: int) -> SearchHit:
        meta = ChunkMeta(source=source, title=source, language="vi", chunk_index=0)
        return SearchHit(chunk=Chunk(id=f"{source}#0", text=text, meta=meta), score=2.0 - rank / 10, rank=rank)

    noise = "Sở Nội vụ tổng hợp danh sách cán bộ tham gia tập huấn về kỹ năng số cho cấp xã."
    hits = [hit(noise, "a.docx", 1), hit(PASSAGE, "so-tay.pdf", 2)]
    fact = _fact(quotes=(("so-tay.pdf", SENTENCE),))
    llm = GenericFakeChatModel(messages=iter(["Không dùng đến."] * 5))
    answerer = Answerer(lambda q: hits, lambda c: c.text, llm, AnswerSettings(llm_min_support=0.0), "local",
                        facts=lambda: FactBook(facts=[fact]))  # fmt: skip
    answer = answerer.ask("Các sở phải gửi phương án chuyển đổi trước ngày nào?")
    assert [a.step for a in answer.attempts] == ["facts"]
    assert "30/9/2025" in answer.answer and answer.citations[0].source == "so-tay.pdf"


def test_a_duty_stated_by_a_list_item_is_answered_with_the_lead_in_that_names_who_acts():
    item = "2) Tiếp nhận, giải quyết hồ sơ trên Hệ thống thông tin của tỉnh;"
    lead = "UBND cấp xã có trách nhiệm:"
    duty = verify(Fact(kind="responsibility", actor="UBND cấp xã", text=item, language="vi", evidence=[
        Evidence(source="so-tay.pdf", title="Sổ tay", quote=item, lead=lead, page=8)])).with_id()  # fmt: skip
    assert duty.verified
    found = ask("Ai chịu trách nhiệm tiếp nhận, giải quyết hồ sơ trên Hệ thống thông tin của tỉnh?", [duty], sentence=item)
    assert found is not None and found.fact.id == duty.id
    lines = found.text.splitlines()
    assert lines[1] == f"- {lead} [2]" and lines[2] == f"- {item} [1]"
    assert found.evidence[1].context.text == lead and found.evidence[1].context.page == 8
