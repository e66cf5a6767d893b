"""Components and the properties to recompute when the interface language changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.web.i18n import t

Value = str | Callable[[str], Any]


class Relabeler:
    """Components and the properties to recompute when the interface language changes.

    >>> labels = Relabeler()                                   # doctest: +SKIP
    >>> box = labels.add(gr.Textbox(), label="chat.input")     # doctest: +SKIP
    """

    def __init__(self) -> None:
        self._items: list[tuple[Any, dict[str, Value]]] = []

    def add(self, component: Any, **props: Value) -> Any:
        """Register ``component``; each prop is a text key or a function of the language."""
        self._items.append((component, props))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self._items]

    def values(self, lang: str) -> list[dict[str, Any]]:
        """For each component, its props in ``lang`` (keys resolved, functions called)."""
        return [
            {prop: (value(lang) if callable(value) else t(lang, value)) for prop, value in props.items()}
            for _, props in self._items
        ]

    def updates(self, lang: str) -> list[Any]:
        import gradio as gr

        return [gr.update(**props) for props in self.values(lang)]
