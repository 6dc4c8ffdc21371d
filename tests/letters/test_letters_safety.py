"""Escaping, the sandbox, safe file names, idempotent runs, the combined file and the
fast rendering path against docxtpl's own."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from builders import uscc, write_register
from letters_fixture import docx_paragraphs, document_xml, letters_register, make_template
from lxml import etree

from sheetkit import render_letters
from sheetkit.errors import OutputError, TemplateError
from sheetkit.letters import safe_filename, template_path
from sheetkit.letters.context import KINDS, sample_context
from sheetkit.letters.render import LetterTemplate, docx_text, render_plain


def test_names_with_markup_characters_render_as_text(tmp_path, as_of):
    sheets = letters_register()
    sheets["机构"][0]["机构名称"] = "A&B<培训>学校\"'"
    path = write_register(tmp_path / "r.xlsx", sheets)
    result = render_letters([path], "filing", tmp_path / "out", as_of=as_of)
    letter = result.generated[0]["path"]
    assert docx_paragraphs(letter)[0] == "关于同意A&B<培训>学校\"'开展专项职业能力考核工作的函"
    xml = document_xml(letter)
    etree.fromstring(xml.encode("utf-8"))  # still well-formed
    assert "A&amp;B&lt;培训&gt;学校" in xml
    assert os.path.basename(letter) == f"filing_{uscc(1)}_A&B_培训_学校_'.docx"


def test_sandbox_refuses_attribute_tricks(tmp_path, register_path, as_of):
    folder = tmp_path / "tpl"
    folder.mkdir()
    make_template(folder / "filing.docx", ["{{ name }}", "{{ ''.__class__.__mro__ }}"])
    with pytest.raises(TemplateError, match="不允许"):
        render_letters([register_path], "filing", tmp_path / "out", as_of=as_of, templates=folder)
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_undefined_variable_is_refused(tmp_path, register_path, as_of):
    folder = tmp_path / "tpl"
    folder.mkdir()
    make_template(folder / "filing.docx", ["{{ name }}{{ nosuchfield }}"])
    with pytest.raises(TemplateError, match="nosuchfield"):
        render_letters([register_path], "filing", tmp_path / "out", as_of=as_of, templates=folder)


def test_own_templates_are_used_and_missing_ones_fall_back(tmp_path, register_path, as_of):
    folder = tmp_path / "tpl"
    folder.mkdir()
    make_template(folder / "filing.docx", ["本局函：{{ name }}（{{ period }}）"])
    result = render_letters([register_path], "filing", tmp_path / "out", as_of=as_of, templates=folder)
    assert docx_paragraphs(result.generated[0]["path"]) == ["本局函：济南第1职业技能培训学校（自2026年12月至2029年11月）"]
    result = render_letters([register_path], "revoke", tmp_path / "out", as_of=as_of, templates=folder)
    assert any("没有 revoke.docx" in w for w in result.warnings)
    assert docx_paragraphs(result.generated[0]["path"])[0].startswith("关于撤销")


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "etc_passwd"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("济南\x00\x07\u202e学校", "济南学校"),
    ("..", "机构"),
    ("名" * 100, "名" * 40),
])
def test_safe_filename(name, expected):
    got = safe_filename("filing", "91370100000000001W", name)
    assert got == f"filing_91370100000000001W_{expected}.docx"
    assert "/" not in got and "\\" not in got and ".." not in got


def test_unchanged_letter_is_left_alone_changed_is_an_error_force_overwrites(register_path, as_of, tmp_path):
    import datetime as dt

    out = tmp_path / "out"
    first = render_letters([register_path], "filing", out, as_of=as_of)
    path = first.generated[0]["path"]
    os.utime(path, (1_000_000_000, 1_000_000_000))
    again = render_letters([register_path], "filing", out, as_of=as_of)
    assert again.written == [] and [str(p) for p in again.unchanged] == [path]
    assert os.stat(path).st_mtime == 1_000_000_000  # not rewritten

    with pytest.raises(OutputError, match=os.path.basename(path)):
        render_letters([register_path], "filing", out, as_of=as_of, date=dt.date(2027, 1, 1))
    assert "2026年11月25日" in [t.strip() for t in docx_paragraphs(path)]  # untouched

    forced = render_letters([register_path], "filing", out, as_of=as_of, date=dt.date(2027, 1, 1), force=True)
    assert [str(p) for p in forced.written] == [path]
    assert "2027年1月1日" in [t.strip() for t in docx_paragraphs(path)]
    assert not [p for p in out.iterdir() if ".tmp" in p.name]  # no temporary files left


def test_combined_file_holds_every_letter_on_its_own_pages(register_path, as_of, tmp_path):
    result = render_letters([register_path], "feedback", tmp_path / "out", as_of=as_of, combined=True)
    assert result.combined is not None and result.combined.exists()
    import docx

    doc = docx.Document(str(result.combined))
    titles = [p.text for p in doc.paragraphs if p.text == "续期评估组意见反馈表"]
    assert len(titles) == 2
    assert [t.rows[0].cells[1].text for t in doc.tables] == ["济南第4职业技能培训学校", "济南第5职业技能培训学校"]
    xml = document_xml(result.combined)
    root = etree.fromstring(xml.encode("utf-8"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    sections = root.findall(".//w:sectPr", ns)
    assert len(sections) == 2  # a section break between the letters: each starts a new page
    assert all(s.find("w:pgNumType", ns).get(f"{{{ns['w']}}}start") == "1" for s in sections)


@pytest.mark.parametrize("kind", KINDS)
def test_fast_path_renders_what_docxtpl_renders(kind):
    path, _ = template_path(kind)
    context = sample_context(kind)
    context["name"] = "甲&乙<机构>"
    fast = LetterTemplate(path).render(context)
    buf = io.BytesIO()
    render_plain(path, context, buf)
    assert docx_text(fast) == docx_text(buf.getvalue())
    assert "甲&乙<机构>" in docx_text(fast)
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        assert z.testzip() is None
        assert set(z.namelist()) == set(zipfile.ZipFile(path).namelist())


def test_builtin_templates_use_only_known_variables():
    from sheetkit.letters.context import KEYS
    from sheetkit.letters.layout import LAYOUT_DEFAULTS

    for kind in KINDS:
        path, _ = template_path(kind)
        assert LetterTemplate(path).variables() <= KEYS[kind] | set(LAYOUT_DEFAULTS), kind


def test_a_run_interrupted_while_writing_leaves_no_broken_letter(register_path, as_of, tmp_path, monkeypatch):
    import pathlib

    real = pathlib.Path.write_bytes
    calls = {"n": 0}

    def interrupted(self, data):
        calls["n"] += 1
        if calls["n"] == 2:  # the second letter: half written, then the run is killed
            real(self, data[: len(data) // 2])
            raise KeyboardInterrupt
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", interrupted)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        render_letters([register_path], "feedback", out, as_of=as_of)
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"feedback_{uscc(4)}_济南第4职业技能培训学校.docx"]  # no temporary file, no half letter
    assert docx_paragraphs(out / files[0])[0] == "续期评估组意见反馈表"
