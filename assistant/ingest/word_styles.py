"""A DOCX's styles followed up their "based on" chains: the first style of a chain that sets a property
(a font, a list, an outline level) gives it, as in Word. One walker for the readers that ask."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
T = TypeVar("T")


class StyleChains:
    """The styles part (``styles``, None for none) by style id, its default paragraph style, its defaults."""

    def __init__(self, styles: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.defaults = styles.find(f"{_W}docDefaults") if styles is not None else None
        for style in styles.iter(f"{_W}style") if styles is not None else ():
            style_id = style.get(f"{_W}styleId")
            if style_id:
                self.by_id[style_id] = style
                if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true"):
                    self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        """The style and the styles it is based on, nearest first (a loop in the chain ends it)."""
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None

    def first(self, style_id: str | None, read: Callable[[etree._Element], T | None]) -> T | None:
        """What ``read`` finds in the nearest style of the chain where it finds anything."""
        return next((found for style in self.chain(style_id) if (found := read(style)) is not None), None)
