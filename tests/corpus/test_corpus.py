"""The bad-input corpus (built by build_corpus.py): `validate`, `letters` and `directory`
end every file with exit 0 or 1 — never 2, never a traceback — and `validate` reports
the findings each file is built to cause, with a Chinese message naming the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from build_corpus import (  # noqa: E402
    BY_NAME, CONTROL_NAME, ENTRIES, FORMULA_NAME, MARKUP_NAME, PATH_NAME, RARE_NAME, build,
)
from sheetkit.cli import cli  # noqa: E402

AS_OF = "2026-11-22"
NAMES = [e.name for e in ENTRIES]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("corpus"))


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    # click turns sys.exit into SystemExit; anything else escaping is a crash
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        raise AssertionError("".join(traceback.format_exception(result.exception)))
    return result


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("name", NAMES)
def test_validate_every_corpus_file(corpus, name):
    entry = BY_NAME[name]
    result = run("validate", corpus[name], "--format", "json", "--as-of", AS_OF)
    assert result.exit_code in entry.exit, result.output
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    got = {(f["rule"], f["severity"]) for f in report["findings"]}
    for rule, severity in entry.rules.items():
        assert (rule, severity) in got, (name, sorted(got))
    if entry.unreadable:
        (f,) = [f for f in report["findings"] if f["rule"] == "data.unreadable"]
        assert f["path"] == str(corpus[name])
        assert name in f["message"] and _cjk(f["message"]), f["message"]
    if entry.exit == (0,):
        assert report["summary"]["error"] == report["summary"]["violation"] == 0, report["findings"]


def test_validate_whole_corpus_in_a_real_process(corpus):
    """One real `sheetkit` process over the whole folder: every file is reported on,
    readable ones are still read, and nothing escapes as a traceback."""
    folder = next(iter(corpus.values())).parent
    proc = subprocess.run([sys.executable, "-m", "sheetkit", "validate", str(folder), "--format", "json",
                           "--as-of", AS_OF], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    unreadable = {Path(f["path"]).name for f in report["findings"] if f["rule"] == "data.unreadable"}
    assert unreadable == {e.name for e in ENTRIES if e.unreadable}
    read = {Path(f["path"]).name for f in report["files"] if f["sheets"]}
    assert {"clean.xls", "strict-ooxml.xlsx", "xlsx-named.xls", "strange-text.xlsx"} <= read


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_report_over_the_whole_corpus(corpus, lang):
    """The terminal report copes with every file too (control characters, emoji, 10,000
    characters), naming each unreadable file."""
    folder = next(iter(corpus.values())).parent
    result = run("validate", folder, "--as-of", AS_OF, "--lang", lang)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for entry in ENTRIES:
        if entry.unreadable:
            assert entry.name in result.output


def test_formula_cells_without_values_are_located(corpus):
    report = json.loads(run("validate", corpus["formulas-no-values.xlsx"], "--format", "json",
                            "--as-of", AS_OF).stdout)
    warnings = {(f["sheet"], f["cell"], f["column"]) for f in report["findings"]
                if f["rule"] == "data.formula" and f["severity"] == "warning"}
    assert warnings == {("机构", "O2", "培训考核年限"), ("场地", "H2", "面积")}
    msg = next(f for f in report["findings"] if f["cell"] == "O2" and f["rule"] == "data.formula")
    assert "公式没有缓存值，无法读取" in msg["message"] and msg["institution"]


def test_strict_ooxml_reads_like_transitional(corpus, tmp_path):
    """calamine reads strict-OOXML namespaces; the same register gives the same result."""
    from builders import clean_register, write_register

    plain = write_register(tmp_path / "plain.xlsx", clean_register())
    a = json.loads(run("validate", plain, "--format", "json", "--as-of", AS_OF).stdout)
    b = json.loads(run("validate", corpus["strict-ooxml.xlsx"], "--format", "json", "--as-of", AS_OF).stdout)
    assert a["institutions"] == b["institutions"] and a["institutions"]
    assert [s["rows"] for s in a["files"][0]["sheets"]] == [s["rows"] for s in b["files"][0]["sheets"]]


def test_strange_text_survives_into_the_json_report(corpus):
    report = json.loads(run("validate", corpus["strange-text.xlsx"], "--format", "json", "--as-of", AS_OF).stdout)
    names = {i["name"] for i in report["institutions"]}
    assert {RARE_NAME, FORMULA_NAME, MARKUP_NAME, PATH_NAME} <= names


def test_long_and_control_character_values_survive_in_findings(corpus):
    report = json.loads(run("validate", corpus["strange-values.xlsx"], "--format", "json", "--as-of", AS_OF).stdout)
    values = {f["rule"]: f["value"] for f in report["findings"]}
    assert values["data.enum"] == "长" * 10_000
    assert values["data.type"] == CONTROL_NAME


@pytest.mark.parametrize("name", NAMES)
def test_letters_over_every_corpus_file(corpus, name, tmp_path):
    result = run("letters", "filing", corpus[name], "-o", tmp_path / "out", "--as-of", AS_OF,
                 "--date", AS_OF, "--issuer", "济南市人力资源和社会保障局")
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["letters", "directory"])
def test_letters_and_directory_name_unreadable_files(corpus, tmp_path, command):
    names = [e.name for e in ENTRIES if e.unreadable]
    files = [corpus[n] for n in names]
    if command == "letters":
        result = run("letters", "filing", *files, "-o", tmp_path / "out", "--as-of", AS_OF, "--date", AS_OF,
                     "--issuer", "济南市人力资源和社会保障局")
    else:
        result = run("directory", *files, "-o", tmp_path / "目录.xlsx", "--year", "2026", "--as-of", AS_OF)
    assert result.exit_code in (0, 1)
    missing = [n for n in names if n not in result.output]
    assert not missing, f"not mentioned: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_directory_over_every_corpus_file(corpus, name, tmp_path):
    result = run("directory", corpus[name], "-o", tmp_path / "目录.xlsx", "--year", "2026", "--as-of", AS_OF)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


ALLOWED_LATIN = {"excel", "html", "xml", "doctype", "entity", "xlsx", "xlsb", "sharedstrings", "workbook",
                 "styles", "worksheets", "sheet", "media", "image", "customxml", "item", "bin", "follow",
                 "links", "sheetkit", "calamine", "as-of", "true", "false", "stored"}


def test_messages_stay_chinese(corpus):
    """No Rust or English internals in a finding (zip, XML, date and sheet errors): what is
    left once file and part names are removed is Chinese (issue 15 item 9)."""
    import re

    folder = next(iter(corpus.values())).parent
    report = json.loads(run("validate", folder, "--format", "json", "--as-of", AS_OF).stdout)
    for f in report["findings"]:
        if not f["rule"].startswith("data."):
            continue
        text = f["message"].replace(Path(f["path"] or "").name, "")
        for word in re.findall(r"[A-Za-z][A-Za-z_:.-]{3,}", text):
            assert word.lower().strip(".:") in ALLOWED_LATIN or "/" in word or "." in word, (word, f["message"])
