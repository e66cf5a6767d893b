"""Reading a scanned PDF by OCR: seconds per page (Tesseract, `assistant/ingest/ocr.py`).

    .venv/bin/python benchmarks/ocr_bench.py [--pages 1 5 20] [--dpi 200]

Each page is the picture of an A4 page of Vietnamese text (35 lines of a decision's articles, dates and
figures, drawn in DejaVu Sans at the given resolution, as a scanner in grey would store it), read through
the loader as `assistant index` reads it, and checked: the share of the drawn lines found as written.
Goal: a scanned decision of a few pages reads in seconds, a 100-page scanned guidebook within minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.ingest import load_file, load_manifest  # noqa: E402
from assistant.settings import CorpusSettings  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def lines_of(page: int) -> list[str]:
    return [f"Điều {page * 35 + n}. Ủy ban nhân dân xã báo cáo kết quả trước ngày {n % 28 + 1}/{n % 12 + 1}/2025, "
            f"đạt {50 + n}% hồ sơ." for n in range(35)]  # fmt: skip


def build(path: Path, pages: int, dpi: int) -> list[str]:
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    pdf, drawn = FPDF(), []
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    face = ImageFont.truetype(str(FONT), max(10, dpi * 11 // 72))  # 11-point text
    for page in range(pages):
        scan = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(scan)
        for n, line in enumerate(lines_of(page)):
            draw.text((dpi * 0.8, dpi * (0.8 + n * 0.28)), line, font=face, fill=0)
        drawn += lines_of(page)
        pdf.add_page()
        pdf.image(scan, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return drawn


def main(argv: list[str] | None = None) -> list[dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        settings = CorpusSettings(dir=folder)
        for count in args.pages:
            path = folder / f"scan-{count}.pdf"
            drawn = build(path, count, args.dpi)
            started = time.perf_counter()
            loaded = load_file(path, folder, settings, manifest=load_manifest(folder, settings))
            seconds = time.perf_counter() - started
            text = "\n".join(d.page_content for d in loaded.documents)
            rows.append({"pages": count, "seconds": seconds, "seconds_per_page": seconds / count,
                         "lines_exact": sum(line in text for line in drawn) / len(drawn)})  # fmt: skip
            path.unlink()
    table = Table(title=f"OCR of scanned pages ({args.dpi} dpi)")
    for column in ("pages", "seconds", "s/page", "lines read exactly"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(str(row["pages"]), f"{row['seconds']:.1f}", f"{row['seconds_per_page']:.2f}",
                      f"{row['lines_exact']:.2f}")  # fmt: skip
    Console().print(table)
    return rows


if __name__ == "__main__":
    main()
