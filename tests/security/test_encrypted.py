"""Password-protected workbooks are named as such, by their content whatever their name:
an encrypted .xlsx, an encrypted .xls, and an encrypted .xlsx named .xls. The guard reads
the OLE2 directory itself (no msoffcrypto at run time); msoffcrypto, in the test extra,
makes the encrypted .xlsx and is the second opinion here."""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import msoffcrypto
import pytest

from sheetkit.engine import validate
from sheetkit.register import guard

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
import build_corpus as bc  # noqa: E402

CLEAN_XLS = Path(__file__).resolve().parents[1] / "corpus" / "files" / "clean.xls"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("encrypted")
    bc.build_encrypted_xlsx(d / "加密.xlsx")
    bc.build_encrypted_xls(d / "加密.xls")
    (d / "加密的xlsx.xls").write_bytes((d / "加密.xlsx").read_bytes())
    bc.build_truncated_xls(d / "截断.xls")
    (d / "正常.xls").write_bytes(CLEAN_XLS.read_bytes())
    return {p.name: p for p in d.iterdir()}


ENCRYPTED = ["加密.xlsx", "加密.xls", "加密的xlsx.xls"]


@pytest.mark.parametrize("name", ENCRYPTED)
def test_encrypted_workbook_is_refused_as_encrypted(files, name):
    data = files[name].read_bytes()
    assert msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()  # the fixture is what it claims
    assert guard.ole_encrypted(data)
    with pytest.raises(guard.UnreadableWorkbook, match="已加密"):
        guard.inspect(data)
    report = validate([files[name]], as_of=bc.dt.date(2026, 11, 22))
    (f,) = [f for f in report.findings if f.rule == "data.unreadable"]  # (and: no register sheet)
    assert (f.severity, Path(f.path).name) == ("error", name) and "已加密" in f.message


@pytest.mark.parametrize("name", ["正常.xls", "截断.xls"])
def test_a_plain_or_broken_xls_is_not_called_encrypted(files, name):
    data = files[name].read_bytes()
    assert not guard.ole_encrypted(data)
    report = validate([files[name]], as_of=bc.dt.date(2026, 11, 22))
    assert not any("已加密" in f.message for f in report.findings)
    unreadable = [f for f in report.findings if f.rule == "data.unreadable"]
    assert len(unreadable) == (name == "截断.xls")


def test_damaged_directories_never_raise(files):
    """Bytes flipped anywhere in the header, the FAT and the directory: a yes or a no, never
    an exception and never a long walk."""
    rng = random.Random(14)
    for name in ("加密.xls", "加密.xlsx", "正常.xls"):
        data = files[name].read_bytes()
        for _ in range(300):
            bad = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                pos = rng.randrange(min(len(bad), 8192))
                bad[pos] = rng.randrange(256)
            assert guard.ole_encrypted(bytes(bad)) in (True, False)
