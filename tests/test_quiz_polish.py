"""The quiz's LLM mode: a model rewords template items, which pass the same checks or keep the template's wording."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field
from test_answer import BrokenModel
from test_quiz_generate import FakeSearch, _evidence, _fact, corpus

from assistant.answer.prompts import load_prompts
from assistant.quiz.checks import check_all
from assistant.quiz.distractors import FactPool
from assistant.quiz.export import export
from assistant.quiz.export.json_file import read_json
from assistant.quiz.generate import QuizBuilder, build_from_facts
from assistant.quiz.items import QuizItem
from assistant.quiz.polish import EXPLANATION_LABEL, STEM_LABEL, parse_reply
from assistant.quiz.request import QuizRequest
from assistant.quiz.rewording import leaks, stem_problems, unbacked_figures
from assistant.quiz.templates import default_templates
from assistant.quiz.values import KeyValue
from assistant.settings import QuizSettings

LIST = "list-vi.xlsx"


def fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(reply) for reply in replies]))


def reply(stem: str, explanation: str = "") -> str:
    return f"{STEM_LABEL}: {stem}\n{EXPLANATION_LABEL}: {explanation}"


def run(llm=None, facts=None, **request) -> QuizBuilder:
    facts = facts or corpus("vi")
    request = {"items": 1, "types": ["shortanswer"], "documents": [LIST], "seed": 1, **request}
    return build_from_facts(facts, QuizRequest(llm=llm is not None, **request), FakeSearch(facts), QuizSettings(),
                            llm=llm)  # fmt: skip


def first(builder: QuizBuilder) -> tuple[QuizItem, str, str]:
    """The first item, its task (the list row's) and its key as written."""
    item = builder.quiz().items[0]
    fact = next(f for f in builder.pool.facts if f.id == builder.sources[item.id].fact_ids[0])
    return item, fact.text, item.answers[0]


def test_a_good_rewording_is_kept_marked_and_passes_every_check() -> None:
    template, task, key = first(run())
    stem = f"Cơ quan hoặc thời hạn nào ứng với nhiệm vụ «{task}» trong danh mục?"
    stem = f"Hạn chót của nhiệm vụ «{task}» là ngày nào?" if "ngày" in template.stem else stem
    builder = run(fake(reply(stem, f"Danh mục ghi: nhiệm vụ «{task}» thuộc về {key}.")))
    [item] = builder.quiz().items
    assert item.written_by == "llm" and item.stem == stem and item.id != template.id
    assert item.answers == template.answers and item.citation == template.citation  # key and citation unchanged
    assert item.explanation.startswith("Danh mục ghi") and item.explanation.endswith(template.explanation)
    [attempt] = item.attempts
    assert attempt.kept and attempt.stem == stem and attempt.draft == template.stem and attempt.reasons == []
    assert check_all(item, builder.sources[item.id], kept=[], search=FakeSearch(corpus("vi")),
                     settings=QuizSettings()) == []  # fmt: skip
    assert builder.sources[item.id].targets[0].query == stem


@pytest.mark.parametrize(
    ("make_stem", "code"),
    [
        (lambda stem, task, key: f"Nhiệm vụ «{task}» ứng với {key} phải không?", "llm.key_in_stem"),
        (lambda stem, task, key: f"Which answer belongs to the task “{task}” in the provincial list?", "llm.language"),
        (lambda stem, task, key: f"Trong 3 tháng tới, nhiệm vụ «{task}» ứng với đáp án nào?", "llm.figures"),
        (lambda stem, task, key: f"Hãy nêu thông tin về nhiệm vụ «{task}».", "llm.not_question"),
        (lambda stem, task, key: f"Quá trình nào gắn với nhiệm vụ «{task}»?", "llm.asks_other"),
        (lambda stem, task, key: stem.upper(), "llm.unchanged"),
        (lambda stem, task, key: "", "llm.format"),
    ],
    ids=[
        "leaks the key",
        "wrong language",
        "a number made up",
        "not a question",
        "asks for another thing",
        "the draft itself",
        "no stem",
    ],
)
def test_a_bad_rewording_is_turned_down_and_the_template_item_kept(make_stem, code) -> None:
    template, task, key = first(run())
    near = "/".join(key.split("/")[:2])  # a date without its year (the key itself for any other value)
    stem = make_stem(template.stem, task, near)
    text = reply(stem) if stem else "Xin lỗi, tôi không thể."
    builder = run(fake(text))
    [item] = builder.quiz().items
    assert item.written_by == "template" and item.stem == template.stem and item.id == template.id
    [attempt] = item.attempts
    assert not attempt.kept and code in [reason.code for reason in attempt.reasons], attempt
    assert builder.quiz().report.rewording_counts(builder.quiz().items)[code] == 1


def test_a_retry_says_why_and_its_rewording_is_kept() -> None:
    _, task, _ = first(run())
    good = f"Theo danh mục, nhiệm vụ «{task}» có thời hạn nào?"
    settings = QuizSettings(polish_attempts=2)
    facts = corpus("vi")
    request = QuizRequest(items=1, types=["shortanswer"], documents=[LIST], seed=1, llm=True)
    builder = build_from_facts(facts, request, FakeSearch(facts), settings,
                               llm=fake(reply("By when is it due?"), reply(good)))  # fmt: skip
    [item] = builder.quiz().items
    assert item.written_by == "llm" and item.stem == good
    assert [a.kept for a in item.attempts] == [False, True] and item.attempts[0].reasons[0].code == "llm.language"


def test_an_unavailable_model_leaves_the_template_items_and_says_so() -> None:
    template = run(items=3).quiz()
    builder = run(BrokenModel(), items=3)
    quiz = builder.quiz()
    assert [item.id for item in quiz.items] == [item.id for item in template.items]
    assert {item.written_by for item in quiz.items} == {"template"}
    tried = [attempt for item in quiz.items for attempt in item.attempts]
    assert len(tried) == 1 and tried[0].reasons[0].code == "llm.unavailable"  # asked once, not once per item
    assert quiz.report.notes and "could not be reached" in quiz.report.notes[0]


def test_the_llm_mode_without_a_model_builds_from_templates_with_a_note() -> None:
    facts = corpus("vi")
    request = QuizRequest(items=2, types=["shortanswer"], documents=[LIST], seed=1, llm=True)
    quiz = build_from_facts(facts, request, FakeSearch(facts), QuizSettings()).quiz()
    assert len(quiz.items) == 2 and all(item.written_by == "template" and not item.attempts for item in quiz.items)
    assert "No language model" in quiz.report.notes[0]


def _replies_for(items: list[QuizItem], builder: QuizBuilder) -> list[str]:
    """A good rewording of each item (its stem with another opening), in order."""
    return [reply(item.stem.replace("Theo danh mục «list-vi.xlsx»,", "Trong danh mục nhiệm vụ của tỉnh,"))
            for item in items]  # fmt: skip


def test_the_same_seed_and_replies_give_the_same_quiz(tmp_path: Path) -> None:
    request = {"items": 4, "types": ["multichoice", "shortanswer"]}
    template = run(**request)
    replies = _replies_for(template.quiz().items, template)
    one, two = run(fake(*replies), **request).quiz(), run(fake(*replies), **request).quiz()
    assert one.model_dump() == two.model_dump()
    assert [item.written_by for item in one.items].count("llm") >= 3, [a.reasons for i in one.items for a in i.attempts]
    path = export(one, "json", tmp_path / "quiz.json").path  # the new fields survive a round trip
    assert read_json(path) == one


def test_a_foreign_fact_gets_a_stem_in_the_quiz_language_and_keeps_its_verbatim_quote() -> None:
    facts = corpus("vi")
    uk = _evidence(
        "articles/uk.txt", "uk", "uk-1", "Терміновий етап триває до 30 червня 2025 року.", doc_type="article"
    )
    facts.append(_fact("deadline", uk.quote, uk, "uk", date="2025-06-30", date_role="by"))
    request = {"items": 1, "types": ["multichoice"], "documents": [], "doc_type": "article"}
    template = run(facts=facts, **request).quiz().items[0]
    assert "tiếng Ukraina" in template.stem
    stem = "Theo bài viết tiếng Ukraina, giai đoạn cấp bách kéo dài đến ngày nào?"
    builder = run(fake(reply(stem, "Bài viết nêu giai đoạn cấp bách kéo dài đến ngày 30/6/2025.")), facts=facts,
                  **request)  # fmt: skip
    [item] = builder.quiz().items
    assert item.written_by == "llm" and item.stem == stem and item.options == template.options
    assert item.citation.quote == uk.quote and item.explanation.startswith("Bài viết nêu")
    echo = DraftEcho()
    [echoed] = run(echo, facts=facts, **request).quiz().items  # the model never sees the file path
    assert "articles/uk.txt" not in echo.prompts[0] and "articles/uk.txt" in template.stem
    assert echoed.written_by == "llm" and echoed.stem == template.stem.replace(" (articles/uk.txt)", "")


def test_a_fact_rendering_is_what_the_model_reads() -> None:
    from assistant.quiz.polish import Polisher

    facts = corpus("vi")
    uk = _evidence(
        "articles/uk.txt", "uk", "uk-1", "Терміновий етап триває до 30 червня 2025 року.", doc_type="article"
    )
    rendered = "Giai đoạn cấp bách kéo dài đến ngày 30/6/2025."
    fact = _fact("deadline", uk.quote, uk, "uk", date="2025-06-30", date_role="by").model_copy(
        update={"renderings": {"vi": rendered}}
    )
    builder = run(facts=[*facts, fact], items=1, types=["multichoice"], documents=[], doc_type="article")
    [item] = builder.quiz().items
    source = builder.sources[item.id]
    assert source.mode == "rendering" and item.citation.quote == uk.quote
    polisher = Polisher(fake(), load_prompts(), default_templates(), QuizSettings())
    assert polisher.passage(fact, uk, source, "vi") == rendered


# -- the checks of a rewording -------------------------------------------------------------------


def test_near_forms_of_the_key_leak() -> None:
    date = KeyValue(kind="date", date="2025-06-30")
    assert leaks("Hạn là 30/6 phải không?", date, "Hạn là ngày nào?", 2)
    assert leaks("Due by 30 June?", date, "Due when?", 2)
    assert not leaks("Giai đoạn 1 kéo dài đến ngày nào?", date, "Giai đoạn 1 kéo dài đến ngày nào?", 2)
    share = KeyValue(kind="number", number=60.0, percent=True)
    assert leaks("Tỷ lệ 60 có đúng không?", share, "Tỷ lệ là bao nhiêu?", 2)
    actor = KeyValue(kind="actor", actor="Sở Tư pháp")
    assert leaks("Cơ quan tư pháp nào chủ trì?", actor, "Cơ quan nào chủ trì?", 2)
    assert not leaks("Sở nào chủ trì?", actor, "Cơ quan nào chủ trì?", 2)  # one word of the name is no leak


def test_the_language_is_judged_on_the_words_around_quotes_and_paths() -> None:
    from assistant.quiz.rewording import language_of

    task = "«Rà soát, chuẩn hóa danh mục thủ tục hành chính đủ điều kiện cung cấp trực tuyến toàn trình»"
    assert language_of(f"The deadline for completing the task {task} is 31/7/2025.") == "en"
    assert language_of(f"Ngày nào phải hoàn thành nhiệm vụ {task}?") == "vi"
    assert language_of("Ngày nào bài viết bằng tiếng Ukraina (articles/000_80bf7b546d8b9867.txt) nêu?") == "vi"


def test_figures_are_compared_as_values_in_any_language() -> None:
    backing = ["Терміновий етап триває до 30 червня 2025 року.", "Ngày nào là hạn chót?"]
    assert unbacked_figures("Giai đoạn kéo dài đến 30/6/2025?", backing) == []
    assert unbacked_figures("Giai đoạn kéo dài đến 31/7/2025?", backing) == ["2025-07-31"]
    assert unbacked_figures("Năm 2026, giai đoạn nào?", backing) == ["2026"]
    assert unbacked_figures("Có 1.450 hồ sơ?", ["1,450 records"]) == []


def _checks(builder, item, settings: QuizSettings):  # noqa: ANN001, ANN202 - test helper
    """The item's source and fact, and the codes of the problems :func:`stem_problems` finds in a stem."""
    source = builder.sources[item.id]
    fact = next(f for f in builder.pool.facts if f.id == source.fact_ids[0])
    backing = [item.stem, fact.evidence[0].quote]

    def codes(stem: str) -> set[str]:
        return {p.code for p in stem_problems(stem, item, source, fact, backing, "____", settings)}

    return source, fact, codes


def test_a_statement_and_a_cloze_keep_their_shape() -> None:
    builder = run(items=6, types=["truefalse", "shortanswer", "numerical"], documents=["guide-vi.pdf"])
    settings = QuizSettings()
    seen = set()
    for item in builder.quiz().items:
        codes = _checks(builder, item, settings)[2]
        seen.add(item.type)
        if item.type == "shortanswer":  # fill in the blank: the blank stays
            assert "llm.no_blank" in codes("Tỷ lệ này đạt bao nhiêu phần trăm?")
        elif item.type == "numerical":  # another type may ask directly
            assert codes("Tỷ lệ này đạt bao nhiêu phần trăm?") == set()
            assert "llm.not_question" in codes("Tỷ lệ này rất cao.")
        else:
            assert "llm.not_statement" in codes(item.stem.rstrip(".") + " ____.")
    assert seen == {"truefalse", "shortanswer", "numerical"}


def test_a_rewording_keeps_the_rows_task_the_drafts_figures_and_one_script() -> None:
    builder = run(items=2, types=["truefalse", "shortanswer"], documents=[LIST], seed=4)
    assert {item.type for item in builder.quiz().items} == {"truefalse", "shortanswer"}
    settings = QuizSettings()
    for item in builder.quiz().items:
        source, fact, codes = _checks(builder, item, settings)
        task = fact.text
        if item.type == "truefalse":
            shown = source.key.write("vi", builder.templates)
            assert codes(f"Nhiệm vụ «{task.upper()}» gắn với {shown}.") == set()  # case and quotes aside
            assert "llm.subject_lost" in codes(f"Một nhiệm vụ trong danh mục gắn với {shown}.")
            assert "llm.not_statement" in codes(f"Nhiệm vụ «{task}» gắn với {shown}?")
        else:
            assert codes(f"Nhiệm vụ «{task}» ứng với đáp án nào?") == set()
            assert "llm.language" in codes(f"Nhiệm vụ «{task}» ứng với đáp án nàо?")  # a Cyrillic "о"
    builder = run(items=1, types=["numerical"], documents=["guide-vi.pdf"])
    [item] = builder.quiz().items
    source = builder.sources[item.id]
    fact = next(f for f in builder.pool.facts if f.id == source.fact_ids[0])
    with_figure = item.stem.replace("Số ở chỗ trống", "Trong năm 2025, số ở chỗ trống")
    dropped = stem_problems("Tỷ lệ này đạt bao nhiêu?", item.model_copy(update={"stem": with_figure}), source, fact,
                            [with_figure, fact.evidence[0].quote], "____", QuizSettings())  # fmt: skip
    assert [p.message for p in dropped if p.code == "llm.figures"] == ["the question dropped the draft's 2025"]


def test_a_false_statement_must_not_state_the_true_value() -> None:
    facts = [f for f in corpus("vi") if f.kind == "deadline"]
    for seed in range(20):
        builder = run(items=3, types=["truefalse"], seed=seed, facts=facts)
        false = [item for item in builder.quiz().items if item.truth is False]
        if false:
            break
    item = false[0]
    source = builder.sources[item.id]
    fact = next(f for f in builder.pool.facts if f.id == source.fact_ids[0])
    shown = source.key.write("vi", builder.templates)
    true = KeyValue(kind="date", date=fact.date).write("vi", builder.templates)
    corrected = item.stem.replace(shown, true)
    problems = stem_problems(corrected, item, source, fact, [item.stem, fact.evidence[0].quote], "____", QuizSettings())
    assert {"llm.key_in_stem", "llm.value_missing"} <= {p.code for p in problems}


def test_every_template_question_says_a_word_of_its_kind() -> None:
    from assistant.quiz.rewording import says_any

    templates = default_templates()
    kinds = {"deadline": "date", "target": "number", "responsibility": "actor"}
    values = {"document": "D", "task": "T", "blanked": "B"}
    for language in templates.languages:
        for name, text in templates.stems[language].items():
            kind = kinds.get(name.split("_")[0])
            if kind is not None:  # questions, not statements (true_*) nor matching (match_*)
                assert says_any(text.format(**values), templates.asks[language][kind]), (language, name)
    actor = templates.asks["vi"]["actor"]
    assert not says_any(
        "Quá trình nào chủ trì nhiệm vụ «Kết nối cơ sở dữ liệu hộ tịch»?", actor
    )  # "sở" is no word here
    assert says_any("Cơ quan nào chủ trì?", actor) and not says_any("Cơ quanh nào?", actor)


def test_the_reply_is_read_leniently_and_the_prompt_names_its_labels() -> None:
    both = parse_reply("**QUESTION:** «Ai chủ trì?»\nExplanation: Vì danh mục ghi vậy.")
    assert both == ("Ai chủ trì?", "Vì danh mục ghi vậy.")
    assert parse_reply("Ai chủ trì?") == ("", "")
    labels = {"stem_label": STEM_LABEL, "explanation_label": EXPLANATION_LABEL}
    prompt = load_prompts().render_quiz_polish(stem="S?", passage="P", answer="A", language_name="English",
                                               blank="____", **labels)  # fmt: skip
    assert f"{STEM_LABEL}:" in prompt and f"{EXPLANATION_LABEL}:" in prompt and "____" in prompt


# -- the real local model -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed")
def test_the_real_small_model_polishes_two_items_that_pass_every_check() -> None:
    from assistant.models.gguf import ensure_gguf
    from assistant.models.llm import build_chat_model
    from assistant.settings import LocalLLMSettings, Settings

    ensure_gguf(LocalLLMSettings(model="qwen2.5-0.5b"), progress=False)
    chat = build_chat_model(Settings(llm="local", local=LocalLLMSettings(model="qwen2.5-0.5b", n_ctx=2048)))
    facts = corpus("vi")
    search = FakeSearch(facts)
    request = QuizRequest(items=2, types=["shortanswer", "multichoice"], documents=[LIST], seed=3, llm=True)
    builder = build_from_facts(facts, request, search, QuizSettings(), llm=chat)
    quiz = builder.quiz()
    assert len(quiz.items) == 2, quiz.report.summary()
    assert all(len(item.attempts) == 1 for item in quiz.items)  # the model was asked once per item
    kept: list[QuizItem] = []
    for item in quiz.items:
        assert check_all(item, builder.sources[item.id], kept=kept, search=search, settings=QuizSettings()) == []
        kept.append(item)


# -- wiring: the assistant's model, the CLI -------------------------------------------------------


class DraftEcho(BaseChatModel):
    """A chat model that rewords the prompt's draft by changing its opening word (records the prompts)."""

    prompts: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "draft-echo"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        prompt = str(messages[-1].content)
        self.prompts.append(prompt)
        draft = next(line.removeprefix("Draft: ") for line in prompt.splitlines() if line.startswith("Draft: "))
        text = reply(draft.replace("Theo ", "Căn cứ ", 1))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(text))])


def test_the_cli_builds_in_the_llm_mode_with_the_chosen_backend(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:  # fmt: skip
    from typer.testing import CliRunner

    from assistant.cli import app

    asked: list[tuple[str, bool]] = []

    def builder_for(assistant, request: QuizRequest) -> QuizBuilder:
        asked.append((assistant.backend, request.llm))
        facts = corpus("vi")
        return QuizBuilder(pool=FactPool(facts, QuizSettings()), request=request, search=FakeSearch(facts),
                           settings=QuizSettings(), templates=default_templates(),
                           llm=DraftEcho() if request.llm else None)  # fmt: skip

    monkeypatch.setattr("assistant.quiz.session.builder_for", builder_for)
    out = tmp_path / "q.json"
    common = ["quiz", "--items", "2", "--type", "shortanswer", "--doc", LIST, "-f", "json", "-o", str(out)]
    ran = CliRunner().invoke(app, [*common, "--llm", "local"])
    assert ran.exit_code == 0, ran.output
    assert asked == [("local", True)] and "stems reworded by the language model: 2 of 2" in ran.output
    assert {item.written_by for item in read_json(out).items} == {"llm"}
    report = (tmp_path / "q.report.md").read_text(encoding="utf-8")
    assert "templates reworded by a language model" in report and "reworded by the language model: **2**" in report
    ran = CliRunner().invoke(app, common)
    assert ran.exit_code == 0 and asked[-1] == ("none", False) and "reworded" not in ran.output


@pytest.mark.slow
def test_builder_for_uses_the_assistants_model_only_when_asked(settings, make_index) -> None:
    from test_quiz_generate import GUIDE, LIST_CSV

    from assistant import Assistant
    from assistant.quiz.generate import builder_for
    from assistant.sync import sync_corpus

    (settings.corpus.dir / "danh-sach.csv").write_text(LIST_CSV, encoding="utf-8")
    (settings.corpus.dir / "so-tay.md").write_text(GUIDE, encoding="utf-8")
    index = make_index(settings)
    sync_corpus(index, settings)
    echo = DraftEcho()
    assistant = Assistant(settings=settings, backend="none", chat_model=echo, index=index)
    request = {"items": 3, "seed": 2, "types": ["multichoice", "truefalse", "shortanswer"]}
    plain = builder_for(assistant, QuizRequest(**request))
    plain.run()
    assert plain.polisher is None and not echo.prompts
    builder = builder_for(assistant, QuizRequest(**request, llm=True))
    builder.run()
    quiz = builder.quiz()
    assert builder.llm_lock is None and len(echo.prompts) >= 3  # not the local model: no lock
    assert len(quiz.items) == 3 and [i.written_by for i in quiz.items].count("llm") >= 2, quiz.report.summary()
    for item in quiz.items:
        if item.written_by == "llm":
            assert item.stem.startswith("Căn cứ ")
    without = builder_for(Assistant(settings=settings, backend="none", index=index), QuizRequest(**request, llm=True))
    without.run()
    assert "No language model" in without.quiz().report.notes[0] and "'none'" in without.quiz().report.notes[0]
