"""The read cache: keyed by content, atomic, self-healing, and actually used."""

import json
import pickle
import shutil

import pytest
from builders import AS_OF, clean_register, write_register
from click.testing import CliRunner

import sheetkit.register.scoresheet_reader as scoresheet_reader
from sheetkit.cache import ReadCache, use
from sheetkit.cli import cli
from sheetkit.engine import validate
from sheetkit.register import read_register


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "reg"
    write_register(d / "a.xlsx", clean_register(2))
    write_register(d / "b.xlsx", {"机构": clean_register(1)["机构"]})
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    return d


def _boom(wp):
    raise AssertionError(f"read {wp.shown} although it is cached")


def _files(d):
    return sorted(d.glob("files/*/*.pickle"))


def _folders(d):
    return sorted(d.glob("folders/*.pickle"))


def test_second_read_comes_from_cache(folder, tmp_path, monkeypatch):
    cache = ReadCache(tmp_path / "cache")
    first = read_register([folder], cache=cache)
    assert (cache.hits, cache.misses, cache.folder_hits) == (0, 3, 0)
    assert len(_files(tmp_path / "cache")) == 3 and len(_folders(tmp_path / "cache")) == 1
    monkeypatch.setattr(scoresheet_reader, "read_file", _boom)
    monkeypatch.setattr("sheetkit.register.read_file", _boom)
    monkeypatch.setattr("sheetkit.register.build_table", _boom)
    cache2 = ReadCache(tmp_path / "cache")
    second = read_register([folder], cache=cache2)
    assert (cache2.hits, cache2.misses, cache2.folder_hits) == (0, 0, 1)  # the whole folder at once
    for kind in ("机构", "人员", "场地", "考核项目"):
        assert first[kind].raw.equals(second[kind].raw) and first[kind].data.equals(second[kind].data)
    assert first.findings == second.findings and [f.rule for f in second.findings] == ["data.unreadable"]
    assert first.files_info() == second.files_info()


def test_changed_file_is_read_again(folder, tmp_path):
    cache = ReadCache(tmp_path / "cache")
    read_register([folder], cache=cache)
    sheets = clean_register(1)
    sheets["机构"][0]["机构名称"] = "改过名字的学校"
    write_register(folder / "b.xlsx", {"机构": sheets["机构"]})
    cache = ReadCache(tmp_path / "cache")
    reg = read_register([folder], cache=cache)
    assert (cache.hits, cache.misses, cache.folder_hits) == (2, 1, 0)  # only the changed file is parsed
    assert "改过名字的学校" in reg["机构"].data["机构名称"].tolist()


def test_same_content_elsewhere_keeps_its_own_path(folder, tmp_path):
    cache = ReadCache(tmp_path / "cache")
    read_register([folder], cache=cache)
    other = tmp_path / "copy"
    shutil.copytree(folder, other)
    reg = read_register([other], cache=cache)
    assert all(s.path.startswith(str(other)) for s in reg.sources)
    assert reg.findings[0].path.startswith(str(other))


def test_corrupt_entries_are_rebuilt(folder, tmp_path):
    cache = ReadCache(tmp_path / "cache")
    expected = read_register([folder], cache=cache)
    entries = _files(tmp_path / "cache")
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # truncated
    entries[1].write_bytes(pickle.dumps(("something", "else")))  # wrong shape
    (whole,) = _folders(tmp_path / "cache")
    whole.write_bytes(b"\x80\x05garbage")
    cache = ReadCache(tmp_path / "cache")
    reg = read_register([folder], cache=cache)
    assert (cache.hits, cache.misses, cache.folder_hits) == (1, 2, 0)
    assert reg["机构"].data.equals(expected["机构"].data)
    cache = ReadCache(tmp_path / "cache")
    read_register([folder], cache=cache)
    assert cache.folder_hits == 1  # rebuilt entries are good again
    assert not list((tmp_path / "cache").rglob(".tmp-*"))  # no temp files left behind


def test_unwritable_cache_dir_does_not_stop_a_run(folder, tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    cache = ReadCache(blocker / "cache")
    reg = read_register([folder], cache=cache)
    assert len(reg["机构"]) == 3 and cache.writable is False


def test_active_cache_is_used_by_validate(folder, tmp_path):
    cache = ReadCache(tmp_path / "cache")
    with use(cache):
        validate([folder], as_of=AS_OF)
        validate([folder], as_of=AS_OF)
    assert (cache.misses, cache.folder_hits) == (3, 1)
    validate([folder], as_of=AS_OF)  # outside the block: no cache
    assert (cache.misses, cache.folder_hits) == (3, 1)


def test_cli_cache_options(folder, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cli-cache"
    args = ["validate", str(folder), "--as-of", "2026-11-22", "--format", "json", "--cache-dir", str(cache_dir)]
    first = CliRunner().invoke(cli, args)
    assert len(_files(cache_dir)) == 3 and len(_folders(cache_dir)) == 1
    monkeypatch.setattr(scoresheet_reader, "read_file", _boom)
    monkeypatch.setattr("sheetkit.register.read_file", _boom)
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == first.exit_code == 1
    assert json.loads(second.output) == json.loads(first.output)
    off = CliRunner().invoke(cli, [*args[:-2], "--no-cache"])
    assert off.exit_code != 0 and isinstance(off.exception, AssertionError)  # really read again
