"""The parse runs in child processes: a reader that aborts the process, exceeds its memory
budget, hangs or raises becomes one `data.unreadable` finding for its workbook, and the
other workbooks are still read. The reader is replaced (fork keeps the replacement in the
child) so the guard cannot stop the file first: this is the backstop for what it misses."""

from __future__ import annotations

import os
import time

import pytest
from builders import clean_register, write_register

import sheetkit.register as register_module
from sheetkit.register import isolate, read_register
from sheetkit.register import read_file

pytestmark = pytest.mark.skipif(not isolate.available(), reason="no fork on this platform")


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "reg"
    write_register(d / "a-good.xlsx", clean_register(2))
    write_register(d / "b-bad.xlsx", clean_register(1))
    write_register(d / "c-good.xlsx", {"机构": clean_register(3)["机构"][2:]})
    return d


def _hostile(behaviour):
    def parse(wp, data):
        if wp.real.name == "b-bad.xlsx":
            behaviour()
        return read_file(wp, data)
    return parse


def _abort():
    os.abort()  # what python-calamine does when an allocation fails


def _allocate():
    block = bytearray(3 << 30)  # 3 GiB: over the 1 GiB budget
    return block


def _hang():
    time.sleep(60)


def _bug():
    raise RuntimeError("a bug in the reader")


@pytest.mark.parametrize("behaviour, words", [
    (_abort, "读取程序异常终止"), (_allocate, "内存超过上限"), (_hang, "秒仍未完成"), (_bug, "读取时出错"),
])
def test_a_reader_that_dies_costs_one_file(folder, monkeypatch, behaviour, words):
    monkeypatch.setattr(register_module, "read_file", _hostile(behaviour))
    monkeypatch.setattr(isolate, "TIME_BUDGET", 3.0)
    reg = read_register([folder])
    (bad,) = [f for f in reg.findings if f.rule == "data.unreadable"]
    assert bad.path.endswith("b-bad.xlsx") and "b-bad.xlsx" in bad.message and words in bad.message
    read = {s.path.rsplit("/", 1)[-1] for s in reg.sources}
    assert read == {"a-good.xlsx", "c-good.xlsx"}
    assert len(reg["机构"]) == 3


def test_children_are_limited_and_waited_for(folder):
    """Without a hostile reader everything reads as in one process, and no child is left."""
    import multiprocessing

    reg = read_register([folder])
    assert not [f for f in reg.findings if f.rule == "data.unreadable"]
    assert len(reg["机构"]) == 4
    assert not multiprocessing.active_children()
