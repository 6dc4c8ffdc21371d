"""Workbook values and letter templates are untrusted: a value never becomes a formula,
markup or a path outside the output folder; a template cannot reach Python internals.
End to end, through the real commands, read back with openpyxl / python-docx."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from build_corpus import (  # noqa: E402
    FORMULA_NAME, LONG_ADDRESS, MARKUP_NAME, PATH_NAME, RARE_NAME, build_strange_text, write_with_text,
)
from builders import AS_OF, clean_register  # noqa: E402
from sheetkit.cli import cli  # noqa: E402

ISSUER = "济南市人力资源和社会保障局"
HYPERLINK = '=HYPERLINK("http://x.example/","点")'
ATTACKS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def applying(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "strange.xlsx"
    build_strange_text(path)
    return path


@pytest.fixture(scope="module")
def filed(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "strange-filed.xlsx"
    build_strange_text(path, filed=True)
    return path


def formula_cells(xlsx: Path) -> list[str]:
    """Every cell of every sheet that holds a formula, read from the XML itself."""
    import re

    found = []
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += [f"{name}:{m}" for m in re.findall(rb"<(?:\w+:)?f[ >/]", z.read(name))]
    return found


def string_cells(xlsx: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    values.append(c.value)
    return values


def test_directory_writes_values_as_text(filed, tmp_path):
    out = tmp_path / "目录.xlsx"
    result = run("directory", filed, "-o", out, "--year", "2026", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert formula_cells(out) == []
    values = string_cells(out)
    for name in (RARE_NAME, FORMULA_NAME, MARKUP_NAME, PATH_NAME, LONG_ADDRESS):
        assert name in values
    assert sorted(p.name for p in tmp_path.iterdir()) == ["目录.xlsx"]


@pytest.fixture(scope="module")
def formula_in_findings(tmp_path_factory):
    """A register whose bad values look like formulas, so they are quoted in findings."""
    sheets = clean_register()
    sheets["人员"][0]["身份证号"] = "身份证占位"
    sheets["机构"][0]["机构名称"] = "名称占位"
    sheets["机构"][0]["所属市"] = "城市占位"
    path = tmp_path_factory.mktemp("in") / "formulas.xlsx"
    return write_with_text(path, sheets, {"身份证占位": HYPERLINK, "名称占位": "=1+1", "城市占位": "=2+2"})


def test_report_workbook_quotes_values_as_text(formula_in_findings, tmp_path):
    out = tmp_path / "问题清单.xlsx"
    result = run("validate", formula_in_findings, "--report", out, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert formula_cells(out) == []
    values = string_cells(out)
    assert "=2+2" in values  # the city, a whole cell starting with "=", is text
    assert any(v.startswith("=1+1") for v in values)


def test_annotated_copy_keeps_values_as_text(formula_in_findings, tmp_path):
    out = tmp_path / "标注"
    result = run("validate", formula_in_findings, "--annotate", out, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    copies = list(out.glob("*.xlsx"))
    assert copies and all(c.resolve().parent == out.resolve() for c in copies)
    for copy in copies:
        assert formula_cells(copy) == []
        values = string_cells(copy)
        assert {HYPERLINK, "=1+1", "=2+2"} <= set(values)


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_letters_render_names_as_text_and_stay_in_the_output_folder(applying, tmp_path):
    root = tmp_path / "root"
    out = root / "out"
    result = run("letters", "filing", applying, "-o", out, "--as-of", AS_OF, "--date", AS_OF, "--issuer", ISSUER)
    assert result.exit_code == 0, result.output
    written = [p for p in root.rglob("*") if p.is_file()]
    assert written and all(p.resolve().parent == out.resolve() for p in written), written
    letters = sorted(out.glob("*.docx"))
    assert len(letters) == 4
    assert all(".." not in p.name and "/" not in p.name for p in letters)
    texts = "\n".join(_docx_text(p) for p in letters)
    for name in (RARE_NAME, FORMULA_NAME, MARKUP_NAME, PATH_NAME):
        assert name in texts, name
    assert not (tmp_path / "etc").exists() and not (root / "etc").exists()


def _template(folder: Path, text: str) -> Path:
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    d = docx.Document()
    d.add_paragraph("备案回执")
    d.add_paragraph(text)
    d.save(str(folder / "filing.docx"))
    return folder


@pytest.mark.parametrize("attack", ATTACKS)
def test_template_reaching_python_internals_is_refused(applying, tmp_path, attack):
    templates = _template(tmp_path / "tpl", attack)
    out = tmp_path / "out"
    result = run("letters", "filing", applying, "-o", out, "--as-of", AS_OF, "--date", AS_OF, "--issuer", ISSUER,
                 "--templates", templates)
    assert result.exit_code == 2, result.output
    assert "模板" in result.output and "Traceback" not in result.output
    for letter in out.glob("*.docx") if out.exists() else ():
        text = _docx_text(letter)
        assert "<class" not in text and "subclasses" not in text
