"""Reading a DOCX: seconds and paragraphs per second for a long template-like document.

    .venv/bin/python benchmarks/docx_bench.py [--paragraphs 1000 3000 10000]

Each document has an article heading every 20 paragraphs, a Word-numbered list item every 5th paragraph,
a content control every 10th and a two-row table every 100, all in the default paragraph style: the
shapes `assistant/ingest/word.py` reads (numbering, unwrapping, headings by style and by text). No
embedding model is involved. Goal: a 300-page guidebook (about 10,000 paragraphs) reads in seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.ingest.word import read_docx  # noqa: E402

W = nsdecls("w")


def build(path: Path, paragraphs: int) -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f"<w:abstractNum {W} w:abstractNumId='90'><w:lvl w:ilvl='0'><w:start w:val='1'/>"
                               "<w:numFmt w:val='decimal'/><w:lvlText w:val='%1.'/></w:lvl></w:abstractNum>"))  # fmt: skip
    numbering.append(parse_xml(f"<w:num {W} w:numId='91'><w:abstractNumId w:val='90'/></w:num>"))
    body = document.element.body
    for n in range(paragraphs):
        if n % 20 == 0:
            document.add_paragraph(f"Điều {n // 20 + 1}. Nhiệm vụ số {n // 20 + 1}")
        elif n % 5 == 0:
            body.insert(len(body) - 1, parse_xml(
                f"<w:p {W}><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='91'/></w:numPr></w:pPr>"
                f"<w:r><w:t>Rà soát hồ sơ nhóm {n} trước ngày 30/9/2025;</w:t></w:r></w:p>"))  # fmt: skip
        elif n % 10 == 0:
            body.insert(len(body) - 1, parse_xml(
                f"<w:p {W}><w:r><w:t xml:space='preserve'>Người phụ trách: </w:t></w:r><w:sdt><w:sdtContent>"
                f"<w:r><w:t>Cán bộ số {n}</w:t></w:r></w:sdtContent></w:sdt></w:p>"))  # fmt: skip
        else:
            document.add_paragraph(f"Đoạn {n}: Ủy ban nhân dân xã báo cáo kết quả thực hiện hằng tháng.")
        if n % 100 == 99:
            table = document.add_table(rows=2, cols=2)
            for cell, value in zip(table.rows[0].cells + table.rows[1].cells, ("STT", "Nội dung", "1", f"Mục {n}")):
                cell.text = value
    document.save(path)


def main(argv: list[str] | None = None) -> list[dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, nargs="+", default=[1000, 3000, 10000])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for count in args.paragraphs:
            path = Path(work) / f"mau-{count}.docx"
            build(path, count)
            started = time.perf_counter()
            units = read_docx(path).units
            seconds = time.perf_counter() - started
            rows.append({"paragraphs": count, "units": len(units), "seconds": seconds,
                         "paragraphs_per_s": count / seconds if seconds else 0.0})  # fmt: skip
    table = Table(title="read_docx")
    for column in ("paragraphs", "units", "seconds", "paragraphs/s"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(str(row["paragraphs"]), str(row["units"]), f"{row['seconds']:.2f}", f"{row['paragraphs_per_s']:.0f}")
    Console().print(table)
    return rows


if __name__ == "__main__":
    main()
