"""The trainer's review of a built quiz: edit an item (re-checked), discard one, regenerate one.

This is the Python API the web chat's quiz tab calls (the tab itself is not built here)::

    session = QuizSession.build(assistant, QuizRequest(items=5, language="vi", seed=1))
    session.quiz                                  # the items and the quality report
    result = session.edit(item_id, stem="…")      # re-checked; applied only when it passes (or force=True)
    session.discard(item_id)
    session.regenerate(item_id)                   # the next untried candidate, checked, in its place

Every change is recorded in the quality report (a discarded or replaced item is listed as dropped
with the reason ``review.discarded`` / ``review.regenerated``). In the LLM mode a replacement is
reworded by the model like any candidate; an edited item is checked again whoever wrote it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from assistant.quiz.checks import check_all
from assistant.quiz.errors import QuizItemError
from assistant.quiz.flaws import Flaw
from assistant.quiz.generate import QuizBuilder, builder_for
from assistant.quiz.items import DropReason, Quiz, QuizItem
from assistant.quiz.request import QuizRequest

if TYPE_CHECKING:
    from assistant.api import Assistant


class EditResult(BaseModel):
    """What an edit gave: the revised item, whether it replaced the old one, and what its checks found."""

    item: QuizItem
    applied: bool
    problems: list[DropReason] = Field(default_factory=list)


class QuizSession:
    """A built quiz under review. Build it with :meth:`build` (or around a run :class:`QuizBuilder`)."""

    def __init__(self, builder: QuizBuilder) -> None:
        self.builder = builder

    @classmethod
    def build(cls, assistant: Assistant, request: QuizRequest) -> QuizSession:
        builder = builder_for(assistant, request)
        builder.run()
        return cls(builder)

    @property
    def quiz(self) -> Quiz:
        return self.builder.quiz()

    @property
    def seconds(self) -> float:
        return self.builder.seconds

    def quiz_flaws(self) -> list[Flaw]:
        return self.builder.quiz_flaws()

    def edit(self, item_id: str, *, force: bool = False, **changes: Any) -> EditResult:
        """Apply ``changes`` (fields of :class:`QuizItem`) to an item and run every check again.

        The revised item replaces the old one when it passes, or when ``force`` (the trainer keeps it
        anyway; the problems are still returned). A change the item model refuses raises
        ``QuizItemError`` naming the field; an unknown ``item_id`` raises ``QuizRequestError``.
        """
        builder = self.builder
        index = builder.index_of(item_id)
        old = builder.kept[index]
        if "id" in changes:
            raise QuizItemError("id", "is derived from the item's content and cannot be edited")
        revised = old.revised(**changes)
        source = builder.sources[old.id]
        others = [item for item in builder.kept if item.id != old.id]
        problems = check_all(revised, source, kept=others, search=builder.search, settings=builder.settings)
        applied = not problems or force
        if applied:
            builder.kept[index] = revised
            del builder.sources[old.id]
            builder.sources[revised.id] = source
        return EditResult(item=revised, applied=applied, problems=problems)

    def discard(self, item_id: str) -> QuizItem:
        """Take an item out of the quiz (listed in the report as discarded by the trainer)."""
        item = self.builder.drop(item_id, "review.discarded", "discarded by the trainer")
        self.builder.sources.pop(item.id, None)
        return item

    def regenerate(self, item_id: str) -> QuizItem | None:
        """Replace an item by the next candidate that passes the checks, in its place; None when none is left
        (the old item is then removed all the same)."""
        builder = self.builder
        index = builder.index_of(item_id)
        old = builder.drop(item_id, "review.regenerated", "replaced at the trainer's request")
        builder.sources.pop(old.id, None)
        while builder.next_entry < len(builder.plan):
            entry = builder.plan[builder.next_entry]
            builder.next_entry += 1
            if isinstance(entry, list) or entry[0].id not in self._used_facts():
                item = builder.try_entry(entry, position=index)
                if item is not None:
                    return item
        return None

    def _used_facts(self) -> set[str]:
        return {fact_id for source in self.builder.sources.values() for fact_id in source.fact_ids}
