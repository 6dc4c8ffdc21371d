"""Identifier rules: check characters of 统一社会信用代码 (GB 32100-2015) and
身份证号 (GB 11643-1999). The check functions are pure and also used by the sample and
benchmark generators."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from sheetkit.register.model import RESIDENT, SHEETS, USCC, USCC_COL
from sheetkit.rules.findings import at_cells, row_ranges
from sheetkit.rules.registry import rule

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_CHECK = "10X98765432"
RESIDENT_RE = re.compile(r"^[0-9]{17}[0-9X]$")  # not \d: it matches ١ and ９ too


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def resident_check_char(first17: str) -> str:
    return RESIDENT_CHECK[sum(int(c) * w for c, w in zip(first17, RESIDENT_WEIGHTS)) % 11]


def uscc_valid(code: str) -> bool:
    return isinstance(code, str) and bool(USCC_RE.match(code)) and uscc_check_char(code[:17]) == code[17]


def resident_valid(code: str) -> bool:
    if not (isinstance(code, str) and RESIDENT_RE.match(code)):
        return False
    try:
        dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return resident_check_char(code[:17]) == code[17]


_USCC_LUT = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_CHARS):
    _USCC_LUT[ord(_c)] = _i
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True
_USCC_WEIGHTS = np.array(USCC_WEIGHTS, dtype=np.int64)
_RESIDENT_WEIGHTS = np.array(RESIDENT_WEIGHTS, dtype=np.int64)
_RESIDENT_CHECKS = np.frombuffer(RESIDENT_CHECK.encode("ascii"), dtype=np.uint8)
_USCC_CHAR_ARRAY = np.array(list(USCC_CHARS))
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _code_matrix(codes: pd.Series):
    """Codes (blanks dropped) → (index, texts, mask of 18-character ASCII codes, their
    characters as an n × 18 uint8 matrix). One pass in Python (length and ASCII test),
    the rest in numpy: no regular expression per row."""
    codes = codes.dropna()
    texts = [v if isinstance(v, str) else str(v) for v in codes.to_numpy(dtype=object)]
    n = len(texts)
    fits = np.fromiter((len(t) == 18 and t.isascii() for t in texts), dtype=bool, count=n)
    chosen = [t for t, f in zip(texts, fits) if f] if not fits.all() else texts
    matrix = np.frombuffer("".join(chosen).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    return codes.index, texts, fits, matrix


def _reasons(index, texts, fits, wrong_chars: str) -> pd.Series:
    out = pd.Series(pd.NA, index=index, dtype="object")
    if not fits.all():
        unfit = np.flatnonzero(~fits)
        out.iloc[unfit] = ["应为18位" if len(texts[i]) != 18 else wrong_chars for i in unfit]
    return out


def uscc_problems(codes: pd.Series) -> pd.Series:
    """Vectorised: a Chinese reason for each code that is wrong, NA where it is right."""
    index, texts, fits, m = _code_matrix(codes)
    wrong_chars = "含有不允许的字符（只用数字和除 I、O、S、V、Z 外的大写字母）"
    out = _reasons(index, texts, fits, wrong_chars)
    if not len(m):
        return out
    values = _USCC_LUT[m]
    fmt = (values >= 0).all(axis=1) & _DIGIT[m[:, 2:8]].all(axis=1)
    expected = (31 - (values[:, :17] * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    bad = fmt & (expected != values[:, 17])
    rows = np.flatnonzero(fits)
    if not fmt.all():
        out.iloc[rows[~fmt]] = wrong_chars
    if bad.any():
        out.iloc[rows[bad]] = [f"校验码错误（应为 {c}）" for c in _USCC_CHAR_ARRAY[expected[bad]]]
    return out


def resident_problems(codes: pd.Series) -> pd.Series:
    """Vectorised: a Chinese reason for each ID number that is wrong, NA where it is right."""
    index, texts, fits, m = _code_matrix(codes)
    out = _reasons(index, texts, fits, "只能是17位数字加数字或 X")
    if not len(m):
        return out
    fmt = _DIGIT[m[:, :17]].all(axis=1) & (_DIGIT[m[:, 17]] | (m[:, 17] == ord("X")))
    digits = m[:, :17].astype(np.int64) - 48
    expected = _RESIDENT_CHECKS[(digits * _RESIDENT_WEIGHTS).sum(axis=1) % 11]
    bad = fmt & (expected != m[:, 17])
    year = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
    month = digits[:, 10:12] @ np.array([10, 1])
    day = digits[:, 12:14] @ np.array([10, 1])
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    last = _MONTH_DAYS[np.where(month_ok, month, 0)] + (leap & (month == 2))
    bad_birth = fmt & ~(month_ok & (day >= 1) & (day <= last) & (year >= 1))  # a real calendar date
    rows = np.flatnonzero(fits)
    if not fmt.all():
        out.iloc[rows[~fmt]] = "只能是17位数字加数字或 X"
    if bad_birth.any():
        out.iloc[rows[bad_birth]] = "出生日期无效"
    only_check = bad & ~bad_birth
    if only_check.any():
        out.iloc[rows[only_check]] = [f"校验码错误（应为 {chr(c)}）" for c in expected[only_check]]
    return out


_AS_NUMBER = "以数字格式存储，Excel 只保留15位有效数字，末尾数字已丢失；请将该列设为文本格式后重新录入"


def _identifier_findings(ctx, col_type: str, problems, label: str):
    for spec in SHEETS:
        table = ctx.table(spec.kind)
        if table.empty:
            continue
        for col in spec.columns:
            if col.type != col_type:
                continue
            numeric = table.as_number.get(col.name)
            reasons = problems(table.data[col.name])
            if numeric is not None and numeric.any():
                reasons = reasons.astype("object")
                reasons[numeric[numeric].index] = _AS_NUMBER
            reasons = reasons.dropna()
            if reasons.empty:
                continue
            if col_type == USCC and spec.kind != "机构":
                reasons = _first_of_each_code(table, col.name, reasons)
            yield from at_cells(ctx, table, reasons.index, col.name,
                                     lambda code, reason: f"{label}“{code}”{reason}", reasons.tolist(),
                                     lambda code, reason: f"invalid {col.name}: {code}")


def _first_of_each_code(table, column: str, reasons: pd.Series) -> pd.Series:
    """A bad credit code repeated down a sheet (every staff row of one institution) is
    one finding at its first row, naming the other rows, not one per row."""
    rows = table.data.loc[reasons.index, ["_src", column, "_row"]]
    out = {}
    for _, group in rows.groupby(["_src", column], sort=False):
        first = group.index[0]
        more = f"（本表共{len(group)}行，第{row_ranges(group['_row'].tolist())}行）" if len(group) > 1 else ""
        out[first] = f"{reasons[first]}{more}"
    return pd.Series(out, dtype="object").sort_index()


@rule("id.uscc", "error", "统一社会信用代码格式或校验码错误", "invalid unified social credit code")
def uscc(ctx):
    yield from _identifier_findings(ctx, USCC, uscc_problems, "统一社会信用代码")


@rule("id.resident", "error", "身份证号格式或校验码错误", "invalid resident ID number")
def resident(ctx):
    yield from _identifier_findings(ctx, RESIDENT, resident_problems, "身份证号")
