"""Filing periods that end soon, or have ended without renewal (SPEC §2 filing.due /
filing.expired; 鲁人社函〔2025〕23号 二、三(一)).

`due_list(assessment, within)` lists every 已备案 institution whose filing period (the
assessment's ``current`` period) ends within ``within`` days of ``as_of``, or has ended with
no 续期评分 rows (视为自愿撤销, 三(一)), sorted by end date. An institution whose period
has ended and that has renewal scores is in the renewal process and is not listed. A 已备案
row without a readable 备案起始 cannot be judged and is listed apart (``undated``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from sheetkit.register.model import STATUS_FILED

DUE, EXPIRED = "即将到期", "期满未续期"


@dataclass(frozen=True)
class DueEntry:
    uscc: str
    name: str | None
    city: str | None
    code: str | None
    start: str  # 备案起始, ISO date
    period: str  # 自2025年3月至2028年2月
    end: str  # last day of the period, ISO date
    days_left: int  # negative once ended
    state: str  # 即将到期 | 期满未续期
    has_scores: bool
    path: str
    sheet: str
    row: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DueList:
    as_of: dt.date
    within: int
    entries: list[DueEntry] = field(default_factory=list)
    undated: list[dict] = field(default_factory=list)  # 已备案 without a readable 备案起始
    unread: list = field(default_factory=list)  # Findings about files that could not be used

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "within_days": self.within,
                "institutions": [e.to_dict() for e in self.entries], "undated": self.undated,
                "unreadable": [{"path": f.path, "rule": f.rule, "message": f.message} for f in self.unread]}


def due_list(assessment, within: int) -> DueList:
    """The 已备案 institutions of ``assessment`` due for renewal or lapsed (a view of its
    verdicts: the same periods the rules and letters use)."""
    as_of = assessment.as_of
    out = DueList(as_of, within, unread=assessment.unread_files())
    for v in assessment.institutions:
        if v.status != STATUS_FILED or not v.uscc:
            continue
        loc = v.location
        if v.current is None:
            out.undated.append({"uscc": v.uscc, "name": v.name, **loc,
                                "message": f"{loc['path']} “{loc['sheet']}”第{loc['row']}行：已备案机构的备案起始为空或无法识别，无法判断到期日"})
            continue
        left = (v.current.last_day - as_of).days
        has_scores = v.renewal is not None
        if left < 0 and has_scores:
            continue  # ended, renewal evaluated: the renewal letters take it from here
        if left > within:
            continue
        out.entries.append(DueEntry(
            uscc=v.uscc, name=v.name, city=v.city, code=v.code, start=v.start.isoformat(), period=v.current.zh(),
            end=v.current.last_day.isoformat(), days_left=left, state=EXPIRED if left < 0 else DUE,
            has_scores=has_scores, path=loc["path"], sheet=loc["sheet"], row=loc["row"]))
    out.entries.sort(key=lambda e: (e.end, e.city or "", e.uscc))
    return out


def due(paths, profile=None, as_of: dt.date | None = None, within: int | None = None) -> DueList:
    """Validate the register in ``paths`` and list what is due (see `due_list`).
    ``within`` defaults to the profile's ``due_within_days``."""
    from sheetkit.engine import validate

    assessment = validate(paths, profile=profile, as_of=as_of)
    return due_list(assessment, assessment.profile.due_within_days if within is None else within)


def render_text(result: DueList) -> list[str]:
    """The list for staff, one line per institution."""
    lines = [f"截至 {result.as_of.isoformat()}，备案期 {result.within} 天内到期或已期满未续期的已备案机构："]
    if not result.entries:
        lines.append("  （无）")
    for e in result.entries:
        when = f"还剩 {e.days_left} 天" if e.days_left >= 0 else f"已期满 {-e.days_left} 天，视为自愿撤销"
        scores = "，已有续期评分" if e.has_scores else ""
        lines.append(f"  {e.end}  {e.city or ''} {e.name or ''}（{e.uscc}{'，' + e.code if e.code else ''}）"
                     f"  备案起始 {e.start}，{e.period}，{e.state}：{when}{scores}")
    for u in result.undated:
        lines.append(f"  无法判断：{u['message']}")
    return lines
