"""The LLM call cache: replies revived without warnings, only as AI messages, and kept to a size."""

from __future__ import annotations

import sqlite3
import warnings
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.load import dumps
from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.outputs import ChatResult
from langchain_core.prompts import PromptTemplate
from pydantic import Field

from assistant.models.llm_cache import sqlite_cached


class Recorder(FakeListChatModel):
    """Records each prompt it is actually asked (copies share the record; cache hits never reach it)."""

    asked: list[str] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.asked.append(str(messages[-1].content))
        return super()._generate(messages, *args, **kwargs)


def rows(path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT prompt FROM full_llm_cache ORDER BY rowid")]


def test_a_cached_reply_is_served_without_a_warning(tmp_path) -> None:
    path, model = tmp_path / "c.sqlite", Recorder(responses=["first", "second"])
    sqlite_cached(model, path).invoke([HumanMessage("q")])
    again = sqlite_cached(model, path)  # e.g. a new process
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert again.invoke([HumanMessage("q")]).text == "first"
    assert model.asked == ["q"], "the second call is served from the file"


def test_an_entry_that_is_not_an_ai_reply_is_a_miss(tmp_path) -> None:
    path, model = tmp_path / "c.sqlite", Recorder(responses=["real"])
    sqlite_cached(model, path).invoke([HumanMessage("q")])
    with sqlite3.connect(path) as db:  # someone rewrites the file: the entry now revives a prompt object
        db.execute("UPDATE full_llm_cache SET response = ?", (dumps(PromptTemplate.from_template("{x}")),))
    fresh = sqlite_cached(model, path)
    fresh.invoke([HumanMessage("q")])
    assert model.asked == ["q", "q"], "the model is asked again instead of reviving the entry"


def test_only_the_newest_entries_are_kept(tmp_path) -> None:
    path = tmp_path / "c.sqlite"
    model = sqlite_cached(FakeListChatModel(responses=["a", "b", "c", "d"]), path, max_entries=2)
    for q in ["q1", "q2", "q3"]:
        model.invoke([HumanMessage(q)])
    kept = rows(path)
    assert len(kept) == 2 and "q1" not in " ".join(kept) and "q3" in " ".join(kept)
