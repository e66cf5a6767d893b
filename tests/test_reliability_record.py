"""docs/reliability.md stays in step with the tests that back it.

The record is Markdown tables, one per kind of trial, with the columns
``| What was tried | Run by | Observed |``. Every row's "Run by" cell names the tests behind it as
node ids in backticks (``tests/test_x.py::test_y``, a parametrised case as ``::test_y[case]``), or
starts with ``one-off:`` and says why no test can repeat it. This test fails when a named test file,
test function or case no longer exists, when a row names no test without saying so, and when the
stated number of inputs fuzzed per CI run drifts from the budgets in ``tests/test_fuzz_loaders.py``.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "docs" / "reliability.md"
NODE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[([^\]`]+)\])?`")
FUZZ_TOTAL = re.compile(r"\*\*Inputs fuzzed per CI run: ([\d,]+)\*\*")
BUDGET = re.compile(r"^@budget\((\d+)\)", re.MULTILINE)


@cache
def defined_tests(path: Path) -> frozenset[str]:
    """Names of the test functions in ``path`` (module level and in classes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")
    )


def rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every data row of every table (not header or separator rows)."""
    found, previous = [], ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        is_row = stripped.startswith("|") and stripped.endswith("|")
        separator = is_row and re.fullmatch(r"\|[\s:|-]+\|", stripped)
        header = is_row and not separator and not previous.startswith("|")
        if is_row and not separator and not header:
            found.append((number, [cell.strip() for cell in stripped.strip("|").split("|")]))
        previous = stripped
    return found


def missing_nodes(text: str) -> list[str]:
    """The node ids in ``text`` whose file, function or case does not exist."""
    missing = []
    for match in NODE.finditer(text):
        file, function, case = match.groups()
        path = REPO / file
        if not path.is_file():
            missing.append(f"{match.group(0)}: no file {file}")
        elif function not in defined_tests(path):
            missing.append(f"{match.group(0)}: no test {function} in {file}")
        elif case is not None and f'"{case}"' not in path.read_text(encoding="utf-8"):
            missing.append(f"{match.group(0)}: no case {case!r} in {file}")
    return missing


def unbacked_rows(text: str) -> list[str]:
    """Rows whose "Run by" cell names no test and is not marked one-off."""
    return [
        f"line {number}: {cells[0][:80]}"
        for number, cells in rows(text)
        if len(cells) < 3 or not (NODE.search(cells[1]) or cells[1].startswith("one-off:"))
    ]


def test_every_named_test_exists() -> None:
    text = RECORD.read_text(encoding="utf-8")
    assert len(NODE.findall(text)) >= 20, "the record names the tests behind it"
    assert not missing_nodes(text)


def test_every_row_names_its_tests() -> None:
    text = RECORD.read_text(encoding="utf-8")
    assert len(rows(text)) >= 20
    assert not unbacked_rows(text)


def test_the_fuzzing_total_matches_the_budgets() -> None:
    stated = FUZZ_TOTAL.search(RECORD.read_text(encoding="utf-8"))
    assert stated, "the record states the inputs fuzzed per CI run"
    budgets = BUDGET.findall((REPO / "tests" / "test_fuzz_loaders.py").read_text(encoding="utf-8"))
    assert budgets and int(stated.group(1).replace(",", "")) == sum(map(int, budgets))


def test_the_checks_catch_a_stale_record() -> None:
    """The checks above can fail: a renamed test, an unknown case and a row without tests are caught."""
    stale = (
        "| What was tried | Run by | Observed |\n|---|---|---|\n"
        "| a | `tests/test_reliability_record.py::test_that_was_renamed` | x |\n"
        "| b | `tests/test_fuzz_loaders.py::test_hostile_file[no-such-case]` | x |\n"
        "| c | by hand | x |\n"
        "| d | one-off: third-party files, not kept | x |\n"
        "| e | `tests/test_nowhere.py::test_x` | x |\n"
    )
    assert len(missing_nodes(stale)) == 3
    assert unbacked_rows(stale) == ["line 5: c"]
