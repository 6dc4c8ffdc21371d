"""Letters follow the profile: the basis and the website come from it, and a profile whose
notice ships no templates (gansu-2022) needs the province's own."""

from __future__ import annotations

import shutil

import pytest
from builders import clean_register, write_register
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.letters import builtin_templates
from sheetkit.letters.render import docx_text


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


@pytest.fixture
def gansu_register(tmp_path):
    sheets = clean_register()
    for row in sheets["机构"]:
        row["所属市"] = "兰州"
    sheets["设置"] = [{"项目": "发文单位", "值": "兰州市人力资源和社会保障局"}]
    return write_register(tmp_path / "兰州.xlsx", sheets)


@pytest.mark.parametrize("kind", ["filing", "adjust", "renewal", "revoke"])
def test_gansu_without_templates_stops_with_one_line(gansu_register, tmp_path, kind):
    out = tmp_path / "out"
    res = run("letters", kind, gansu_register, "-o", out, "--profile", "gansu-2022", "--as-of", "2026-11-22")
    assert res.exit_code == 2
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    assert "甘人社通〔2022〕110号未附" in lines[0] and "--templates" in lines[0] and f"{kind}.docx" in lines[0]
    assert not out.exists()


def test_gansu_with_its_own_templates_cites_nothing_of_shandong(gansu_register, tmp_path):
    own = tmp_path / "甘肃模板"
    own.mkdir()
    shutil.copy(builtin_templates() / "filing.docx", own / "filing.docx")
    out = tmp_path / "out"
    res = run("letters", "filing", gansu_register, "-o", out, "--profile", "gansu-2022", "--as-of", "2026-11-22",
              "--templates", own)
    assert res.exit_code == 0, res.output
    (letter,) = out.glob("filing_*.docx")
    text = docx_text(letter.read_bytes())
    assert "《关于印发甘肃省专项职业能力考核工作方案的通知》（甘人社通〔2020〕296号）等文件要求" in text
    assert "以甘肃省技能人才评价网公布情况为准" in text
    assert "山东" not in text and "鲁人社" not in text
    # a folder without the kind's template is no way round it
    res = run("letters", "adjust", gansu_register, "-o", out, "--profile", "gansu-2022", "--templates", own)
    assert res.exit_code == 2 and "adjust.docx" in res.stderr


def test_shandong_letters_keep_the_notice_wording(tmp_path):
    path = write_register(tmp_path / "r.xlsx", {**clean_register(),
                                               "设置": [{"项目": "发文单位", "值": "济南市人力资源和社会保障局"}]})
    out = tmp_path / "out"
    assert run("letters", "filing", path, "-o", out, "--as-of", "2026-11-22").exit_code == 0
    text = docx_text(next(out.glob("filing_*.docx")).read_bytes())
    assert ("根据《山东省人力资源和社会保障厅关于印发〈山东省专项职业能力考核社会化改革试点方案〉的通知》"
            "（鲁人社字〔2023〕22号）等文件要求") in text
    assert "以山东省技能人才评价工作网公布情况为准" in text
