"""The directory's rows (SPEC §3): which institutions the year's 考核机构目录 lists, in
which order, with which values. Pure — an Assessment in, a `Directory` out; nothing is
written here and no personal column (法定代表人, 联系人, 人员) is ever read.

Decisions (docs/directory.md):
- listed: 已备案 and 终止备案 institutions whose filing was valid on at least one day of
  the year. Valid from the first day of 备案起始's month to the end of its filing period
  (`periods.filing_period`), extended by the renewal period when the assessment says the
  renewal receipt is due; cut at the earliest 撤销日期 (valid on the days before it).
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

from sheetkit.register.model import STATUS_FILED, STATUS_REMOVED

COLUMNS = ("序号", "所属市", "机构名称", "机构代码", "统一社会信用代码", "考核项目", "有效期",
           "机构地址", "联系电话", "备案状态")
VALID, REMOVED = "有效", "终止备案"
PROJECT_JOIN = "、"


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


def select(assessment, year: int, as_of: dt.date | None = None) -> Directory:
    """The directory of ``year`` from an ``assessment`` (its verdicts and profile)."""
    profile = assessment.profile
    ref = as_of or dt.date(year, 12, 31)
    revoked = _revocations(assessment)
    years = profile.filing_years
    out = Directory(year, ref, profile.id, profile.province, profile.cities)
    for v in assessment.institutions:
        errors = v.errors
        if v.status not in (STATUS_FILED, STATUS_REMOVED) and not (v.status is None and errors):
            continue  # 申请中: not (yet) in any directory
        period = v.current
        renewed = period.next(years) if period is not None and v.documents["renewal"].due else None
        until = _valid_until(period, renewed, revoked.get(v.uscc or ""))
        in_year = period is not None and period.start.first_day <= dt.date(year, 12, 31) \
            and (until is None or until >= dt.date(year, 1, 1))
        if errors or period is None:
            if period is None or in_year:
                out.excluded.append(_excluded(v, errors, period))
            continue
        if not in_year:
            continue
        current = renewed if renewed is not None and ref >= renewed.start.first_day else period
        names = list(v.projects)
        if current is renewed:
            kept = set(v.renewal["renewed"])
            names = [p for p in names if p in kept]
        out.entries.append(Entry(
            city=v.city or "", name=v.name or "", code=v.code or "", uscc=v.uscc, projects=tuple(names),
            period=current.zh(), address=v.address or "", phone=v.phone or "",
            status=_status(v.status, ref, until, revoked.get(v.uscc)),
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


def _valid_until(period, renewed, revoked_on: dt.date | None) -> dt.date | None:
    if period is None:
        return None
    last = (renewed or period).last_day
    if revoked_on is not None:
        last = min(last, revoked_on - dt.timedelta(days=1))
    return last


def _excluded(v, found: list, period) -> Excluded:
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
    return Excluded(v.uscc, v.name, v.city, reasons, tuple(where))


def _revocations(assessment) -> dict[str, dt.date]:
    """Credit code → earliest 撤销日期."""
    out: dict[str, dt.date] = {}
    for r in assessment.revocations:
        if r.uscc and r.revoked_on and (r.uscc not in out or r.revoked_on < out[r.uscc]):
            out[r.uscc] = r.revoked_on
    return out
