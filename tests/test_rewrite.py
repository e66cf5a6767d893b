"""Query rewriting: parsing translations, caching them, failing softly, and multi-query search."""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import Field

from assistant.models.llm_cache import sqlite_cached
from assistant.retrieval.rewrite import QueryRewriter, is_translation, parse_rewrites

LANGS = {"en": "English", "ru": "Russian"}


class CountingModel(FakeListChatModel):
    """FakeListChatModel that records each prompt it is actually asked (cache hits never reach it)."""

    prompts: list[str] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.prompts.append(str(messages[-1].content))
        return super()._generate(messages, *args, **kwargs)


def render(question: str, languages: str) -> str:
    return f"Translate into {languages}: {question}"


def test_parse_rewrites_reads_code_lines_and_ignores_the_rest() -> None:
    text = 'Here you go:\nen: When does the urgent phase end?\n- ru: "Когда заканчивается срочный этап?"\nde: Wann?\nen: again'
    assert parse_rewrites(text, LANGS) == {"en": "When does the urgent phase end?", "ru": "Когда заканчивается срочный этап?"}
    assert parse_rewrites("I cannot translate this.", LANGS) == {}


def test_an_answer_or_a_fragment_is_not_taken_for_a_translation() -> None:
    question = "Theo Kế hoạch, tỷ lệ thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến là bao nhiêu?"
    assert not is_translation(question, "70%"), "the model answered instead of translating"
    assert not is_translation(question, "According to the plan, 70% of business procedures are carried out online.")
    assert is_translation(question, "According to the plan, what share of business-related procedures is done online?")
    assert is_translation("Từ ngày 1/7/2025 có bao nhiêu tỉnh?", "From July 1, 2025, how many provinces are there?")
    # A made-up date or phone number is an answer or an invention, not a translation.
    assert not is_translation("When does the tourism survey close?", "Khảo sát du lịch kết thúc vào ngày 31 tháng 6.")
    assert not is_translation("Who is the contact at the Tourism Board?", "Người liên hệ của Ban Du lịch, số 0123456789?")
    assert is_translation("Does the survey close on 14 March?", "Khảo sát có kết thúc vào ngày 14/3 không?")
    model = CountingModel(responses=["en: 70%\nru: Какая доля процедур для бизнеса выполняется онлайн согласно плану?"])
    assert QueryRewriter(model, render, LANGS)(question) == [
        "Какая доля процедур для бизнеса выполняется онлайн согласно плану?"
    ]


def test_rewriter_translates_once_and_reuses_the_sqlite_cache(tmp_path) -> None:
    model = CountingModel(responses=["en: When does the urgent phase end?\nru: Когда заканчивается срочный этап?"] * 3)
    lock = threading.RLock()
    rewriter = QueryRewriter(sqlite_cached(model, tmp_path / "cache.sqlite"), render, LANGS, lock=lock)
    question = "Giai đoạn cấp bách kết thúc khi nào?"
    first = rewriter(question)
    assert first == ["When does the urgent phase end?", "Когда заканчивается срочный этап?"]
    assert "English (en), Russian (ru)" in model.prompts[0] and question in model.prompts[0]
    again = QueryRewriter(sqlite_cached(model, tmp_path / "cache.sqlite"), render, LANGS)  # e.g. a new process
    assert again(question) == first and len(model.prompts) == 1, "the second call is served from the cache file"
    rewriter("Ai chủ trì hội nghị?")
    assert len(model.prompts) == 2, "another question is translated"


class BrokenModel(FakeListChatModel):
    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        raise ConnectionError("connection refused")


def test_rewriter_failure_means_no_rewrites_not_an_error() -> None:
    assert QueryRewriter(BrokenModel(responses=["x"]), render, LANGS)("Câu hỏi?") == []


def test_rewriter_drops_an_echo_of_the_question() -> None:
    model = FakeListChatModel(responses=["en: Plan 02?\nru: План 02?"])
    assert QueryRewriter(model, render, LANGS)("plan 02?") == ["План 02?"]


def test_search_mixes_in_rewritten_queries(settings, sample_corpus, make_index) -> None:
    from assistant.retrieval import search
    from assistant.sync import sync_corpus

    index = make_index(settings)
    sync_corpus(index, settings)
    question = "Ai chủ trì tại điểm cầu Huế?"  # who chaired at the Hue bridge point
    variant = "Wer führte auf der Brücke der Stadt Hue den Vorsitz?"
    plain = search(index, question, k=10)
    mixed = search(index, question, k=10, variants=[variant])
    hue = "001_b9c937dc86475d3f.txt"
    rank_plain = next((h.rank for h in plain if hue in h.chunk.meta.source), 99)
    rank_mixed = next(h.rank for h in mixed if hue in h.chunk.meta.source)
    assert rank_mixed == 1 and rank_mixed <= rank_plain
    assert any(t.startswith("vorsit") for t in mixed[0].matched_terms), "the variant's words explain the match"


def test_assistant_search_uses_the_configured_rewriter(settings, sample_corpus, make_index, tmp_path) -> None:
    from assistant import Assistant
    from assistant.sync import sync_corpus

    index = make_index(settings)
    sync_corpus(index, settings)
    model = CountingModel(responses=["en: Who chaired at the Hue bridge?\nru: Кто председательствовал в Хюэ?"] * 2)
    on = settings.model_copy(update={"retrieval": settings.retrieval.model_copy(
        update={"rewrite": True, "rewrite_cache": tmp_path / "rw.sqlite"})})
    bot = Assistant(on, backend="openai", chat_model=model, index=index)
    bot.search("Ai chủ trì tại điểm cầu Huế?", k=3)
    assert len(model.prompts) == 1 and "Ai chủ trì" in model.prompts[0]
    off = Assistant(settings, backend="openai", chat_model=model, index=index)
    off.search("Ai chủ trì tại điểm cầu Huế?", k=3)
    # By default ("auto") only a question outside the documents' main language is translated; the sample
    # articles, in five languages, have no main language.
    assert off.rewriter is None and len(model.prompts) == 1, "no rewriting without a main language"
    off.settings.retrieval.rewrite_cache = tmp_path / "rw2.sqlite"  # not the first search's cached translation
    off.search("Ai chủ trì tại điểm cầu Huế?", k=3, rewrite=True)
    assert len(model.prompts) == 2, "one search can ask for rewriting (the web's switch)"
    bot.search("Ai chủ trì tại điểm cầu Huế?", k=3, rewrite=False)
    assert len(model.prompts) == 2, "... or go without it"


def test_questions_are_rewritten_into_the_documents_languages_not_their_own() -> None:
    from assistant.retrieval.rewrite import document_languages

    assert document_languages({"vi": 120, "ru": 30, "und": 500, "de": 30, "": 4}, 2) == ["vi", "de"]
    model = CountingModel(responses=["en: Who leads the working group?"])
    rewriter = QueryRewriter(model, render, {"vi": "Vietnamese", "en": "English"})
    assert rewriter("Ai đứng đầu tổ công tác triển khai đề án?") == ["Who leads the working group?"]
    assert "Vietnamese" not in model.prompts[-1]  # a Vietnamese question is not translated into Vietnamese
    assert QueryRewriter(model, render, {"vi": "Vietnamese"})("Ai đứng đầu tổ công tác triển khai đề án?") == []


def test_the_main_language_holds_a_share_of_the_chunks() -> None:
    from assistant.retrieval.rewrite import main_language

    assert main_language({"vi": 120, "en": 20, "und": 10}, 0.5) == "vi"
    assert main_language({"vi": 40, "en": 30, "und": 40}, 0.5) is None, "unknown chunks count in the total"
    assert main_language({"pt": 30, "de": 25, "uk": 25}, 0.5) is None
    assert main_language({}, 0.5) is None


def test_auto_translates_only_questions_outside_the_main_language(settings, sample_corpus, make_index, tmp_path) -> None:
    from assistant import Assistant
    from assistant.sync import sync_corpus

    index = make_index(settings)
    sync_corpus(index, settings)
    model = CountingModel(responses=["vi: Ai chủ trì tại điểm cầu Huế?"] * 3)
    auto = settings.model_copy(update={"retrieval": settings.retrieval.model_copy(
        update={"rewrite": "auto", "rewrite_cache": tmp_path / "rw.sqlite"})})  # fmt: skip
    bot = Assistant(auto, backend="openai", chat_model=model, index=index)
    bot._chunk_languages = lambda: {"vi": 90, "en": 10}  # a Vietnamese corpus with a few English chunks
    bot.search("Ai chủ trì tại điểm cầu Huế?", k=3)
    assert model.prompts == [], "a question in the main language is not translated"
    bot.search("Who chaired at the Hue bridge point?", k=3)
    assert len(model.prompts) == 1 and "(vi)" in model.prompts[0] and "(en)" not in model.prompts[0]
    assert bot.rewriter is not None and bot.rewriter("Who chaired at the Hue bridge point?") == [
        "Ai chủ trì tại điểm cầu Huế?"
    ]
    bot.search("Who chaired at the Hue bridge point?", k=3, rewrite=False)
    assert len(model.prompts) == 1, "a search can still go without it"



def test_auto_follows_a_corpus_whose_main_language_changes(settings, sample_corpus, make_index, tmp_path) -> None:
    """A running chat (one Assistant) sees the corpus change under it: the main language is read again."""
    from assistant import Assistant
    from assistant.sync import sync_corpus

    index = make_index(settings)
    sync_corpus(index, settings)
    lines = {"de": "Wer leitete die Sitzung?", "es": "¿Quién presidió la reunión?", "pt": "Quem presidiu a reunião?",
             "ru": "Кто председательствовал на заседании?", "uk": "Хто головував на засіданні?"}
    model = CountingModel(responses=["\n".join(f"{code}: {text}" for code, text in lines.items())] * 2)
    auto = settings.model_copy(update={"retrieval": settings.retrieval.model_copy(
        update={"rewrite": "auto", "rewrite_cache": tmp_path / "rw.sqlite"})})  # fmt: skip
    bot = Assistant(auto, backend="openai", chat_model=model, index=index)
    assert bot.rewriter is None, "five articles in five languages: no main language"
    for path in sorted((sample_corpus / "articles").glob("*.txt"))[1:]:
        path.unlink()
    sync_corpus(index, settings)
    [language] = {record.language for record in index.file_records().values()}
    assert bot.rewriter is not None, "one article left: its language is the main one"
    assert bot.rewriter("Who chaired the meeting?") == [lines[language]]
