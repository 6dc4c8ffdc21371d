"""The directory printed: LibreOffice converts it to PDF (A4 landscape, page numbers in the
footer, the header row on every page); pdftoppm renders a page to look at."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from builders import uscc
from directory_fixture import YEAR, directory_register, write_directory_register

from sheetkit.directory import write_directory

pytestmark = pytest.mark.libreoffice


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} 不可用（需要 LibreOffice 与 poppler-utils）：跳过目录的 PDF 检查")
    return path


def _convert(soffice: str, xlsx, tmp_path):
    out = tmp_path / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=240)
    return out / (xlsx.stem + ".pdf")


def test_directory_prints_on_a4_landscape_with_repeated_header(tmp_path):
    soffice, pdftotext, pdftoppm = _tool("soffice"), _tool("pdftotext"), _tool("pdftoppm")
    sheets = directory_register()
    # enough rows for the province sheet to need a second page
    extra = [dict(sheets["机构"][0], 统一社会信用代码=uscc(100 + k), 机构名称=f"济南第{100 + k}职业技能培训学校",
                  机构代码=f"SX{k:04d}") for k in range(40)]
    sheets["机构"].extend(extra)
    register = write_directory_register(tmp_path / "register.xlsx", sheets)
    result = write_directory([register], tmp_path / "目录.xlsx", YEAR)
    pdf = _convert(soffice, result.xlsx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout \
        if shutil.which("pdfinfo") else ""
    if info:
        assert "841.89 x 595.3" in info  # A4 landscape, in points (297 × 210 mm)
    pages = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = ["".join(page.split()) for page in pages]  # pdftotext spacing varies
    assert "2026年山东省专项职业能力考核机构目录" in pages[0]
    assert "第1页共" in pages[0]
    assert "济南第1职业技能培训学校" in pages[0]
    # page 2 still belongs to the province sheet and repeats the header row
    assert "统一社会信用代码" in pages[1] and "备案状态" in pages[1]
    assert "第2页共" in pages[1]
    png = tmp_path / "page"
    subprocess.run([pdftoppm, "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(png)], check=True,
                   timeout=120)
    rendered = list(tmp_path.glob("page*.png"))
    assert rendered and rendered[0].stat().st_size > 10_000
