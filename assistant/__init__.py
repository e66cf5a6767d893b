"""Plan 02 guidebook assistant: retrieval-augmented answers with verified citations.

``from assistant import Assistant`` is the Python API. Importing the package
has no side effects; heavy modules load when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.api import Assistant

__all__ = ["Assistant"]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from assistant.api import Assistant

        return Assistant
    raise AttributeError(name)
