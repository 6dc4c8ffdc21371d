"""The directory's rows (SPEC §3): which institutions the year's 考核机构目录 lists, in
which order, with which values. Pure — a validated Report in, a `Directory` out; nothing
is written here and no personal column (法定代表人, 联系人, 人员) is ever read.

Decisions (docs/directory.md):
- listed: 已备案 and 终止备案 institutions whose filing was valid on at least one day of
  the year. Valid from the first day of 备案起始's month to the end of its filing period
  (`periods.filing_period`), extended by the renewal period when the renewal is 合格 and
  the institution eligible; cut at the earliest 撤销日期 (valid on the days before it).
- 备案状态 as of the reference date (``as_of``, default 31 December of the year):
  终止备案 when revoked on or before it, when the register says 终止备案 with no later
  revocation date, or when the period ended before it without renewal; otherwise 有效.
- an institution with an ``error`` finding (on its own rows, or on its 机构 row) is left
  out and listed in ``excluded`` with the rule ids; nothing is skipped silently.
- order: the profile's city order, then name, then credit code. Names compare by code
  point with runs of digits compared as numbers (第2 before 第10): deterministic on every
  machine, no locale involved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sheetkit.periods import FilingPeriod, filing_period
from sheetkit.register.model import STATUS_FILED, STATUS_REMOVED, USCC_COL

COLUMNS = ("序号", "所属市", "机构名称", "机构代码", "统一社会信用代码", "考核项目", "有效期",
           "机构地址", "联系电话", "备案状态")
VALID, REMOVED = "有效", "终止备案"
PROJECT_JOIN = "、"
DELETED = "删除"
SHEET_LEVEL = "data.missing-column"  # an error on a 机构 sheet that concerns all its rows


@dataclass(frozen=True)
class Entry:
    """One institution as the directory lists it."""

    city: str
    name: str
    code: str
    uscc: str
    projects: tuple[str, ...]
    period: str
    address: str
    phone: str
    status: str

    def values(self, number: int) -> list:
        """The row under `COLUMNS`: 序号 is a number, everything else text."""
        return [number, self.city, self.name, self.code, self.uscc, PROJECT_JOIN.join(self.projects),
                self.period, self.address, self.phone, self.status]

    def to_dict(self) -> dict:
        return {"city": self.city, "name": self.name, "code": self.code, "uscc": self.uscc,
                "projects": list(self.projects), "period": self.period, "address": self.address,
                "phone": self.phone, "status": self.status}


@dataclass(frozen=True)
class Excluded:
    """An institution the directory would list but cannot: its data has errors."""

    uscc: str | None
    name: str | None
    city: str | None
    reasons: tuple[str, ...]
    where: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"uscc": self.uscc, "name": self.name, "city": self.city, "reasons": list(self.reasons),
                "where": list(self.where)}

    def line(self) -> str:
        """`济南第3职业技能培训学校（91370…）：data.required（机构!B4 机构名称）`."""
        who = self.name or "（名称空白）"
        code = f"（{self.uscc}）" if self.uscc else ""
        detail = f"（{'；'.join(self.where)}）" if self.where else ""
        return f"{who}{code}：{', '.join(self.reasons)}{detail}"


@dataclass
class Directory:
    year: int
    as_of: dt.date
    profile: str
    province: str
    cities: tuple[str, ...]
    entries: list[Entry] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.year}年{self.province}专项职业能力考核机构目录"

    def by_city(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for e in self.entries:
            out.setdefault(e.city, []).append(e)
        return out

    def city_counts(self) -> list[tuple[str, int, int]]:
        """(city, 有效, 终止备案) for every city of the profile, in its order."""
        counts = {c: [0, 0] for c in self.cities}
        for e in self.entries:
            counts.setdefault(e.city, [0, 0])[0 if e.status == VALID else 1] += 1
        return [(c, v, r) for c, (v, r) in counts.items()]

    def project_counts(self) -> list[tuple[str, int]]:
        """(project, institutions listing it), most first, then by name."""
        counts: dict[str, int] = {}
        for e in self.entries:
            for p in e.projects:
                counts[p] = counts.get(p, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def to_dict(self) -> dict:
        return {
            "year": self.year, "as_of": self.as_of.isoformat(), "profile": self.profile, "title": self.title,
            "rows": [e.to_dict() for e in self.entries],
            "excluded": [x.to_dict() for x in self.excluded],
            "summary": {"listed": len(self.entries),
                        "valid": sum(e.status == VALID for e in self.entries),
                        "removed": sum(e.status == REMOVED for e in self.entries),
                        "excluded": len(self.excluded)},
        }


def select(report, year: int, as_of: dt.date | None = None) -> Directory:
    """The directory of ``year`` from a validated ``report`` (its register and profile)."""
    register, profile = report.register, report.profile_obj
    ref = as_of or dt.date(year, 12, 31)
    inst = register["机构"]
    data = inst.data
    errors = _errors_by_institution(report, inst)
    revoked = _revocations(register)
    projects = _projects(register)
    summary = {i["uscc"]: i for i in report.institutions}
    years = profile.filing_years
    out = Directory(year, ref, profile.id, profile.province, profile.cities)
    seen: set[str] = set()
    for index in data.index:
        uscc = _text(data.at[index, USCC_COL])
        if uscc is not None:
            if uscc in seen:
                continue
            seen.add(uscc)
        status = _text(data.at[index, "备案状态"])
        start = _date(data.at[index, "备案起始"])
        row_errors = errors.get(("row", index), []) + (errors.get(("inst", uscc), []) if uscc else [])
        if status not in (STATUS_FILED, STATUS_REMOVED) and not (status is None and row_errors):
            continue  # 申请中: not (yet) in any directory
        period = filing_period(start, years) if start else None
        info = summary.get(uscc or "", {})
        renewed = _renewed(period, info, years)
        until = _valid_until(period, renewed, revoked.get(uscc or ""))
        in_year = period is not None and period.start.first_day <= dt.date(year, 12, 31) \
            and (until is None or until >= dt.date(year, 1, 1))
        if row_errors or period is None:
            if period is None or in_year:
                out.excluded.append(_excluded(uscc, data, index, row_errors, status, period))
            continue
        if not in_year:
            continue
        current = renewed if renewed is not None and ref >= renewed.start.first_day else period
        names = projects.get(uscc, [])
        if current is renewed and info.get("renewal", {}).get("renewed"):
            kept = set(info["renewal"]["renewed"])
            names = [p for p in names if p in kept]
        out.entries.append(Entry(
            city=_text(data.at[index, "所属市"]) or "", name=_text(data.at[index, "机构名称"]) or "",
            code=_text(data.at[index, "机构代码"]) or "", uscc=uscc, projects=tuple(names),
            period=current.zh(), address=_text(data.at[index, "机构地址"]) or "",
            phone=_text(data.at[index, "联系电话"]) or "",
            status=_status(status, ref, until, revoked.get(uscc)),
        ))
    order = {c: i for i, c in enumerate(profile.cities)}
    out.entries.sort(key=lambda e: (order.get(e.city, len(order)), e.city, name_key(e.name), e.uscc))
    out.excluded.sort(key=lambda x: (order.get(x.city or "", len(order)), x.city or "", name_key(x.name or ""),
                                     x.uscc or ""))
    return out


def name_key(name: str) -> tuple:
    """Sort key of a name: text by code point, digit runs by value (第2 < 第10)."""
    return tuple(int(p) if i % 2 else p for i, p in enumerate(re.split(r"(\d+)", name)))


def _status(status: str, ref: dt.date, until: dt.date | None, revoked_on: dt.date | None) -> str:
    if until is not None and until < ref:
        return REMOVED  # period over without renewal, or revoked on or before ``ref``
    if revoked_on is not None:
        return VALID  # revocation recorded, effective after ``ref``
    return REMOVED if status == STATUS_REMOVED else VALID


def _renewed(period: FilingPeriod | None, info: dict, years: int) -> FilingPeriod | None:
    """The renewal period, when the renewal is 合格 and the institution eligible for it."""
    renewal = info.get("renewal")
    if period is None or not renewal or renewal.get("result") != "合格" or not info.get("eligible"):
        return None
    return period.next(years)


def _valid_until(period, renewed, revoked_on: dt.date | None) -> dt.date | None:
    if period is None:
        return None
    last = (renewed or period).last_day
    if revoked_on is not None:
        last = min(last, revoked_on - dt.timedelta(days=1))
    return last


def _errors_by_institution(report, inst) -> dict[tuple, list]:
    """Error findings keyed ("inst", uscc) or ("row", 机构 index) when they sit on a 机构 row,
    or on a 机构 sheet as a whole (a missing column: every institution of that sheet)."""
    out: dict[tuple, list] = {}
    rows: dict[tuple, dict[int, list]] = {}  # (path, sheet) → Excel row → 机构 indexes
    for index in inst.data.index:
        loc = inst.location(index)
        rows.setdefault((loc["path"], loc["sheet"]), {}).setdefault(loc["row"], []).append(index)
    for f in report.findings:
        if f.severity != "error":
            continue
        if f.institution:
            out.setdefault(("inst", f.institution), []).append(f)
        on_sheet = rows.get((f.path, f.sheet))
        if not on_sheet:
            continue
        whole_sheet = f.row is None or f.rule == SHEET_LEVEL  # e.g. 机构地址 column absent
        hit = [i for r in on_sheet.values() for i in r] if whole_sheet else on_sheet.get(f.row, [])
        for index in hit:
            if not f.institution or f.institution != _text(inst.data.at[index, USCC_COL]):
                out.setdefault(("row", index), []).append(f)
    return out


def _excluded(uscc, data, index, found: list, status, period) -> Excluded:
    where = []
    for f in found[:5]:
        # cell and column only: a message may quote the value (a 身份证号), and this list
        # goes to stderr and the JSON, which hold no personal data either
        at = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f"{f.sheet}第{f.row}行" if f.sheet and f.row else
                                                                 (f.sheet or f.path or ""))
        where.append(f"{at} {f.column}" if f.column else at)
    if len(found) > 5:
        where.append(f"另有{len(found) - 5}处")
    reasons = tuple(sorted({f.rule for f in found}))
    if not found and period is None:
        where.append("备案起始空白，无法确定有效期")
    return Excluded(uscc, _text(data.at[index, "机构名称"]), _text(data.at[index, "所属市"]), reasons, tuple(where))


def _revocations(register) -> dict[str, dt.date]:
    """Credit code → earliest 撤销日期."""
    out: dict[str, dt.date] = {}
    if not register.has("撤销"):
        return out
    data = register["撤销"].data
    for code, day in zip(data[USCC_COL], data["撤销日期"]):
        code, day = _text(code), _date(day)
        if code and day and (code not in out or day < out[code]):
            out[code] = day
    return out


def _projects(register) -> dict[str, list[str]]:
    """Credit code → filed projects not marked 删除, in register order, each once."""
    out: dict[str, list[str]] = {}
    if not register.has("考核项目"):
        return out
    data = register["考核项目"].data
    for code, name, change in zip(data[USCC_COL], data["考核项目"], data["变更"]):
        code, name = _text(code), _text(name)
        if code and name and _text(change) != DELETED and name not in out.setdefault(code, []):
            out[code].append(name)
    return out


def _text(v) -> str | None:
    if v is None or not isinstance(v, str):
        return None
    v = v.strip()
    return v or None


def _date(v) -> dt.date | None:
    if v is None or isinstance(v, str):
        return None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    to_py = getattr(v, "to_pydatetime", None)
    return to_py().date() if to_py else None
