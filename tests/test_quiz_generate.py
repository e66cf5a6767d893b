"""The quiz builder: templates per type and language, the checks, determinism, the review, and a real index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.facts.model import Evidence, Fact
from assistant.quiz.checks import check_distractors, check_key, check_retrieval
from assistant.quiz.errors import QuizRequestError
from assistant.quiz.generate import build_from_facts
from assistant.quiz.items import QuizItem
from assistant.quiz.request import QuizRequest
from assistant.quiz.session import QuizSession
from assistant.quiz.templates import TEMPLATES_FILE, load_templates
from assistant.settings import QuizSettings
from assistant.types import Chunk, ChunkMeta, SearchHit

VI_TASKS = [
    ("Rà soát danh mục thủ tục", "Văn phòng UBND tỉnh", "2025-07-31"),
    ("Bồi dưỡng kỹ năng số cho cấp xã", "Sở Nội vụ", "2025-12-15"),
    ("Kết nối cơ sở dữ liệu hộ tịch", "Sở Tư pháp", "2025-11-30"),
    ("Số hóa hồ sơ đất đai", "Sở Nông nghiệp và Môi trường", "2026-03-31"),
    ("Xây dựng kho dữ liệu doanh nghiệp", "Sở Tài chính", "2026-04-30"),
    ("Đăng ký thường trú trực tuyến", "Công an tỉnh", "2025-10-30"),
]
EN_TASKS = [
    ("Review the list of procedures", "Provincial Office", "2025-07-31"),
    ("Train commune officials in digital skills", "Department of Home Affairs", "2025-12-15"),
    ("Connect the civil status database", "Department of Justice", "2025-11-30"),
    ("Digitise land records", "Department of Agriculture", "2026-03-31"),
    ("Build the shared business data store", "Department of Finance", "2026-04-30"),
    ("Register residence online", "Provincial Police", "2025-10-30"),
]
VI_TARGETS = [
    ("Tỷ lệ hồ sơ được xử lý trực tuyến đạt 60%.", 60.0),
    ("Tỷ lệ kết quả được số hóa đạt 90%.", 90.0),
    ("Tỷ lệ văn bản điện tử đạt 96%.", 96.0),
    ("Mức độ hài lòng của người dân đạt 85%.", 85.0),
]
EN_TARGETS = [
    ("At least 60% of records are processed online.", 60.0),
    ("At least 90% of results are digitised.", 90.0),
    ("At least 96% of documents are exchanged electronically.", 96.0),
    ("Citizen satisfaction reaches 85%.", 85.0),
]


def _evidence(source: str, language: str, chunk: str, quote: str, row: int | None = None, **extra) -> Evidence:
    return Evidence(source=source, title=extra.pop("title", source), language=language, chunk_id=chunk,
                    file_hash="h-" + source, quote=quote, row=row, sheet="Nhiệm vụ" if row else None,
                    doc_type=extra.pop("doc_type", "list" if row else "guidebook"), **extra)  # fmt: skip


def _fact(kind: str, text: str, evidence: Evidence, language: str, **values) -> Fact:
    return Fact(kind=kind, text=text, language=language, evidence=[evidence], verified=True, **values).with_id()


def corpus(language: str) -> list[Fact]:
    """A list of tasks (deadline and lead of each row) and a guidebook page of targets, in ``language``."""
    tasks, targets = (VI_TASKS, VI_TARGETS) if language == "vi" else (EN_TASKS, EN_TARGETS)
    lead, due = ("Cơ quan chủ trì", "Thời hạn") if language == "vi" else ("Lead", "Deadline")
    source = f"list-{language}.xlsx"
    facts = []
    for n, (task, actor, date) in enumerate(tasks, start=2):
        quote = f"Nhiệm vụ: {task}; {lead}: {actor}; {due}: {date}"
        evidence = _evidence(source, language, f"{source}-{n}", quote, row=n)
        facts.append(_fact("deadline", task, evidence, language, date=date, date_role="by", actor=actor))
        facts.append(_fact("responsibility", task, evidence, language, actor=actor, date=date, date_role="by"))
    for n, (sentence, value) in enumerate(targets):
        evidence = _evidence(f"guide-{language}.pdf", language, f"guide-{language}-{n}", sentence, page=4)
        facts.append(_fact("target", sentence, evidence, language, value=value, unit="%"))
    return facts


def chunks_of(facts: list[Fact]) -> dict[str, Chunk]:
    chunks = {}
    for fact in facts:
        for e in fact.evidence:
            meta = ChunkMeta(source=e.source, title=e.title, language=e.language, row=e.row, page=e.page,
                             doc_type=e.doc_type)  # fmt: skip
            chunks[e.chunk_id] = Chunk(id=e.chunk_id, text=e.quote, meta=meta)
    return chunks


class FakeSearch:
    """Ranks the facts' chunks by words shared with the query (a tiny lexical search); records its calls."""

    def __init__(self, facts: list[Fact], bury: set[str] | None = None) -> None:
        self.chunks = chunks_of(facts)
        self.bury = bury or set()  # chunk ids pushed to the end of every ranking
        self.calls: list[tuple[str, int]] = []

    def __call__(self, query: str, k: int, filters) -> list[SearchHit]:
        self.calls.append((query, k))
        words = set(re.findall(r"\w+", query.casefold()))
        scored = sorted(
            (c for c in self.chunks.values() if filters is None or filters.matches(c.meta)),
            key=lambda c: (c.id in self.bury, -len(words & set(re.findall(r"\w+", c.text.casefold()))), c.id),
        )
        return [SearchHit(chunk=c, score=1.0 / (i + 1), rank=i + 1) for i, c in enumerate(scored[:k])]


def build(facts: list[Fact], search=None, **request):
    request.setdefault("items", 6)
    return build_from_facts(facts, QuizRequest(**request), search or FakeSearch(facts), QuizSettings())


# -- templates per type and language --------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("item_type", ["multichoice", "truefalse", "shortanswer", "numerical", "matching"])
def test_each_type_is_written_in_the_quiz_language_with_its_key_in_the_quote(language, item_type):
    facts = corpus(language)
    builder = build(facts, items=3, types=[item_type], language=language, seed=1)
    quiz = builder.quiz()
    assert quiz.items, quiz.report.summary()
    opening = "Theo " if language == "vi" else "According to "
    for item in quiz.items:
        assert item.type == item_type and item.language == language
        assert item.stem.startswith(opening), item.stem
        assert item.citation.quote and item.citation.doc_hash.startswith("h-")
        assert check_key(item, builder.sources[item.id]) == []
        if item_type == "multichoice":
            assert len(item.options) == 4 and item.correct_option.text in item.explanation
        if item_type == "numerical":
            assert item.value in {60.0, 90.0, 96.0, 85.0} and item.tolerance == pytest.approx(item.value * 0.05)
        if item_type == "matching":
            assert len(item.pairs) == 4 and len({p.right for p in item.pairs}) == 4
    if item_type == "multichoice" and language == "vi":
        dates = [item for item in quiz.items if "ngày nào" in item.stem]
        for item in dates:  # dates with dates, written the Vietnamese way, in order
            assert all(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", o.text) for o in item.options)


PERIOD_TASKS = [  # task lists date work by quarter or month ("Quý III/2027", "Tháng 9/2027"): no day
    ("Xây dựng kho dữ liệu lễ hội", "Sở Du lịch", "Quý III/2027", "2027-Q3"),
    ("Số hóa hồ sơ lưu trữ", "Ban Điều phối", "Quý IV/2027", "2027-Q4"),
    ("Chuẩn hóa dữ liệu bến xe", "Sở Xây dựng", "Quý II/2027", "2027-Q2"),
    ("Mở cổng dữ liệu du lịch", "Trung tâm Xúc tiến", "Q1/2028", "2028-Q1"),
    ("Tập huấn hướng dẫn viên", "Sở Du lịch", "Tháng 9/2027", "2027-09"),
    ("Cập nhật bản đồ số", "Ban Điều phối", "Tháng 11/2027", "2027-11"),
    ("Rà soát quy trình nội bộ", "Sở Xây dựng", "tháng 7/2027", "2027-07"),
    ("Công bố dữ liệu mở", "Trung tâm Xúc tiến", "Tháng 2/2028", "2028-02"),
]


def _with_periods(language: str = "vi") -> list[Fact]:
    facts = corpus(language)
    for n, (task, actor, due, date) in enumerate(PERIOD_TASKS, start=20):
        evidence = _evidence("list-vi.xlsx", "vi", f"list-vi.xlsx-{n}", f"Nhiệm vụ: {task}; Cơ quan chủ trì: {actor}; "
                             f"Thời hạn: {due}", row=n)  # fmt: skip
        facts.append(_fact("deadline", task, evidence, "vi", date=date, date_role="by", actor=actor))
    sentence = "Sở Du lịch hoàn thành việc số hóa bản đồ di sản trong quý 4 năm 2028."  # a guidebook's sentence
    evidence = _evidence("guide-vi.pdf", "vi", "guide-vi-periods", sentence, page=6)
    facts.append(_fact("deadline", sentence, evidence, "vi", date="2028-Q4", date_role="by", actor="Sở Du lịch"))
    return facts


QUARTER = re.compile(r"quý (I|II|III|IV)/20\d\d")
MONTH = re.compile(r"tháng \d{1,2}/20\d\d")


def test_deadlines_given_as_a_month_or_a_quarter_are_asked_as_periods():
    # A quarter is asked with quarters and a month with months, in time order, never mixed with days.
    builder = build(_with_periods(), items=40, types=["multichoice"], language="vi", seed=3)
    quiz = builder.quiz()
    periods = [item for item in quiz.items if "thời hạn nào" in item.stem]
    assert len(periods) >= 4, quiz.report.summary()
    for item in periods:
        texts = [o.text for o in item.options]
        pattern = QUARTER if QUARTER.fullmatch(texts[0]) else MONTH
        assert all(pattern.fullmatch(text) for text in texts), texts
        assert check_key(item, builder.sources[item.id]) == [] and check_distractors(item, builder.sources[item.id]) == []
        assert item.correct_option.text in item.explanation
    assert {bool(QUARTER.fullmatch(i.options[0].text)) for i in periods} == {True, False}  # both kinds asked
    days = [item for item in quiz.items if "ngày nào" in item.stem]
    assert days and all(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", o.text) for i in days for o in i.options)
    ordered = next(i for i in periods if QUARTER.fullmatch(i.options[0].text))
    years = [(int(o.text[-4:]), ("I", "II", "III", "IV").index(o.text[4:-5])) for o in ordered.options]
    assert years == sorted(years)


def test_period_answers_accept_their_spellings_and_statements_and_matching_hold_periods():
    builder = build(_with_periods(), items=40, types=["shortanswer", "truefalse", "matching"], language="vi", seed=5)
    quiz = builder.quiz()
    asked = [i for i in quiz.items if i.type == "shortanswer" and "thời hạn nào" in i.stem]
    assert asked, quiz.report.summary()
    for item in asked:
        assert check_key(item, builder.sources[item.id]) == []
        assert QUARTER.fullmatch(item.answers[0]) or MONTH.fullmatch(item.answers[0]), item.answers
    quarter = next(i for i in asked if QUARTER.fullmatch(i.answers[0]))
    assert any(re.fullmatch(r"quý [1-4]/20\d\d", a) for a in quarter.answers)
    [blank] = [i for i in quiz.items if i.type == "shortanswer" and "Thời hạn ở chỗ trống" in i.stem]
    assert "«Sở Du lịch hoàn thành việc số hóa bản đồ di sản trong ____.»" in blank.stem
    assert blank.answers[0] == "quý IV/2028" and "quý 4 năm 2028" in blank.answers
    statements = [i for i in quiz.items if i.type == "truefalse" and "phải hoàn thành trong " in i.stem]
    assert statements and all(check_key(i, builder.sources[i.id]) == [] for i in statements)
    matched = [i for i in quiz.items if i.type == "matching" and "thời hạn tương ứng" in i.stem]
    for item in matched:
        assert all(QUARTER.fullmatch(p.right) for p in item.pairs) or all(MONTH.fullmatch(p.right) for p in item.pairs)


def test_english_period_items_write_quarters_and_months_in_english():
    from assistant.quiz.templates import default_templates
    from assistant.quiz.values import KeyValue, read_value

    builder = build(_with_periods(), items=40, types=["multichoice"], language="en", seed=3)
    items = [i for i in builder.quiz().items if "Which of these periods" in i.stem]
    assert items and all(re.fullmatch(r"Q[1-4] 20\d\d", o.text) for i in items for o in i.options)
    assert all(check_key(i, builder.sources[i.id]) == [] for i in items)
    month = KeyValue(kind="period", period="2027-11")
    for language, written in (("en", "November 2027"), ("vi", "tháng 11/2027")):
        assert month.write(language, default_templates()) == written and read_value(written, "period") == month
    assert not month.in_text("Hạn: 15/11/2027") and month.in_text("Thời hạn: Tháng 11/2027")
    assert read_value("Q3/2027", "period") == KeyValue(kind="period", period="2027-Q3")  # no March
    assert read_value("Quỹ 2 năm 2027", "period") is None  # a fund, not a quarter


def test_a_blanked_sentence_stem_and_english_dates():
    facts = [f for f in corpus("en") if f.kind == "target"]
    sentence = "The urgent phase runs until 30 June 2025."
    phase = _evidence("guide-en.pdf", "en", "guide-en-phase", sentence, page=2)
    facts.append(_fact("deadline", sentence, phase, "en", date="2025-06-30", date_role="by"))
    for date in ("2025-07-31", "2025-09-30", "2025-12-31"):
        other = _evidence("other.pdf", "en", f"other-{date}", f"Report by {date}.", page=1)
        facts.append(_fact("deadline", f"Report by {date}.", other, "en", date=date, date_role="by"))
    quiz = build(facts, items=5, types=["shortanswer"], language="en", documents=["guide-en.pdf"]).quiz()
    [item] = [i for i in quiz.items if "urgent" in i.stem]
    assert "“The urgent phase runs until ____.”" in item.stem and "30 June 2025" not in item.stem
    assert item.answers[0] == "30 June 2025" and "2025-06-30" in item.answers


def test_a_foreign_fact_gets_a_language_independent_stem_or_is_dropped_with_its_reason():
    facts = corpus("vi")
    uk = _evidence(
        "articles/uk.txt", "uk", "uk-1", "Терміновий етап триває до 30 червня 2025 року.", doc_type="article"
    )
    facts.append(_fact("deadline", uk.quote, uk, "uk", date="2025-06-30", date_role="by"))
    uk2 = _evidence("articles/uk.txt", "uk", "uk-2", "Міністерства повинні завершити роботу.", doc_type="article")
    facts.append(_fact("responsibility", uk2.quote, uk2, "uk", actor="Міністерства"))
    texts = {"articles/uk.txt": uk.quote + "\n" + uk2.quote}
    for item_type in ("multichoice", "truefalse", "shortanswer"):
        builder = build_from_facts(facts, QuizRequest(items=3, types=[item_type], language="vi", doc_type="article"),
                                   FakeSearch(facts), QuizSettings(), document_text=texts.get)  # fmt: skip
        quiz = builder.quiz()
        codes = quiz.report.reason_counts()
        assert codes.get("language.foreign_actor") == 1  # an actor named in Ukrainian: no honest stem
        if item_type == "shortanswer":
            assert not quiz.items and codes.get("stem.needs_options") == 1
            continue
        [item] = quiz.items
        assert "tiếng Ukraina" in item.stem and "tiếng Ukraina" in item.explanation
        assert not re.search(r"[\u0400-\u04ff]", item.stem)  # no untranslated Ukrainian in the Vietnamese stem
        assert item.citation.quote == uk.quote


def test_templates_fail_at_load_on_a_missing_or_unknown_placeholder(tmp_path: Path):
    text = TEMPLATES_FILE.read_text(encoding="utf-8")
    assert load_templates().stems["vi"]["deadline_by_row"]
    broken = tmp_path / "t.yaml"
    broken.write_text(text.replace("nhiệm vụ «{task}» phải hoàn thành chậm nhất vào ngày nào", "ngày nào"), "utf-8")
    with pytest.raises(ConfigError, match=r"stems\.vi\.deadline_by_row: missing placeholder"):
        load_templates(broken)
    broken.write_text(text.replace("«{task}» bắt đầu", "«{taks}» bắt đầu"), "utf-8")
    with pytest.raises(ConfigError, match=r"deadline_from_row: unknown placeholder"):
        load_templates(broken)


# -- checks ---------------------------------------------------------------------------------------


def test_a_distractor_that_is_also_true_is_never_offered_and_is_dropped_when_edited_in():
    facts = corpus("vi")
    task, _, _ = VI_TASKS[0]
    # The same task in a second list with another date: a merged-equivalent statement, also verified.
    second = _evidence("list-2.xlsx", "vi", "list-2-2", f"Nhiệm vụ: {task}; Thời hạn: 2026-01-31", row=2)
    facts.append(_fact("deadline", task, second, "vi", date="2026-01-31", date_role="by"))
    for seed in range(8):
        builder = build(facts, items=12, types=["multichoice"], seed=seed, documents=["list-vi.xlsx"])
        for item in builder.quiz().items:
            if task in item.stem and "ngày nào" in item.stem:
                assert "31/1/2026" not in [o.text for o in item.options]
                source = builder.sources[item.id]
                wrong = next(o for o in item.options if not o.correct)
                options = [o.model_copy(update={"text": "31/1/2026"}) if o is wrong else o for o in item.options]
                edited = item.revised(options=[o.model_dump() for o in options])
                assert [r.code for r in check_distractors(edited, source)] == ["distractor.true"]
                return
    pytest.fail("no multiple-choice item about the task was built")


def test_a_key_missing_from_its_quote_is_dropped():
    facts = corpus("vi")
    broken = _evidence("list-vi.xlsx", "vi", "list-vi-99", "Nhiệm vụ: Tổng kết Đề án; Thời hạn: chưa xác định", row=99)
    # verified by mistake: its date is in no quote
    facts.append(_fact("deadline", "Tổng kết Đề án", broken, "vi", date="2026-12-15", date_role="by"))
    quiz = build(facts, items=20, types=["multichoice"], documents=["list-vi.xlsx"]).quiz()
    dropped = [d for d in quiz.report.dropped if "Tổng kết Đề án" in d.stem]
    assert dropped and dropped[0].reasons[0].code == "key.not_in_quote"
    assert not any("Tổng kết Đề án" in item.stem for item in quiz.items)


def test_the_retrieval_check_uses_the_assistants_search_on_the_stem():
    facts = corpus("vi")
    search = FakeSearch(facts)
    builder = build(facts, search=search, items=1, types=["multichoice"], documents=["list-vi.xlsx"])
    [item] = builder.quiz().items
    source = builder.sources[item.id]
    assert (item.stem, 5) in search.calls
    assert check_retrieval(item, source, search, 5) == []
    buried = FakeSearch(facts, bury={source.targets[0].chunk_id})
    [reason] = check_retrieval(item, source, buried, 5)
    assert reason.code == "retrieval.not_found"
    quiz = build(facts, search=buried, items=1, types=["multichoice"], documents=["list-vi.xlsx"]).quiz()
    assert quiz.items[0].id != item.id and quiz.report.reason_counts()["retrieval.not_found"] >= 1


def test_request_errors_name_the_field():
    with pytest.raises(QuizRequestError) as caught:
        QuizRequest(items=0)
    assert caught.value.field == "items"
    with pytest.raises(QuizRequestError) as caught:
        QuizRequest(language="fr")
    assert caught.value.field == "language"
    with pytest.raises(QuizRequestError, match="item type"):
        QuizRequest(types=[])


# -- determinism and review -----------------------------------------------------------------------


def test_the_same_seed_gives_the_same_quiz():
    facts = corpus("vi")
    first = build(facts, items=8, seed=7).quiz()
    again = build(list(reversed(facts)), items=8, seed=7).quiz()
    assert first.model_dump() == again.model_dump()
    other = build(facts, items=8, seed=8).quiz()
    assert [i.id for i in other.items] != [i.id for i in first.items]


def test_review_edit_rechecks_discard_and_regenerate_are_reported():
    facts = corpus("vi")
    builder = build(facts, items=3, types=["shortanswer"], documents=["list-vi.xlsx"])
    session = QuizSession(builder)
    first = session.quiz.items[0]
    wrong = session.edit(first.id, answers=["1/1/2030"] if "ngày" in first.stem else ["Bộ Ngoại giao"])
    assert not wrong.applied and wrong.problems[0].code == "key.not_in_quote"
    assert session.quiz.items[0].id == first.id
    better = session.edit(first.id, stem=first.stem.replace("Theo", "Căn cứ", 1))
    assert better.applied and not better.problems and session.quiz.items[0].stem.startswith("Căn cứ")
    edited: QuizItem = session.quiz.items[0]
    replacement = session.regenerate(edited.id)
    assert replacement is not None and session.quiz.items[0].id == replacement.id != edited.id
    session.discard(session.quiz.items[1].id)
    quiz = session.quiz
    assert len(quiz.items) == 2
    assert {"review.regenerated", "review.discarded"} <= set(quiz.report.reason_counts())
    with pytest.raises(QuizRequestError, match="item_id"):
        session.discard("nope")


# -- a real index ---------------------------------------------------------------------------------

LIST_CSV = "Nhiệm vụ,Cơ quan chủ trì,Thời hạn\n" + "".join(f"{t},{a},{d}\n" for t, a, d in VI_TASKS)
GUIDE = (
    "Sổ tay hướng dẫn.\n\nGiai đoạn cấp bách kéo dài đến ngày 30/6/2025.\n\n"
    "Sở Tư pháp chủ trì kết nối cơ sở dữ liệu hộ tịch trước ngày 30/11/2025.\n\n"
    "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến phải đạt tối thiểu 60%.\n\n"
    "Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa phải đạt 90%."
)


@pytest.mark.slow
def test_a_real_index_gives_five_items_and_gift_that_moodles_reader_reads(settings, make_index, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from assistant import Assistant
    from assistant.cli import app
    from assistant.quiz.export import export
    from assistant.quiz.export.gift_parse import read_gift
    from assistant.quiz.generate import build_quiz
    from assistant.sync import sync_corpus

    (settings.corpus.dir / "danh-sach.csv").write_text(LIST_CSV, encoding="utf-8")
    (settings.corpus.dir / "so-tay.md").write_text(GUIDE, encoding="utf-8")
    index = make_index(settings)
    sync_corpus(index, settings)
    assistant = Assistant(settings=settings, backend="none", index=index)
    quiz = build_quiz(assistant, QuizRequest(items=5, seed=2, types=["multichoice", "truefalse", "shortanswer"]))
    assert len(quiz.items) == 5, quiz.report.summary()
    result = export(quiz, "gift", tmp_path / "q.gift.txt")
    questions = [q for q in read_gift(result.path) if q.qtype != "category"]
    assert result.written == len(questions) == 5
    assert [q.qtype for q in questions] == [item.type for item in quiz.items]
    assert all(item.citation.doc_hash for item in quiz.items)

    monkeypatch.setattr("assistant.api.open_index", lambda s: index)
    out = tmp_path / "cli.gift.txt"
    ran = CliRunner().invoke(app, ["quiz", "--items", "3", "--type", "truefalse", "--seed", "4", "-o", str(out)])
    assert ran.exit_code == 0, ran.output
    assert "kept" in ran.output and len([q for q in read_gift(out) if q.qtype != "category"]) == 3
    assert (tmp_path / "cli.report.md").read_text(encoding="utf-8").count("kept: **3**") == 1
    assert '"kept": 3' in (tmp_path / "cli.report.json").read_text(encoding="utf-8")
