"""Verdicts, metrics and baseline comparison on hand-built answers (no model, no index)."""

from __future__ import annotations

import pytest

from assistant.evaluation.compare import MetricDelta, flipped_questions, metric_deltas, regressions
from assistant.evaluation.metrics import Metrics, by_language, by_tag, compute_metrics
from assistant.evaluation.questions import ExpectedLocation, Question
from assistant.evaluation.verdicts import judge
from assistant.types import Answer, Citation, Context, Timings

FACT = r"\b0?30\b"
GOOD = "abc123"


def question(qid: str = "q1", *, refuse: bool = False, language: str = "en", tags: list[str] | None = None,
             sources: list[str] | None = None) -> Question:
    return Question(id=qid, question=f"When? ({qid})", language=language,
                    expected_facts=[] if refuse else [FACT, r"June"],
                    expected_sources=[] if refuse else (sources or [GOOD]),
                    should_refuse=refuse, tags=tags or [])


def ctx(rank: int, source: str = "articles/x.txt", text: str = "nothing here", location: str | None = None) -> Context:
    return Context(rank=rank, source=source, title="t", text=text, score=1.0 / rank, location=location)


def relevant(rank: int) -> Context:
    return ctx(rank, f"articles/{GOOD}.txt", "The urgent phase ends on 30 June 2025.")


def cite(source: str = f"articles/{GOOD}.txt", *, verified: bool = True, quote: str = "ends on 30 June",
         location: str | None = None) -> Citation:
    return Citation(n=1, source=source, title="t", quote=quote, verified=verified, location=location)


def answer(text: str = "It ends on 30 June [1].", *, refused: bool = False, contexts: list[Context] | None = None,
           citations: list[Citation] | None = None, language: str = "en", retrieval_ms: float = 10.0,
           first_token_ms: float | None = None, total_ms: float = 100.0) -> Answer:
    return Answer(question="When?", answer=text, refused=refused, language=language, mode="extractive",
                  citations=[cite()] if citations is None else citations,
                  contexts=[relevant(1)] if contexts is None else contexts,
                  timings=Timings(retrieval_ms=retrieval_ms, first_token_ms=first_token_ms, total_ms=total_ms))


def scored(q: Question, a: Answer):
    return q, a, judge(q, a)


# --- verdicts ------------------------------------------------------------------------------------


def test_hit_rank_needs_expected_source_and_all_facts() -> None:
    contexts = [
        ctx(1, f"articles/{GOOD}.txt", "no date"),          # right source, no facts
        ctx(2, "articles/other.txt", "30 June"),             # facts, wrong source
        ctx(3, f"articles/{GOOD}.txt", "30 of something"),   # only one fact
        relevant(4),
    ]
    v = judge(question(), answer(contexts=contexts))
    assert v.retrieval_hit_rank == 4
    assert v.source_recall == 1.0
    assert judge(question(), answer(contexts=contexts[:3])).retrieval_hit_rank is None


def test_hit_rank_by_url_and_source_recall_share() -> None:
    q = question(sources=[GOOD, "zzz999"])
    by_url = Context(rank=1, source="a.txt", url=f"https://x/{GOOD}", title="t", text="30 June", score=1)
    v = judge(q, answer(contexts=[by_url]))
    assert v.retrieval_hit_rank == 1
    assert v.source_recall == 0.5


def test_correct_and_passed() -> None:
    v = judge(question(), answer())
    assert (v.correct, v.citation_valid, v.passed, v.refused, v.should_refuse) == (True, True, True, False, False)
    assert v.failures == []
    missing = judge(question(), answer("It ends on 30 May."))
    assert not missing.correct and not missing.passed
    assert "June" in missing.failures[0]


def test_refusals() -> None:
    refused_right = judge(question(refuse=True), answer("I cannot find this.", refused=True, citations=[]))
    assert refused_right.correct and refused_right.passed and refused_right.citation_valid is None
    answered_wrong = judge(question(refuse=True), answer())
    assert not answered_wrong.correct and not answered_wrong.passed and answered_wrong.citation_valid is None
    refused_wrong = judge(question(), answer("Not in the documents.", refused=True, citations=[]))
    assert not refused_wrong.correct and refused_wrong.citation_valid is None
    assert refused_wrong.failures == ["refused an answerable question"]


@pytest.mark.parametrize(
    ("citations", "contexts", "valid"),
    [
        ([cite()], None, True),
        ([cite(verified=False)], None, False),                                   # not verified
        ([cite("articles/other.txt")], [ctx(1, "articles/other.txt", "30 June")], False),  # wrong source
        ([], None, False),                                                       # no citation at all
        # the cited passage (its context) lacks the facts, even if the quote had them
        ([cite(quote="30 June")], [ctx(1, f"articles/{GOOD}.txt", "other text")], False),
        # no context with that source: the quote is the passage
        ([cite(quote="ends 30 June")], [], True),
        ([cite(quote="ends in summer")], [], False),
        # one good citation among bad ones is enough
        ([cite(verified=False), cite()], None, True),
        # location narrows the passage to the matching context of the source
        ([cite(location="p. 2")], [ctx(1, f"articles/{GOOD}.txt", "30 June", "p. 1"),
                                   ctx(2, f"articles/{GOOD}.txt", "nothing", "p. 2")], False),
        ([cite(location="p. 1")], [ctx(1, f"articles/{GOOD}.txt", "30 June", "p. 1"),
                                   ctx(2, f"articles/{GOOD}.txt", "nothing", "p. 2")], True),
    ],
)
def test_citation_validity(citations: list[Citation], contexts: list[Context] | None, valid: bool) -> None:
    v = judge(question(), answer(citations=citations, contexts=contexts))
    assert v.citation_valid is valid
    assert v.correct  # the answer text has the facts in every case
    assert v.passed is valid


def test_language_match_reads_the_answer_text_not_only_its_label() -> None:
    quoted = "Theo tài liệu:\n- Терміновий етап триває до 30 червня 2025 року, і це головне завдання [1]"
    assert not judge(question(language="vi"), answer(quoted, language="vi")).language_match
    translated = "Giai đoạn cấp bách kéo dài đến hết ngày 30 tháng 6 năm 2025 [1]."
    assert judge(question(language="vi"), answer(translated, language="vi")).language_match
    framed = "Hội nghị được tổ chức theo hình thức là combinavam atividades presenciais và online [1]."
    assert not judge(question(language="vi"), answer(framed, language="vi")).language_match


def test_language_match() -> None:
    assert judge(question(language="vi"), answer(language="vi")).language_match
    assert not judge(question(language="vi"), answer(language="en")).language_match
    assert not judge(question(refuse=True, language="vi"), answer(refused=True, language="en")).language_match


# --- metrics -------------------------------------------------------------------------------------


def test_hit_at_k_and_mrr_hand_computed() -> None:
    filler = [ctx(i) for i in range(1, 12)]
    items = [
        scored(question("a"), answer(contexts=[relevant(1)])),                      # rank 1
        scored(question("b"), answer(contexts=[ctx(1), ctx(2), relevant(3)])),      # rank 3
        scored(question("c"), answer(contexts=[ctx(1)])),                           # miss
        scored(question("d"), answer(contexts=[*filler, relevant(12)])),            # rank 12 (> 10)
        scored(question("r", refuse=True), answer(refused=True, contexts=[])),      # not counted
    ]
    m = compute_metrics(items)
    assert (m.n, m.n_answerable, m.n_should_refuse) == (5, 4, 1)
    assert m.hit_at_1 == pytest.approx(1 / 4)
    assert m.hit_at_5 == pytest.approx(2 / 4)
    assert m.mrr_at_10 == pytest.approx((1 + 1 / 3) / 4)
    assert m.source_recall == pytest.approx(3 / 4)


def test_refusal_precision_recall_hand_computed() -> None:
    items = [scored(question(f"s{i}", refuse=True), answer("no", refused=i < 3, citations=[])) for i in range(4)]
    items += [scored(question(f"a{i}"), answer("no", refused=i < 2, citations=[])) for i in range(3)]
    m = compute_metrics(items)
    # refused: 3 right + 2 wrong = 5; should refuse: 4
    assert m.refusal_precision == pytest.approx(3 / 5)
    assert m.refusal_recall == pytest.approx(3 / 4)
    assert m.correctness == pytest.approx(0 / 3)
    assert m.citation_validity == pytest.approx(0.0)  # the one answered answerable question cites nothing
    assert m.pass_rate == pytest.approx(3 / 7)


def test_edge_cases_give_none_not_zero_division() -> None:
    empty = compute_metrics([])
    assert empty.n == 0 and empty.pass_rate is None and empty.total_ms_p50 is None
    only_answerable = compute_metrics([scored(question(), answer())])
    assert only_answerable.refusal_precision is None and only_answerable.refusal_recall is None
    only_refusals = compute_metrics([scored(question(refuse=True), answer(refused=True, citations=[]))])
    assert only_refusals.hit_at_1 is None and only_refusals.mrr_at_10 is None
    assert only_refusals.correctness is None and only_refusals.citation_validity is None
    assert only_refusals.refusal_precision == 1.0 and only_refusals.pass_rate == 1.0


def test_latency_percentiles_ignore_missing_first_token() -> None:
    items = [scored(question(f"q{i}"), answer(total_ms=t, first_token_ms=f))
             for i, (t, f) in enumerate([(100, None), (200, 50), (300, None), (400, 70)])]
    m = compute_metrics(items)
    assert m.total_ms_p50 == pytest.approx(250)
    assert m.first_token_ms_p50 == pytest.approx(60)
    assert compute_metrics(items[:1]).first_token_ms_p50 is None


def test_slices() -> None:
    items = [
        scored(question("v1", language="vi", tags=["deadline"]), answer(language="vi")),
        scored(question("v2", language="vi", tags=["deadline", "numeric"]), answer("wrong", language="vi")),
        scored(question("e1", language="en"), answer()),
    ]
    langs = by_language(items)
    assert list(langs) == ["en", "vi"]
    assert langs["vi"].pass_rate == 0.5 and langs["en"].pass_rate == 1.0
    tags = by_tag(items)
    assert list(tags) == ["deadline", "numeric"]
    assert tags["deadline"].n == 2 and tags["numeric"].pass_rate == 0.0


# --- comparison ----------------------------------------------------------------------------------


def _metrics(**values: float | None) -> Metrics:
    base = compute_metrics([scored(question(), answer())]).model_dump()
    return Metrics(**{**base, **values})


def test_deltas_and_regressions_threshold() -> None:
    before = _metrics(pass_rate=0.80, hit_at_1=0.50, correctness=0.90, total_ms_p50=1000.0, refusal_recall=None)
    after = _metrics(pass_rate=0.70, hit_at_1=0.49, correctness=0.95, total_ms_p50=1500.0, refusal_recall=0.5)
    deltas = {d.name: d for d in metric_deltas(after, before)}
    assert deltas["pass_rate"].delta == pytest.approx(-0.10)
    assert deltas["correctness"].delta == pytest.approx(0.05)
    assert deltas["total_ms_p50"].delta == pytest.approx(500) and not deltas["total_ms_p50"].higher_is_better
    assert deltas["refusal_recall"].delta is None
    listed = list(deltas.values())
    assert regressions(listed, threshold=0.02) == ["pass_rate"]
    assert regressions(listed, threshold=0.005) == ["pass_rate", "hit_at_1"]
    assert regressions(listed, threshold=0.10) == []  # a drop of exactly the threshold is allowed
    assert regressions(listed, threshold=0.2, latency_threshold=0.25) == ["total_ms_p50"]
    assert regressions(listed, threshold=0.2, latency_threshold=0.6) == []


def test_deltas_tolerate_old_baseline_schema() -> None:
    old = {"pass_rate": 0.5, "some_retired_metric": 1.0}
    deltas = {d.name: d for d in metric_deltas(_metrics(pass_rate=0.75), old)}
    assert deltas["pass_rate"].delta == pytest.approx(0.25)
    assert deltas["hit_at_1"].baseline is None and deltas["hit_at_1"].delta is None
    assert "some_retired_metric" not in deltas
    assert regressions([MetricDelta(name="x", label="x", baseline=None, current=0.0, delta=None,
                                    higher_is_better=True)], 0.0) == []


def test_flipped_questions() -> None:
    def rec(text: str, passed: bool) -> dict:
        return {"question": "Q?", "answer": text, "verdicts": {"passed": passed, "failures": [] if passed else ["bad"]}}

    before = {"a": rec("old a", True), "b": rec("old b", False), "c": rec("old c", True)}
    now = {"a": rec("new a", False), "b": rec("new b", True), "c": rec("new c", True), "d": rec("new d", False)}
    flips = flipped_questions(now, before)
    assert [(f.id, f.direction) for f in flips] == [("a", "pass_to_fail"), ("b", "fail_to_pass")]
    assert (flips[0].baseline_answer, flips[0].current_answer, flips[0].current_failures) == ("old a", "new a", ["bad"])


# --- citation location ---------------------------------------------------------------------------


def located(qid: str = "loc", **where: object) -> Question:
    return question(qid).model_copy(update={"expected_location": ExpectedLocation.model_validate(where)})


def at(*, page: int | None = None, sheet: str | None = None, row: int | None = None, section: str | None = None,
       location: str | None = None, source: str = f"articles/{GOOD}.txt", verified: bool = True) -> Citation:
    return Citation(n=1, source=source, title="t", quote="ends on 30 June", verified=verified, page=page, sheet=sheet,
                    row=row, section=section, location=location)


@pytest.mark.parametrize(
    ("where", "citation", "right"),
    [
        ({"page": 3}, at(page=3, location="p. 3"), True),
        ({"page": 3}, at(page=4, location="p. 4"), False),
        ({"sheet": "Budget", "row": 7}, at(sheet="Budget", row=7), True),
        ({"sheet": "Budget", "row": 7}, at(sheet="Other", row=7), False),
        ({"sheet": "Budget", "row": 7}, at(sheet="Budget", row=8), False),
        ({"row": 7}, at(row=7), True),                                          # a CSV row (no sheet)
        ({"sheet": "Budget"}, at(sheet="Budget", row=2), True),
        ({"section": "phase 1"}, at(section="Plan > Phase 1: urgent tasks"), True),  # substring, any case
        ({"section": "Phase 2"}, at(section="Plan > Phase 1"), False),
        ({"page": 2, "section": "Scope"}, at(page=2, section="1. Scope"), True),
        ({"page": 2, "section": "Scope"}, at(page=3, section="1. Scope"), False),
        # citations without structured fields (recorded before they had them): the display location
        ({"sheet": "Budget", "row": 7}, at(location="Budget, row 7"), True),
        ({"sheet": "Budget", "row": 7}, at(location="Budget, row 17"), False),
        ({"row": 7}, at(location="row 7"), True),
        ({"row": 7}, at(location="Budget, row 7"), True),
        ({"section": "Phase 1"}, at(location="Plan > Phase 1"), True),
        ({"section": "Phase 1"}, at(), False),
        # only verified citations of an expected source count
        ({"page": 3}, at(page=3, verified=False), False),
        ({"page": 3}, at(page=3, source="articles/other.txt"), False),
    ],
)
def test_location_verdict(where: dict[str, object], citation: Citation, right: bool) -> None:
    v = judge(located(**where), answer(citations=[citation]))
    assert v.location_correct is right
    assert v.passed is (citation.verified and citation.source == f"articles/{GOOD}.txt")  # location is not gated


def test_location_verdict_needs_one_good_citation_and_no_refusal() -> None:
    q = located(row=7)
    assert judge(q, answer(citations=[at(row=3), at(row=7)])).location_correct is True
    assert judge(q, answer(citations=[])).location_correct is False
    assert judge(q, answer("Not in the documents.", refused=True, citations=[])).location_correct is False
    assert judge(question(), answer(citations=[at(row=7)])).location_correct is None  # no expected location


def test_location_accuracy_counts_every_located_answerable_question() -> None:
    items = [
        scored(located("a", row=7), answer(citations=[at(row=7)])),                              # right
        scored(located("b", row=7), answer(citations=[at(row=8)])),                              # wrong place
        scored(located("c", row=7), answer("Not in the documents.", refused=True, citations=[])),  # refused
        scored(located("d", page=1), answer(citations=[at(page=1)])),                            # right
        scored(question("e"), answer()),                                                         # no location
        scored(question("r", refuse=True), answer("no", refused=True, citations=[])),
    ]
    m = compute_metrics(items)
    assert m.location_n == 4 and m.location_accuracy == pytest.approx(2 / 4)
    assert m.pass_rate == pytest.approx(5 / 6)  # a wrong location does not fail a question
    none = compute_metrics([scored(question(), answer())])
    assert none.location_n == 0 and none.location_accuracy is None


def test_location_accuracy_drop_is_a_regression_but_a_baseline_without_it_is_not() -> None:
    before, after = _metrics(location_accuracy=0.9, location_n=10), _metrics(location_accuracy=0.7, location_n=10)
    deltas = {d.name: d for d in metric_deltas(after, before)}
    assert deltas["location_accuracy"].delta == pytest.approx(-0.2) and deltas["location_accuracy"].higher_is_better
    assert regressions(list(deltas.values()), threshold=0.02) == ["location_accuracy"]
    old = {k: v for k, v in before.model_dump().items() if not k.startswith("location_")}
    deltas = {d.name: d for d in metric_deltas(after, old)}
    assert deltas["location_accuracy"].baseline is None and deltas["location_accuracy"].delta is None
    assert regressions(list(deltas.values()), threshold=0.0) == []


def test_which_step_made_each_answer_is_counted() -> None:
    from assistant.types import Attempt

    quoted = answer().model_copy(update={"attempts": [Attempt(step="quotes", accepted=True)]})
    retried = answer().model_copy(update={"attempts": [
        Attempt(step="answer", accepted=False, reasons=["declined"]), Attempt(step="compose", accepted=True)]})  # fmt: skip
    gated = answer(refused=True).model_copy(update={"attempts": [Attempt(step="gate", accepted=False, reasons=["x"])]})
    items = [scored(question("a"), quoted), scored(question("b"), retried), scored(question("c", refuse=True), gated),
             scored(question("d"), answer())]  # fmt: skip
    assert compute_metrics(items).answered_by == {"quotes": 1, "compose": 1, "gate (refused)": 1, "unrecorded": 1}
