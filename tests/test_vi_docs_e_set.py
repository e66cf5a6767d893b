"""Corpus E: the synthetic Vietnamese fixtures in ``evals/fixtures/vi-docs-e/`` (written by
``evals/fixtures/make_fixtures_e.py``), scored by the gold list of facts ``evals/glance_gold_e.json``, and asked by a small development question set,
``evals/vi-docs-e-dev.jsonl`` (list items under a lead-in, a commune's divisions; written after the rules it
checks, so a development set only).

The gold list is checked here against the documents themselves, read the way its guidelines say (python-docx
paragraphs and table cells, the csv module, the Markdown file as plain text): its shape, and that every quote is
text of its document, in the section or CSV line it names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from fixture_corpora import assert_files_load_and_say_they_are_synthetic, assert_generator_current, load_documents
from langchain_core.documents import Document

from assistant.evaluation.glance import load_gold

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
DOCS = FIXTURES / "vi-docs-e"
GOLD = ROOT / "evals" / "glance_gold_e.json"
NAMES = (
    "kich-ban-chuyen-doi-sau-sap-nhap.docx",
    "mau-quyet-dinh-to-cong-tac-xa.docx",
    "mau-ke-hoach-trien-khai-xa.docx",
    "mau-bao-cao-so-lieu-ngay.docx",
    "danh-ba-dau-moi-va-lich-truc.csv",
    "thong-bao-ket-luan-giao-ban.md",
)
FACT_KEYS = {
    "id", "kind", "what", "date", "date_role", "value", "unit", "measures", "by", "actor", "actor_en", "duty",
    "levels", "stated_in",
}  # fmt: skip
PLACE_KEYS = {"source", "quote", "page", "section", "sheet", "row"}
LEVELS = {"central", "province", "commune"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _docx_blocks(path: Path) -> list[str]:
    """The body's paragraphs and table cells in document order (each merged cell once per table)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(item.text)
        elif isinstance(item, Table):
            seen: set[object] = set()  # the cell elements themselves: holding them keeps their identity
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        blocks.append(cell.text)
    return [_norm(block) for block in blocks]


def _markdown_blocks(path: Path) -> list[str]:
    """Paragraphs (blank-line separated); a heading's '#'s are dropped."""
    text = path.read_text(encoding="utf-8")
    return [_norm(re.sub(r"^#+\s*", "", part.strip())) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _csv_lines(path: Path) -> dict[int, list[str]]:
    """Line number (header = 1) -> cells."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return {number: [_norm(cell) for cell in row] for number, row in enumerate(rows, start=1)}


def _sectioned(blocks: list[str], sections: set[str]) -> list[tuple[str | None, str]]:
    """Each block with the section it falls under: a block opens section S when it is S or starts with S followed
    by '.', ':' or a space (so "Điều 2. Tổ công tác có nhiệm vụ:" opens "Điều 2")."""
    current: str | None = None
    out = []
    for block in blocks:
        for name in sections:
            if block == name or (block.startswith(name) and block[len(name)] in ".: "):
                current = name
        out.append((current, block))
    return out


@pytest.fixture(scope="module")
def documents() -> dict[str, list[Document]]:
    return load_documents(DOCS, NAMES)


def test_fixture_files_load_and_say_they_are_synthetic(documents: dict[str, list[Document]]) -> None:
    assert_files_load_and_say_they_are_synthetic(DOCS, NAMES, documents)
    for name in NAMES:  # the corpus's own label, in the raw text too
        if name.endswith(".docx"):
            text = " ".join(_docx_blocks(DOCS / name))
        else:
            text = (DOCS / name).read_text(encoding="utf-8-sig")
        assert "TÀI LIỆU MẪU TỔNG HỢP" in text and "(bộ E)" in text and "synthetic test material" in text, name


def test_generator_is_deterministic_and_committed_files_are_current(tmp_path: Path) -> None:
    assert_generator_current(FIXTURES / "make_fixtures_e.py", DOCS, NAMES, tmp_path)


def test_the_gold_list_is_well_formed() -> None:
    gold = _gold()
    assert set(gold) == {"version", "guidelines", "documents", "facts"} and gold["version"] == 1
    assert sorted(gold["documents"]) == sorted(NAMES) and gold["guidelines"].strip()
    facts = gold["facts"]
    assert [f["id"] for f in facts] == [f"e-{n:03d}" for n in range(1, len(facts) + 1)]
    for f in facts:
        where = f["id"]
        assert set(f) == FACT_KEYS, where
        assert f["kind"] in {"deadline", "target", "responsibility"}, where
        assert isinstance(f["what"], str) and f["what"].strip(), where
        assert isinstance(f["levels"], list) and set(f["levels"]) <= LEVELS, where
        for day in (f["date"], f["by"]):
            if day is not None and ISO_DAY.fullmatch(day):
                date.fromisoformat(day)
        if f["kind"] == "deadline":
            assert f["date"] and ISO_DAY.fullmatch(f["date"]) and f["date_role"] in {"by", "from"}, where
            assert f["value"] is None and f["duty"] is None, where
            assert (f["actor"] is None) == (f["actor_en"] is None), where
        elif f["kind"] == "target":
            assert isinstance(f["value"], int | float) and f["unit"] and f["measures"], where
            assert f["by"] is None or ISO_DAY.fullmatch(f["by"]) or re.fullmatch(r"\d{4}", f["by"]), where
            assert f["date"] is None and f["date_role"] is None and f["actor"] is None and f["duty"] is None, where
        else:
            assert f["actor"] and f["actor_en"] and f["duty"] and f["value"] is None, where
            assert (f["date"] is None) == (f["date_role"] is None), where
            assert f["date"] is None or (ISO_DAY.fullmatch(f["date"]) and f["date_role"] == "by"), where
        assert f["stated_in"], where
        for place in f["stated_in"]:
            assert set(place) == PLACE_KEYS and place["source"] in NAMES, where
            assert place["page"] is None and place["sheet"] is None and place["quote"].strip(), where
            if place["source"].endswith(".csv"):
                assert isinstance(place["row"], int) and place["section"] is None, where
            else:
                assert place["row"] is None and place["section"], where
    # no fact twice: one entry per (kind, actor, duty, date) and per (target, measures, by)
    keys = [(f["kind"], f["actor"], f["duty"], f["date"], f["measures"], f["by"], f["what"]) for f in facts]
    assert len(keys) == len(set(keys))


def test_the_scorer_reads_the_gold_list_and_it_names_these_documents_only() -> None:
    gold, documents = load_gold(GOLD)
    assert set(documents) == set(NAMES) and {g.source for g in gold} <= set(NAMES)
    assert len({g.fact_id for g in gold}) == len(_gold()["facts"])


def test_every_quote_is_text_of_its_document_where_the_gold_list_says() -> None:
    facts = _gold()["facts"]
    places = [(f["id"], place) for f in facts for place in f["stated_in"]]
    sections: dict[str, set[str]] = {}
    for _, place in places:
        if place["section"]:
            sections.setdefault(place["source"], set()).add(place["section"])
    missing = []
    for name in NAMES:
        path = DOCS / name
        if name.endswith(".csv"):
            lines = _csv_lines(path)
            for fid, place in places:
                if place["source"] == name:
                    cells = lines.get(place["row"], [])
                    if not any(_norm(place["quote"]) in cell for cell in cells):
                        missing.append((fid, name, place["row"], place["quote"]))
            continue
        blocks = _docx_blocks(path) if name.endswith(".docx") else _markdown_blocks(path)
        found = _sectioned(blocks, sections.get(name, set()))
        opened = {section for section, _ in found}
        for section in sections.get(name, set()):
            assert section in opened, f"{name}: no heading or paragraph opens section {section!r}"
        for fid, place in places:
            if place["source"] == name:
                quote = _norm(place["quote"])
                if not any(section == place["section"] and quote in block for section, block in found):
                    missing.append((fid, name, place["section"], place["quote"]))
    assert not missing, missing


def test_gold_facts_cover_every_document() -> None:
    facts = _gold()["facts"]
    per_document = {name: 0 for name in NAMES}
    for f in facts:
        for name in {place["source"] for place in f["stated_in"]}:
            per_document[name] += 1
    assert all(count >= 20 for count in per_document.values()), per_document


QUESTIONS = [json.loads(line) for line in (ROOT / "evals" / "vi-docs-e-dev.jsonl").read_text().splitlines() if line]


def test_every_answerable_question_is_answered_by_its_documents_and_no_near_miss_date_is_stated(
    documents: dict[str, list[Document]],
) -> None:
    from assistant.retrieval.keys import asked_keys, extract_keys

    texts = {name: "\n".join(d.page_content for d in docs) for name, docs in documents.items()}
    for q in QUESTIONS:
        if q["should_refuse"]:
            continue
        for fact in q["expected_facts"]:
            assert any(re.search(fact, texts[name], re.IGNORECASE) for name in q["expected_sources"]), (q["id"], fact)
    lines = [extract_keys(line) for text in texts.values() for line in text.splitlines()]
    for q in QUESTIONS:  # a near miss that names a date or quarter names one no line states (with its year)
        asked = {k for k in asked_keys(q["question"]) if k.startswith(("date:", "quarter:", "year:"))}
        if q["should_refuse"] and asked:
            assert not any(asked <= keys for keys in lines), (q["id"], asked)
