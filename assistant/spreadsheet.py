"""Cells that stay text when an export is opened in a spreadsheet program.

Document text is untrusted: a table cell or sentence that starts with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return) is read by Excel and LibreOffice as a formula when a CSV export is
opened ("CSV injection", OWASP), and openpyxl writes such a string into an XLSX file as a
formula. CSV cells get the usual guard, a leading apostrophe (which spreadsheet programs hide),
and :func:`unguard` takes it off again where a CSV export is read back; XLSX cells are typed as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    """``value`` safe as a CSV cell: an apostrophe before a leading formula character."""
    return f"'{value}" if value.startswith(_TRIGGERS) else value


def unguard(value: str) -> str:
    """A CSV cell as written before :func:`guard`."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_TRIGGERS) else value


def guarded(row: Mapping[str, Any]) -> dict[str, Any]:
    """A CSV row (column → value) with every text cell guarded."""
    return {key: guard(value) if isinstance(value, str) else value for key, value in row.items()}


def as_text(cells: Iterable[Any]) -> None:
    """Type the string cells of an openpyxl row as text, so none is stored as a formula."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
