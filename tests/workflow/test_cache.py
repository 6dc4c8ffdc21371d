"""The read cache: keyed by content (the very bytes parsed), JSON entries that cannot run
code, a private folder, self-healing, passed explicitly, and actually used."""

import json
import os
import pickle
import shutil

import pytest
from builders import AS_OF, clean_register, write_register
from click.testing import CliRunner

import sheetkit.register as register_module
from sheetkit.cache import ReadCache
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


def _boom(*args):
    raise AssertionError("read a file although it is cached")


def _files(d):
    return sorted(d.glob("files/*/*.json"))


def test_second_read_comes_from_cache(folder, tmp_path, monkeypatch):
    cache = ReadCache(tmp_path / "cache")
    first = read_register([folder], cache=cache)
    assert (cache.hits, cache.misses) == (0, 3)
    assert len(_files(tmp_path / "cache")) == 3
    assert not list((tmp_path / "cache").rglob("*.pickle"))
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == "0o700"
    monkeypatch.setattr("sheetkit.register.read_file", _boom)
    monkeypatch.setattr("sheetkit.register.isolate.parse_all", _boom)
    cache2 = ReadCache(tmp_path / "cache")
    second = read_register([folder], cache=cache2)
    assert (cache2.hits, cache2.misses) == (3, 0)
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
    assert (cache.hits, cache.misses) == (2, 1)  # only the changed file is parsed
    assert "改过名字的学校" in reg["机构"].data["机构名称"].tolist()


def test_hash_and_parse_the_same_bytes(folder, tmp_path, monkeypatch):
    """A file saved between hashing and parsing (a `watch` run is enough) must not store
    the new content's result under the old hash: the bytes hashed are the bytes parsed."""
    from sheetkit.register import files

    target = folder / "b.xlsx"
    old = target.read_bytes()
    sheets = clean_register(1)
    sheets["机构"][0]["机构名称"] = "保存之后的名字"
    write_register(tmp_path / "new.xlsx", {"机构": sheets["机构"]})
    new = (tmp_path / "new.xlsx").read_bytes()
    real_load = files.load

    def load_then_save(wp):
        data = real_load(wp)
        if wp.real.name == "b.xlsx":
            target.write_bytes(new)  # saved right after being read
        return data

    monkeypatch.setattr(files, "load", load_then_save)
    cache = ReadCache(tmp_path / "cache")
    reg = read_register([folder], cache=cache)
    assert "保存之后的名字" not in reg["机构"].data["机构名称"].tolist()  # parsed what was hashed
    monkeypatch.setattr(files, "load", real_load)
    reg2 = read_register([folder], cache=ReadCache(tmp_path / "cache"))
    assert "保存之后的名字" in reg2["机构"].data["机构名称"].tolist()  # the new content is not a hit
    target.write_bytes(old)
    c = ReadCache(tmp_path / "cache")
    reg3 = read_register([folder], cache=c)
    assert c.hits == 3 and "保存之后的名字" not in reg3["机构"].data["机构名称"].tolist()


def test_same_content_elsewhere_keeps_its_own_path(folder, tmp_path):
    cache = ReadCache(tmp_path / "cache")
    read_register([folder], cache=cache)
    other = tmp_path / "copy"
    shutil.copytree(folder, other)
    reg = read_register([other], cache=cache)
    assert all(s.path.startswith(str(other)) for s in reg.sources)
    assert reg.findings[0].path.startswith(str(other))


def test_bad_and_planted_entries_are_misses(folder, tmp_path):
    cache = ReadCache(tmp_path / "cache")
    expected = read_register([folder], cache=cache)
    entries = _files(tmp_path / "cache")
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # truncated
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    entries[1].write_bytes(pickle.dumps(Evil()))  # a planted pickle: never loaded as one
    entries[2].write_text('{"format": 2, "sheets": [{"type": "os.system"}], "findings": []}')
    cache = ReadCache(tmp_path / "cache")
    reg = read_register([folder], cache=cache)
    assert (cache.hits, cache.misses) == (0, 3) and not marker.exists()
    assert reg["机构"].data.equals(expected["机构"].data)
    cache = ReadCache(tmp_path / "cache")
    read_register([folder], cache=cache)
    assert cache.hits == 3  # rebuilt entries are good again
    assert not list((tmp_path / "cache").rglob(".tmp-*"))  # no temp files left behind


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_shared_cache_folder_is_refused(folder, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    cache = ReadCache(shared)
    assert cache.warning and "其他用户可以写入" in cache.warning
    reg = read_register([folder], cache=cache)
    assert len(reg["机构"]) == 3 and not list(shared.rglob("*.json")) and cache.hits == 0
    result = CliRunner().invoke(cli, ["validate", str(folder), "--as-of", "2026-11-22", "--cache-dir", str(shared)])
    assert result.exit_code == 1 and "本次不使用缓存" in result.stderr
    assert not list(shared.rglob("*.json"))


def test_unwritable_cache_dir_does_not_stop_a_run(folder, tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    cache = ReadCache(blocker / "cache")
    reg = read_register([folder], cache=cache)
    assert len(reg["机构"]) == 3 and cache.writable is False


def test_cache_is_passed_explicitly(folder, tmp_path):
    cache = ReadCache(tmp_path / "cache")
    validate([folder], as_of=AS_OF, cache=cache)
    validate([folder], as_of=AS_OF, cache=cache)
    assert (cache.misses, cache.hits) == (3, 3)
    validate([folder], as_of=AS_OF)  # no cache passed: none used
    assert (cache.misses, cache.hits) == (3, 3)


def test_key_covers_every_module_of_the_package():
    import inspect

    import sheetkit.cache as c

    src = inspect.getsource(c.code_fingerprint)
    assert 'rglob("*.py")' in src and "_READER_MODULES" not in inspect.getsource(c)


def test_cli_cache_options(folder, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cli-cache"
    args = ["validate", str(folder), "--as-of", "2026-11-22", "--format", "json", "--cache-dir", str(cache_dir)]
    first = CliRunner().invoke(cli, args)
    assert len(_files(cache_dir)) == 3
    monkeypatch.setattr(register_module, "read_file", _boom)
    monkeypatch.setattr("sheetkit.register.isolate.parse_all", _boom)
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == first.exit_code == 1
    assert json.loads(second.stdout) == json.loads(first.stdout)
    off = CliRunner().invoke(cli, [*args[:-2], "--no-cache"])
    assert off.exit_code != 0 and isinstance(off.exception, AssertionError)  # really read again


def test_cache_folder_inside_the_inputs_is_not_used(folder):
    inside = folder / "cache"
    result = CliRunner().invoke(cli, ["validate", str(folder), "--as-of", "2026-11-22", "--cache-dir", str(inside)])
    assert result.exit_code == 1 and "位于输入文件夹" in result.stderr and not inside.exists()
