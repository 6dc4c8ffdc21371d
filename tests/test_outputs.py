import os

import pytest

from sheetkit.errors import OutputError
from sheetkit.outputs import atomic_path


def test_renames_into_place_on_success(tmp_path):
    target = tmp_path / "out" / "a.xlsx"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.suffix == ".xlsx" and tmp != target
        assert not target.exists()
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["a.xlsx"]


def test_replaces_existing_target(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"


def test_exception_removes_temp_and_keeps_target(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_writer_that_deletes_temp_raises_output_error(tmp_path):
    target = tmp_path / "a.txt"
    with pytest.raises(OutputError):
        with atomic_path(target) as tmp:
            tmp.unlink()
    assert not target.exists()


def test_unwritable_folder_is_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="无法写入"):
        with atomic_path(blocker / "sub" / "a.txt"):
            pass


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path):
    import os
    import time

    from sheetkit.outputs import STALE_SECONDS, atomic_path

    target = tmp_path / "目录.xlsx"
    stale = tmp_path / ".目录.abc123.tmp.xlsx"
    young = tmp_path / ".目录.def456.tmp.xlsx"
    other = tmp_path / ".其他.abc123.tmp.xlsx"
    for p in (stale, young, other):
        p.write_bytes(b"half")
    old = time.time() - STALE_SECONDS - 5
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists()  # this target's leftover from a killed run
    assert young.exists()  # may belong to a run still writing
    assert other.exists()  # another target's


def test_outputs_have_ordinary_permissions(tmp_path):
    import os
    import stat

    from sheetkit.outputs import atomic_path

    mask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "a.xlsx") as tmp:
            tmp.write_bytes(b"x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "a.xlsx").stat().st_mode) == 0o644
