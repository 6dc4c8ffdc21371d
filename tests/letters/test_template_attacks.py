"""A letter template is untrusted (issue 15 item 7): `templates check` and `letters` run
one validation — the package (no external relationships, bounded parts, no DTD), the
tags (no include/import/extends), bounded `range` and `*`, and a render budget of time
and memory. What `letters` refuses, `templates check` reports; nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner
from letters_fixture import make_template

from sheetkit.cli import cli
from sheetkit.letters import render as render_module

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _rewrite(path, change, extra=()):
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
        for name, body in extra:
            dst.writestr(name, body)
    path.write_bytes(out.getvalue())
    return path


def _with_tags(path, *tags):
    return make_template(path, ["{{ name }}", *tags])


def _external(kind, target):
    def build(path):
        make_template(path, ["{{ name }}"])
        rel = f'<Relationship Id="rIdX" Type="{REL}/{kind}" Target="{target}" TargetMode="External"/>'
        return _rewrite(path, lambda n, b: b.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
                        if n == "word/_rels/document.xml.rels" else b)
    return build


def _xxe(path):
    make_template(path, ["{{ name }}"])
    dtd = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    return _rewrite(path, lambda n, b: b.replace(b"?>", b"?>" + dtd, 1) if n == "word/document.xml" else b)


def _huge_part(path):
    make_template(path, ["{{ name }}"])
    return _rewrite(path, lambda n, b: b, extra=[("word/media/big.bin", bytes(40 << 20))])


CASES = {
    "include": (lambda p: _with_tags(p, "{% include '/etc/passwd' %}"), "include"),
    "import": (lambda p: _with_tags(p, "{% import 'x.docx' as x %}"), "import"),
    "extends": (lambda p: _with_tags(p, "{% extends 'base' %}"), "extends"),
    "range": (lambda p: _with_tags(p, "{% for i in range(10**9) %}{% endfor %}"), "range"),
    "nested-range": (lambda p: _with_tags(p, "{% for i in range(99999) %}{% for j in range(99999) %}"
                                             "{% endfor %}{% endfor %}"), "range"),
    "string-times": (lambda p: _with_tags(p, "{{ 'x' * 4000000000 }}"), "过大"),
    "list-times": (lambda p: _with_tags(p, "{{ ([1] * 1000000000)|length }}"), "过大"),
    "power": (lambda p: _with_tags(p, "{{ 10 ** 100000000 }}"), "过大"),
    "xxe": (_xxe, "DTD"),
    "attached-template": (_external("attachedTemplate", "http://x.example/t.dotx"), "attachedTemplate"),
    "linked-image": (_external("image", "file:///etc/passwd"), "file:///etc/passwd"),
    "unc-path": (_external("oleObject", "\\\\host\\share\\x.bin"), "host"),
    "huge-part": (_huge_part, "过大"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_and_letters_refuse_alike(case, tmp_path, register_path, as_of):
    build, words = CASES[case]
    folder = tmp_path / "tpl"
    folder.mkdir()
    build(folder / "filing.docx")
    check = CliRunner().invoke(cli, ["templates", "check", str(folder)])
    assert check.exit_code == 1, check.output
    assert words in check.output and "Traceback" not in check.output
    out = tmp_path / "out"
    letters = CliRunner().invoke(cli, ["letters", "filing", str(register_path), "-o", str(out), "--as-of",
                                       as_of.isoformat(), "--templates", str(folder)])
    assert letters.exit_code == 2, letters.output
    assert letters.exception is None or isinstance(letters.exception, SystemExit)
    assert "filing.docx" in letters.stderr and "Traceback" not in letters.output
    assert not out.exists() or not list(out.glob("*.docx"))  # nothing written


def test_render_budget_stops_a_long_loop(tmp_path, register_path, as_of, monkeypatch):
    """Loops inside the bounds that still take too long: the time budget stops them."""
    monkeypatch.setattr(render_module, "RENDER_SECONDS", 2.0)
    monkeypatch.setattr(render_module, "RENDER_SECONDS_EACH", 0.0)
    folder = tmp_path / "tpl"
    folder.mkdir()
    _with_tags(folder / "filing.docx", "{% for i in range(1000) %}{% for j in range(1000) %}"
                                       "{% for k in range(1000) %}{% endfor %}{% endfor %}{% endfor %}")
    check = CliRunner().invoke(cli, ["templates", "check", str(folder)])
    assert check.exit_code == 1 and "秒仍未完成" in check.output


def test_a_plain_hyperlink_is_allowed(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    _external("hyperlink", "https://hrss.shandong.gov.cn/")(folder / "filing.docx")
    check = CliRunner().invoke(cli, ["templates", "check", str(folder)])
    assert check.exit_code == 0, check.output
