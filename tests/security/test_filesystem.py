"""The filesystem is untrusted too: only regular files are read; links do not lead out of
the folders given (unless --follow-links); every file not read is named with its reason,
in the terminal and the JSON; and no command writes onto a file it reads (--force or not)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from builders import clean_register, write_register
from click.testing import CliRunner

from sheetkit.cli import cli

AS_OF = "2026-11-22"
posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and links")


def digests(folder: Path) -> dict:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink() and not p.is_fifo():
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def run_cli(*args, timeout=120) -> subprocess.CompletedProcess:
    """A real `sheetkit` process (a hang is a failure, not a stuck test)."""
    return subprocess.run([sys.executable, "-m", "sheetkit", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture
def tree(tmp_path):
    inbox = tmp_path / "in"
    write_register(inbox / "good.xlsx", clean_register(1))
    outside = tmp_path / "elsewhere"
    write_register(outside / "secret.xlsx", clean_register(2))
    return inbox, outside


@posix
def test_special_files_links_and_lookalikes_are_named(tree):
    inbox, outside = tree
    os.mkfifo(inbox / "x.xlsx")  # hung the run
    os.symlink("/dev/zero", inbox / "zero.xlsx")  # read gigabytes
    os.symlink(inbox / "loop-b.xlsx", inbox / "loop-a.xlsx")
    os.symlink(inbox / "loop-a.xlsx", inbox / "loop-b.xlsx")  # a link loop: a traceback
    os.symlink(inbox, inbox / "sub-loop")  # a folder linking to itself
    os.symlink(outside / "secret.xlsx", inbox / "linked.xlsx")  # its data was copied into outputs
    os.symlink(outside, inbox / "linked-folder")
    good = (inbox / "good.xlsx").read_bytes()
    for name in ("book.xlsb", "wps.et", "x.xlsx.bak", "x.xlsx "):
        (inbox / name).write_bytes(good)  # skipped silently while the run said 未发现问题
    (inbox / "notes.txt").write_text("not a workbook: ignored silently")
    before = digests(inbox) | digests(outside)

    proc = run_cli("validate", inbox, "--format", "json", "--as-of", AS_OF)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    not_read = {Path(f["path"]).name: f["message"] for f in report["findings"] if f["rule"] == "data.not-read"}
    assert set(not_read) == {"x.xlsx", "zero.xlsx", "loop-a.xlsx", "loop-b.xlsx", "sub-loop", "linked.xlsx",
                             "linked-folder", "book.xlsb", "wps.et", "x.xlsx.bak", "x.xlsx "}, not_read
    assert "命名管道" in not_read["x.xlsx"] and "设备文件" in not_read["zero.xlsx"]
    assert "--follow-links" in not_read["linked.xlsx"] and "--follow-links" in not_read["linked-folder"]
    assert ".xlsb" in not_read["book.xlsb"] and "WPS" in not_read["wps.et"]
    assert all(f["severity"] == "warning" for f in report["findings"] if f["rule"] == "data.not-read")
    read = [Path(f["path"]).name for f in report["files"]]
    assert read == ["good.xlsx"]
    assert {i["name"] for i in report["institutions"]} and report["summary"]["warning"] >= 11

    text = run_cli("validate", inbox, "--as-of", AS_OF)
    assert text.returncode == 0 and "Traceback" not in text.stderr  # warnings: the exit status is 0
    for name in ("x.xlsx", "zero.xlsx", "linked.xlsx", "book.xlsb", "x.xlsx.bak"):
        assert name in text.stdout
    assert "未发现问题" not in text.stdout

    follow = run_cli("validate", inbox, "--format", "json", "--as-of", AS_OF, "--follow-links")
    followed = json.loads(follow.stdout)
    files = {Path(f["path"]).name for f in followed["files"]}
    assert "linked.xlsx" in files  # linked-folder/secret.xlsx is the same file: read once
    still = {Path(f["path"]).name for f in followed["findings"] if f["rule"] == "data.not-read"}
    assert not {"linked.xlsx", "linked-folder"} & still and {"x.xlsx", "loop-a.xlsx"} <= still
    assert digests(inbox) | digests(outside) == before


@posix
def test_a_fifo_named_on_the_command_line_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    write_register(tmp_path / "good.xlsx", clean_register(1))
    proc = run_cli("validate", fifo, tmp_path / "good.xlsx", "--format", "json", "--as-of", AS_OF, timeout=60)
    report = json.loads(proc.stdout)
    assert proc.returncode in (0, 1)
    assert [f["rule"] for f in report["findings"] if f["path"] == str(fifo)] == ["data.not-read"]


def test_report_onto_an_input_is_refused(tree):
    inbox, _ = tree
    target = inbox / "r.xlsx"
    write_register(target, clean_register(1))
    before = digests(inbox)
    result = CliRunner().invoke(cli, ["validate", str(inbox), "--as-of", AS_OF, "--report", str(target)])
    assert result.exit_code == 2 and "就是本次读取的输入文件" in result.stderr
    assert digests(inbox) == before


@pytest.mark.parametrize("force", [False, True])
def test_letters_onto_an_input_are_refused_even_with_force(tree, force):
    inbox, _ = tree
    write_register(inbox / "letters.xlsx", clean_register(1))  # an input named like the manifest
    before = digests(inbox)
    args = ["letters", "filing", str(inbox), "-o", str(inbox), "--as-of", AS_OF, "--issuer", "济南市人社局"]
    result = CliRunner().invoke(cli, args + (["--force"] if force else []))
    assert result.exit_code == 2, result.output
    assert "letters.xlsx" in result.stderr and "不能覆盖" in result.stderr
    assert digests(inbox) == before
    assert not list(inbox.glob("*.docx"))  # refused before anything is written


def test_directory_onto_an_input_is_refused(tree):
    inbox, _ = tree
    before = digests(inbox)
    result = CliRunner().invoke(cli, ["directory", str(inbox), "-o", str(inbox / "good.xlsx"), "--year", "2026"])
    assert result.exit_code == 2 and "不能覆盖" in result.stderr
    assert digests(inbox) == before


@posix
def test_an_input_reached_through_a_hard_link_is_refused(tree, tmp_path):
    inbox, _ = tree
    os.link(inbox / "good.xlsx", tmp_path / "other-name.xlsx")
    before = digests(inbox)
    result = CliRunner().invoke(cli, ["validate", str(inbox), "--as-of", AS_OF,
                                      "--report", str(tmp_path / "other-name.xlsx")])
    assert result.exit_code == 2 and "good.xlsx" in result.stderr
    assert digests(inbox) == before
