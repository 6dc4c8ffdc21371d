"""The fast paths of reading at scale give the same answers as reading cell by cell:
chunked transposition, shared values, factorised normalisers, and the synthetic
registers of `bench/generate.py`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from builders import AS_OF, person, uscc
from sheetkit.register import normalise as nz
from sheetkit.register import reader
from sheetkit.register.model import STAFF
from sheetkit.register.reader import read_sheet

ROOT = Path(__file__).resolve().parents[2]


def staff_grid(n: int, title_rows: int = 0) -> list[list]:
    header = STAFF.names
    grid = [["人员登记表"] + [""] * (len(header) - 1) for _ in range(title_rows)]
    grid.append(list(header))
    code = uscc(1)
    for i in range(n):
        row = person(code, i + 1, "考评人员" if i % 3 else "考务管理人员", project="茶艺")
        grid.append([row[h] if row[h] is not None else "" for h in header])
    return grid


def test_a_sheet_longer_than_a_chunk_keeps_every_row_and_its_excel_row_number():
    n = reader._CHUNK + 1234
    grid = staff_grid(n, title_rows=2)
    grid[3 + 10][STAFF.names.index("姓名")] = "最后检查"
    # blank rows: empty, spaces, an ideographic space, a zero-width space
    for r, filler in ((3 + 100, ""), (3 + reader._CHUNK, " "), (3 + n - 1, "\u3000"), (3 + 500, "\u200b")):
        grid[r] = [filler] * len(STAFF.names)
    sd = read_sheet("r.xlsx", "人员", grid, [])
    frame = sd.frame
    assert len(frame) == n - 4 == sd.source.rows
    assert sd.source.header_row == 3
    # data row i is on Excel row header + 1 + i; the dropped rows are gone, the others keep their number
    rows = frame["_row"].tolist()
    assert rows[0] == 4 and 104 not in rows and 504 not in rows and rows[-1] == 3 + n - 1
    assert frame.loc[frame["_row"] == 14, "姓名"].item() == "最后检查"
    assert grid[3:] == []  # the grid's rows were released as they were copied


def test_shared_values_keep_their_type_when_booleans_and_numbers_mix():
    values = [True, 1.0, 1, "1", False, 0.0, None, "是"] * 1000
    col = reader._Column()
    col.add(tuple(values))
    out = col.array().tolist()
    assert [type(v) for v in out] == [type(v) for v in values]
    assert out == values


def test_equal_strings_become_one_object_in_a_repetitive_column():
    values = tuple("".join(["考评", "人员"]) for _ in range(5000))  # 5,000 distinct objects, one value
    assert len({id(v) for v in values}) > 1
    col = reader._Column()
    col.add(values)
    assert len({id(v) for v in col.array()}) == 1


@pytest.mark.parametrize("size", [50, 9000])  # factorised, and nearly-unique (not factorised)
def test_normalisers_give_the_same_answer_per_value_and_per_column(size):
    rng = np.random.default_rng(8)
    pool = ["  张三 ", "ＡＢＣ１２３", "\u200b", "\u3000", "", None, float("nan"), True, 1, 1.0, 0, "0",
            dt.date(2025, 3, 1), "2025年3月1日", "20250301", "45717", "2024-02-30", "是", "否", "x",
            "中式面点制作、家政服务", "9137 0100 0000 0001 6d", 3.5, "1,000"]
    values = [pool[i] for i in rng.integers(0, len(pool), size)]
    values += [f"{i:018d}" for i in range(size)]  # plenty of distinct values
    raw = pd.Series(values, dtype=object)
    text = nz.normalise_text(raw)
    key = nz.normalise_key_text(raw)
    ident, numeric = nz.normalise_identifier(raw)
    dates, bad_dates = nz.normalise_date(raw)
    numbers, bad_numbers = nz.normalise_number(raw)
    yes, bad_yes = nz.normalise_yesno(raw)
    lists = nz.normalise_list(raw)
    # The whole column goes through the column normalisers; the one-value reference runs on
    # every value of the pool once and on 200 of the distinct values (one-element Series are
    # slow: all 18,000 values took two minutes).
    first = {}
    for i, v in enumerate(values[:size]):
        first.setdefault((type(v), repr(v)), i)
    sample = sorted({*first.values(), *(size + rng.choice(size, min(size, 200), replace=False)).tolist()})
    assert len(sample) >= min(size, 200)
    for i in sample:
        v = values[i]
        one = pd.Series([v], dtype=object)
        assert _same(text.iloc[i], nz.normalise_text(one).iloc[0]), v
        assert _same(key.iloc[i], nz.normalise_key_text(one).iloc[0]), v
        assert _same(ident.iloc[i], nz.normalise_identifier(one)[0].iloc[0]), v
        assert bool(numeric.iloc[i]) == bool(nz.normalise_identifier(one)[1].iloc[0]), v
        assert _same(dates.iloc[i], nz.normalise_date(one)[0].iloc[0]), v
        assert bool(bad_dates.iloc[i]) == bool(nz.normalise_date(one)[1].iloc[0]), v
        assert _same(numbers.iloc[i], nz.normalise_number(one)[0].iloc[0]), v
        assert bool(bad_numbers.iloc[i]) == bool(nz.normalise_number(one)[1].iloc[0]), v
        assert _same(yes.iloc[i], nz.normalise_yesno(one)[0].iloc[0]), v
        assert bool(bad_yes.iloc[i]) == bool(nz.normalise_yesno(one)[1].iloc[0]), v
        assert lists.iloc[i] == nz.normalise_list(one).iloc[0], v
    # and the values themselves
    where = {repr(v): i for i, v in enumerate(values)}
    if "True" in where:
        assert text.iloc[where["True"]] == "TRUE" and yes.iloc[where["True"]]
    if "'9137 0100 0000 0001 6d'" in where:
        assert ident.iloc[where["'9137 0100 0000 0001 6d'"]] == "91370100000000016D"
    if "'2025年3月1日'" in where:
        assert dates.iloc[where["'2025年3月1日'"]] == pd.Timestamp("2025-03-01")


def _same(a, b) -> bool:
    if a is pd.NA or b is pd.NA or a is pd.NaT or b is pd.NaT:
        return (a is pd.NA or a is pd.NaT) and (b is pd.NA or b is pd.NaT)
    return type(a) is type(b) and a == b


def _generate_module():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_generate", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_generated_register_has_exactly_its_faulty_institutions(tmp_path, monkeypatch):
    gen = _generate_module()
    monkeypatch.setattr(gen, "DATA", tmp_path)
    folder = gen.generate(160, 160 * 15, quiet=True)
    meta = gen.meta(folder)
    assert meta["rows"]["人员"] == 160 * 15 and meta["rows"]["机构"] <= 160
    assert len(gen.workbooks(folder)) == 17  # 16 cities and the catalogue
    from sheetkit.engine import validate

    report = validate([folder], as_of=AS_OF)
    faulty = sum(meta["faults"].values())
    assert faulty > 0
    blocked = [i for i in report.to_dict()["institutions"] if i["reasons"] and i["status"] != "终止备案"]
    assert len(blocked) == faulty  # each faulty institution blocked, no clean one
    expected = {"uscc": "id.uscc", "lease": "venue.lease-term", "supervisor": "staff.supervisor",
                "blank": "data.required", "date": "data.type", "resident": "id.resident",
                "credit": "inst.credit", "contract": "staff.contract"}
    rules = {f.rule for f in report.findings if f.severity in ("error", "violation")}
    assert rules == {expected[f] for f, count in meta["faults"].items() if count}
    assert gen.generate(160, 160 * 15, quiet=True) == folder  # cached: the same folder, not regenerated
