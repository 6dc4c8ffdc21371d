"""PDF copies through LibreOffice: the text is there and the Chinese faces are embedded."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import uscc

from sheetkit import render_letters
from sheetkit.letters.pdf import EXTRA_FONT_DIRS, find_soffice, fontconfig, installed_families

pytestmark = pytest.mark.libreoffice

needs_tools = pytest.mark.skipif(
    find_soffice() is None or not shutil.which("pdftotext") or not shutil.which("pdffonts"),
    reason="needs LibreOffice (soffice) and poppler-utils (pdftotext, pdffonts)",
)


@needs_tools
def test_pdf_has_the_text_and_embedded_cjk_fonts(register_path, as_of, tmp_path):
    out = tmp_path / "out"
    result = render_letters([register_path], "feedback", out, as_of=as_of, pdf=True, combined=True)
    assert len(result.pdfs) == 3  # two forms and the combined file, in one LibreOffice call
    for g in result.generated:
        assert g["pdf"].endswith(".pdf")
    pdf = out / f"feedback_{uscc(4)}_济南第4职业技能培训学校.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = re.sub(r"\s+", "", text)  # pdftotext spaces CJK from digits: 第 4 职业
    for expected in ("续期评估组意见反馈表", "济南第4职业技能培训学校", "王专家", "赵专家", "钱专家", "合格"):
        assert expected in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    cjk = [r for r in rows if "CJK" in r[0] or "Song" in r[0] or "Fang" in r[0] or "Hei" in r[0]]
    assert cjk, fonts
    assert all("yes" == r[-5] for r in cjk), fonts  # the "emb" column
    combined = subprocess.run(["pdftotext", str(out / "feedback_合并打印.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert combined.count("续期评估组意见反馈表") == 2
    assert not [p for p in out.iterdir() if ".tmp" in p.name]


def test_missing_libreoffice_is_a_clear_error(register_path, as_of, tmp_path, monkeypatch):
    from sheetkit.errors import OutputError
    from sheetkit.letters import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(OutputError, match="LibreOffice"):
        render_letters([register_path], "filing", tmp_path / "out", as_of=as_of, pdf=True)


FANDOL = [Path(d) for d in EXTRA_FONT_DIRS if (Path(d) / "FandolSong-Bold.otf").is_file()
          and (Path(d) / "FandolFang-Regular.otf").is_file()]


@needs_tools
@pytest.mark.skipif(not FANDOL, reason="needs the Fandol fonts (texlive-lang-chinese: FandolSong-Bold.otf, FandolFang-Regular.otf)")
def test_pdf_title_is_fandolsong_bold_and_body_fandolfang(register_path, as_of, tmp_path):
    result = render_letters([register_path], "filing", tmp_path / "out", as_of=as_of, pdf=True)
    pdf = result.generated[0]["pdf"]
    # the title is the letter's only text in a 宋 face (page numbers use FandolSong Regular);
    # before the fix LibreOffice never used FandolSong-Bold at all
    fonts = subprocess.run(["pdffonts", "-f", "1", "-l", "1", pdf], capture_output=True, text=True,
                           check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert "FandolSong-Bold" in names, fonts
    assert "FandolFang-Regular" in names, fonts
    if "方正小标宋简体" not in (installed_families(fontconfig(tmp_path / "fonts.conf")) or set()):
        assert "PDF 中“方正小标宋简体”未安装，以“FandolSong Bold”代替" in result.warnings


LONG_NAME = "济南市历下区泉城路街道社区居家养老服务中心附属老年照护与家政服务职业技能培训学校有限责任公司"


def _long_name_filing(tmp_path, pdf: bool):
    from builders import clean_register, write_register

    sheets = clean_register(1, projects=("老年照护", "家政服务"))
    sheets["机构"][0]["机构名称"] = LONG_NAME
    path = write_register(tmp_path / "r.xlsx", sheets)
    return render_letters([path], "filing", tmp_path / "out", as_of=AS_OF_LONG, number="临人社函〔2026〕{n}号",
                          date=AS_OF_LONG.replace(day=30), pdf=pdf)


AS_OF_LONG = __import__("datetime").date(2026, 11, 22)


def test_the_signature_keeps_the_text_above_it(tmp_path):
    """The paragraphs from the 附件 line down to the issuer are kept with the next, so a
    signature that does not fit the page takes the 附件 line along (GB/T 9704 7.3.5)."""
    import docx

    result = _long_name_filing(tmp_path, pdf=False)
    doc = docx.Document(result.generated[0]["path"])
    paras = doc.paragraphs
    k = next(i for i, p in enumerate(paras) if p.style.name == "署名")
    above = next(i for i in range(k - 1, -1, -1) if paras[i].text.strip())
    assert paras[above].text.startswith("附件：")
    assert all(paras[i].paragraph_format.keep_with_next for i in range(above, k + 1))
    assert not paras[above - 1].paragraph_format.keep_with_next  # only the last text paragraph


@needs_tools
def test_a_long_name_does_not_leave_the_signature_alone_on_a_page(tmp_path):
    """A 46-character name pushed 署名 and 成文日期 onto page 2 by themselves."""
    result = _long_name_filing(tmp_path, pdf=True)
    pdf = result.generated[0]["pdf"]
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = [re.sub(r"\s+", "", p) for p in text.split("\f")]
    page = next(p for p in pages if "济南市人力资源和社会保障局" in p)
    assert "附件：" in page, pages
    assert "2026年11月30日" in page
