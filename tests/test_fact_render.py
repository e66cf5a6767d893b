"""Facts worded in other languages by a model: kept only when figures and actor match, stored with the facts."""

from __future__ import annotations

import importlib.util

import pytest
from test_answer import BrokenModel, fake

from assistant.answer.prompts import load_prompts
from assistant.answer.renderings import SourceRenderer
from assistant.facts.model import Evidence, Fact
from assistant.facts.render import NO_MODEL_NOTE, render_facts, rendering_problems, statement
from assistant.facts.verify import verify

VI = "Sở Tư pháp chủ trì kết nối cơ sở dữ liệu hộ tịch trước ngày 30/11/2025."
UK = "Міністерство цифрової трансформації забезпечує роботу 25 онлайн-послуг до 31 грудня 2025 року."


def _fact(text: str, language: str, **fields: object) -> Fact:
    evidence = [Evidence(source=f"{language}.txt", language=language, quote=text)]
    return verify(Fact(text=text, language=language, evidence=evidence, **fields)).with_id()


def vi_deadline() -> Fact:
    return _fact(VI, "vi", kind="deadline", date="2025-11-30", date_role="by", actor="Sở Tư pháp")


def uk_target() -> Fact:
    return _fact(UK, "uk", kind="target", value=25.0, actor="Міністерство цифрової трансформації")


def renderer(*replies: str) -> SourceRenderer:
    return SourceRenderer(fake(*replies), load_prompts())


def test_a_faithful_rendering_is_kept_and_the_prompt_names_what_to_copy() -> None:
    en = "Sở Tư pháp (Department of Justice) must connect the civil status database by 30/11/2025."
    model_renderer = renderer(en)
    report = render_facts([vi_deadline()], model_renderer, languages=("vi", "en"))
    [fact] = report.facts
    assert fact.renderings == {"en": en} and fact.verified and report.kept == report.asked == 1
    assert not report.dropped and not report.note
    [[_, prompt]] = model_renderer.llm.calls  # one call: vi is the fact's own language
    assert VI in prompt.content and "English" in prompt.content
    assert "Who acts: Sở Tư pháp." in prompt.content and "30/11/2025" in prompt.content


def test_a_rendering_with_another_date_is_dropped_with_its_reasons() -> None:
    wrong = "Sở Tư pháp must connect the civil status database by 31/12/2025."
    report = render_facts([vi_deadline()], renderer(wrong), languages=("en",))
    [fact] = report.facts
    assert fact.renderings == {} and fact.verified, "a dropped rendering does not unverify the fact"
    assert report.kept == 0 and report.reason_counts() == {"figures": 1, "verify": 1}
    [line] = [p for p in fact.problems if "rendering" in p]
    assert line.startswith("en rendering dropped:") and "11-30 is missing" in line and "12-31" in line


def test_a_rendering_without_the_actor_is_dropped() -> None:
    # Another language: the actor is copied as the source writes it, else it cannot be checked.
    vi = "Bộ Chuyển đổi số bảo đảm vận hành 25 dịch vụ trực tuyến đến ngày 31/12/2025."
    report = render_facts([uk_target()], renderer(vi), languages=("vi",))
    assert report.facts[0].renderings == {} and report.reason_counts() == {"actor": 1}
    # The fact's own language: verify drops it too.
    same = "Bộ kết nối cơ sở dữ liệu hộ tịch trước ngày 30/11/2025."
    checks = {check for check, _ in rendering_problems(vi_deadline(), "vi", same)}
    assert checks == {"actor", "verify"}


def test_a_reply_in_the_wrong_language_or_a_refusal_is_dropped() -> None:
    fact = vi_deadline()
    german = "Sở Tư pháp verbindet die Personenstandsdatenbank bis zum 30.11.2025 mit dem System."
    assert ("language", "not written in en") in rendering_problems(fact, "en", german)
    assert rendering_problems(fact, "en", "NOT_IN_DOCUMENTS") == [("declined", "the model declined")]
    assert ("copied", "the source sentence repeated") in rendering_problems(fact, "en", f"Fact: {VI}")
    assert rendering_problems(fact, "en", "") == [("empty", "the model wrote nothing")]


def test_a_list_row_is_rendered_with_its_actor_and_deadline_from_the_other_columns() -> None:
    row = "Nhiệm vụ: Rà soát danh mục thủ tục; Cơ quan chủ trì: Văn phòng UBND tỉnh; Thời hạn: 2025-07-31"
    evidence = [Evidence(source="list.csv", language="vi", row=2, quote=row)]
    fact = verify(Fact(kind="deadline", date="2025-07-31", date_role="by", actor="Văn phòng UBND tỉnh",
                       text="Rà soát danh mục thủ tục", language="vi", evidence=evidence)).with_id()  # fmt: skip
    assert statement(fact) == "Rà soát danh mục thủ tục (Văn phòng UBND tỉnh; 31/07/2025)"
    en = "Văn phòng UBND tỉnh must review the list of procedures by 31 July 2025."
    assert render_facts([fact], renderer(en), languages=("en",)).facts[0].renderings == {"en": en}


def test_an_item_due_by_its_lead_ins_year_or_date_is_rendered_with_that_year_or_date() -> None:
    """A target dated by its list's lead-in states the date only there: the prompt adds it as written."""
    lead = "Năm 2027:"
    evidence = [Evidence(source="plan.docx", language="vi", quote="a) 45% vé bán trực tuyến;", lead=lead)]
    fact = verify(Fact(kind="target", value=45, unit="%", date="2027", date_role="by",
                       text="a) 45% vé bán trực tuyến;", language="vi", evidence=evidence)).with_id()  # fmt: skip
    assert fact.verified and statement(fact) == "a) 45% vé bán trực tuyến; (2027)"
    dated = fact.model_copy(update={"date": "2027-12-31"})
    assert statement(dated) == "a) 45% vé bán trực tuyến; (31/12/2027)"
    en = "45% of tickets are sold online by 2027."
    assert render_facts([fact], renderer(en), languages=("en",)).facts[0].renderings == {"en": en}


def test_without_a_model_or_with_a_broken_one_the_facts_are_unchanged_with_a_note() -> None:
    facts = [vi_deadline(), uk_target()]
    none = render_facts(facts, SourceRenderer(None, load_prompts()))
    assert none.facts == facts and none.note == NO_MODEL_NOTE and none.asked == 0
    broken = render_facts(facts, SourceRenderer(BrokenModel(), load_prompts()))
    assert broken.facts == facts and broken.note.startswith("model unavailable") and broken.asked == 0


def test_only_verified_facts_are_rendered_and_only_in_languages_they_lack() -> None:
    unverified = _fact(VI, "vi", kind="deadline", date="2025-10-31", date_role="by")
    assert not unverified.verified
    rendered = vi_deadline().model_copy(update={"renderings": {"en": "kept from before"}})
    model_renderer = renderer()
    report = render_facts([unverified, rendered], model_renderer, languages=("vi", "en"))
    assert report.asked == 0 and model_renderer.llm.calls == []
    assert report.facts[1].renderings == {"en": "kept from before"}


def test_the_glance_table_shows_a_kept_rendering_and_labels_a_fact_left_in_its_language() -> None:
    from assistant.web.glance_view import language_label, table_rows

    vi = "Міністерство цифрової трансформації (Bộ Chuyển đổi số) bảo đảm 25 dịch vụ trực tuyến đến 31/12/2025."
    report = render_facts([uk_target()], renderer(vi), languages=("vi",))
    [rendered] = report.facts
    assert rendered.renderings == {"vi": vi}
    shown = table_rows("vi", [rendered])[0][5]
    assert shown.startswith(vi + " (máy diễn đạt lại"), "the checked rendering, labelled as machine wording"
    assert table_rows("en", [rendered])[0][5].endswith(language_label("en", "uk")), "no English one: labelled"


# --- stored with the facts (real index, real embedding model) ------------------------------------------


@pytest.fixture
def indexed(settings, make_index, tmp_path):
    from assistant.sync import sync_corpus

    (settings.corpus.dir / "so-tay.md").write_text(f"Sổ tay hướng dẫn.\n\n{VI}", encoding="utf-8")
    answer = settings.answer.model_copy(update={"renderings_cache": tmp_path / "renderings.sqlite"})
    settings = settings.model_copy(update={"answer": answer})
    index = make_index(settings)
    sync_corpus(index, settings)
    return settings, index


@pytest.mark.slow
def test_renderings_are_stored_and_survive_a_restart_and_a_re_index(indexed) -> None:
    from assistant.api import Assistant
    from assistant.sync import sync_corpus

    settings, index = indexed
    en = "Sở Tư pháp (Department of Justice) must connect the civil status database by 30/11/2025."
    bot = Assistant(settings, chat_model=fake(*[en] * 4), index=index)
    before = bot.facts()
    report = bot.render_facts(["en"])
    assert report.kept == report.asked == len(before) == 2 and not report.note  # a deadline and a responsibility
    assert all(f.renderings == {"en": en} for f in bot.facts()), "the assistant's cached facts saw the write"

    def stored() -> list[dict[str, str]]:  # a new process: backend none, the stored facts only
        return [f.renderings for f in Assistant(settings, backend="none", index=index).facts()]

    assert stored() == [{"en": en}, {"en": en}]
    # The document changes elsewhere: its facts are extracted again and the unchanged sentence keeps its rendering.
    (settings.corpus.dir / "so-tay.md").write_text(f"Sổ tay hướng dẫn, bản 2.\n\n{VI}", encoding="utf-8")
    assert sync_corpus(index, settings).facts_rebuilt == ["so-tay.md"]
    assert stored() == [{"en": en}, {"en": en}]
    # The sentence changes: its facts are new, with no rendering.
    (settings.corpus.dir / "so-tay.md").write_text(f"Sổ tay.\n\n{VI.replace('30/11', '15/12')}", encoding="utf-8")
    sync_corpus(index, settings)
    assert stored() == [{}, {}]


@pytest.mark.slow
def test_the_glance_tab_words_only_the_rows_shown_and_says_what_it_kept(indexed, tmp_path) -> None:
    from assistant.api import Assistant
    from assistant.feedback import FeedbackStore, default_url
    from assistant.web.glance_tab import render_shown
    from assistant.web.services import Services
    from assistant.web.texts_en import EN
    from assistant.web.texts_vi import VI as VI_TEXTS

    settings, index = indexed
    en = "Sở Tư pháp (Department of Justice) must connect the civil status database by 30/11/2025."
    services = Services(settings=settings, feedback=FeedbackStore(default_url(tmp_path)), drafts_path=tmp_path / "d",
                        backends=["none", "local"])  # fmt: skip
    services._assistants["local"] = Assistant(settings, chat_model=fake(en, en), index=index)
    first, second = (f.id for f in services.assistant("local").facts())
    steps: list[tuple[int, int]] = []
    line = render_shown(services, "local", [first], "en", lambda n, total, _: steps.append((n, total)))
    assert line == EN["glance.rendered"].format(asked=1, kept=1, dropped=0) and steps == [(1, 1)]
    stored = {f.id: f.renderings for f in Assistant(settings, backend="none", index=index).facts()}
    assert stored == {first: {"en": en}, second: {}}, "only the row shown was worded, and it was stored"
    assert render_shown(services, "local", [first], "en") == EN["glance.render_none"], "nothing left to word"
    assert render_shown(services, "none", [second], "vi") == VI_TEXTS["glance.render_off"]
    assert {f.id: f.renderings for f in Assistant(settings, backend="none", index=index).facts()} == stored


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed")
def test_the_real_small_model_renders_facts_end_to_end() -> None:
    from assistant.models.gguf import ensure_gguf
    from assistant.models.llm import build_chat_model
    from assistant.settings import LocalLLMSettings, Settings

    local = LocalLLMSettings(model="qwen2.5-0.5b", n_ctx=2048, max_tokens=80)
    ensure_gguf(local, progress=False)
    model_renderer = SourceRenderer(build_chat_model(Settings(llm="local", local=local)), load_prompts())
    facts = [vi_deadline(), uk_target()]
    report = render_facts(facts, model_renderer, languages=("vi", "en"))
    assert not report.note and report.asked == 3 and report.kept + len(report.dropped) == 3
    for fact in report.facts:
        assert fact.verified
        for language, text in fact.renderings.items():
            assert rendering_problems(fact, language, text) == [], "every kept rendering passes every check"


@pytest.mark.slow
def test_glance_render_command_reports_kept_and_dropped(indexed, monkeypatch, tmp_path) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    _, index = indexed
    monkeypatch.setattr("assistant.api.open_index", lambda s: index)
    monkeypatch.setenv("ASSISTANT_ANSWER__RENDERINGS_CACHE", str(tmp_path / "cli-renderings.sqlite"))
    runner = CliRunner()
    none = runner.invoke(app, ["glance", "--render", "--llm", "none", "--format", "json"])
    assert none.exit_code == 0 and "0 asked" in none.stderr and "no language model" in none.stderr

    # The deadline and the duty of one sentence are both due by its date: one statement, one prompt, one reply.
    monkeypatch.setattr("assistant.models.llm.build_chat_model", lambda s, b=None: fake("Sở Tư pháp connects."))
    dropped = runner.invoke(app, ["glance", "--render", "--render-lang", "en", "--llm", "local", "--format", "json"])
    assert dropped.exit_code == 0, dropped.output
    assert "2 asked, 0 kept, 2 dropped (failed checks: figures 2, verify 2)" in dropped.stderr  # the date left out
    en = "Sở Tư pháp (Department of Justice) must connect the civil status database by 30/11/2025."
    monkeypatch.setenv("ASSISTANT_ANSWER__RENDERINGS_CACHE", str(tmp_path / "cli-renderings-2.sqlite"))
    monkeypatch.setattr("assistant.models.llm.build_chat_model", lambda s, b=None: fake(en))
    done = runner.invoke(app, ["glance", "--render", "--render-lang", "en", "--llm", "local", "--format", "json"])
    assert done.exit_code == 0, done.output
    assert "2 asked, 2 kept, 0 dropped" in done.stderr
    assert en in done.stdout  # the JSON export holds the stored rendering
