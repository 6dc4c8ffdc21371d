"""The 公示 list (鲁人社函〔2025〕23号 一(二)3: 拟备案考核机构和考核项目向社会公示，公示时间
不少于5个工作日): per city, the applicants whose filing receipt (附件2) the assessment finds
due, with their projects, and the 公示期 counted on the holiday calendar.

    from sheetkit.publicity import write_publicity
    result = write_publicity(["workbooks/"], "out/公示", start=date(2026, 9, 28))

`plan` (pure) reads the Assessment; `render` writes, per city, `publicity_<市>.xlsx`
(xlsxwriter, strings only, A4) and `publicity_<市>.docx` (the built-in template
`templates/notices/publicity.docx`, GB/T 9704 layout) ready to post. No personal data:
the name, credit code and projects of each institution only.

The 公示期 runs 自 ``start`` (the day of publication) 至 the ``days``-th working day after
it (`sheetkit.workdays.count_workdays`: the starting day is not counted — the same count
as `sheetkit calendar notice` and the objection period, docs/workflow.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sheetkit.workdays import NOTICE_WORKDAYS


@dataclass
class CityNotice:
    city: str
    issuer: str
    start: dt.date
    end: dt.date
    days: int
    holidays: tuple[str, ...]  # holidays the period runs over (国庆节 …)
    rows: list[dict]  # {"name", "uscc", "projects"}
    date: dt.date  # the date the notice is signed

    @property
    def period(self) -> str:
        from sheetkit.letters.context import date_zh

        return f"自{date_zh(self.start)}至{date_zh(self.end)}"

    @property
    def length(self) -> str:
        """「5个工作日，其间国庆节假期不计」"""
        note = f"，其间{'、'.join(self.holidays)}假期不计" if self.holidays else ""
        return f"{self.days}个工作日{note}"

    def to_dict(self) -> dict:
        return {"city": self.city, "issuer": self.issuer, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "workdays": self.days, "holidays": list(self.holidays), "period": self.period,
                "institutions": self.rows}


@dataclass
class PublicityResult:
    out_dir: Path
    notices: list[CityNotice] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # already there with the same content
    skipped: list[dict] = field(default_factory=list)  # applicants not due, with reasons
    unread: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"notices": [n.to_dict() for n in self.notices], "written": [str(p) for p in self.written],
                "unchanged": [str(p) for p in self.unchanged],
                "skipped": self.skipped,
                "unreadable": [{"path": f.path, "rule": f.rule, "message": f.message} for f in self.unread]}


def plan(assessment, start: dt.date, *, days: int | None = None, city: str | None = None,
         issuer: str | None = None, date: dt.date | None = None) -> tuple[list[CityNotice], list[dict]]:
    """One notice per city with applicants whose filing receipt is due (register order);
    the applicants that are not due, with the assessment's reasons."""
    from sheetkit.letters.context import _reason_message
    from sheetkit.register.model import STATUS_APPLYING
    from sheetkit.workdays import count_workdays

    days = days or NOTICE_WORKDAYS
    count = count_workdays(start, days)
    holidays = tuple(dict.fromkeys(d.holiday for d in count.days if not d.workday and d.holiday))
    canonical = assessment.profile.city_map().get(city, city) if city else None
    by_city: dict[str, list[dict]] = {}
    skipped = []
    for v in assessment.institutions:
        if v.status != STATUS_APPLYING or (city and v.city not in (city, canonical)):
            continue
        doc = v.documents["filing"]
        if not doc.due:
            skipped.append({"institution": v.uscc, "name": v.name, "city": v.city,
                            "reasons": sorted({r.rule for r in doc.reasons}), "message": _reason_message(doc.reasons)})
            continue
        by_city.setdefault(v.city or "", []).append({"name": v.name or "", "uscc": v.uscc or "",
                                                     "projects": "、".join(v.projects)})
    notices = [CityNotice(c, issuer or assessment.profile.city_bureau(c) or "", start, count.result, days, holidays,
                          rows, date or start)
               for c, rows in by_city.items()]
    return notices, skipped


def write_publicity(source, out_dir, start: dt.date, *, profile=None, as_of: dt.date | None = None,
                    days: int | None = None, city: str | None = None, issuer: str | None = None,
                    date: dt.date | None = None, progress=None, force: bool = False) -> PublicityResult:
    """Validate ``source`` (paths, or an Assessment) and write each city's 公示 list.

    A list already in ``out_dir`` with the same content is left as it is; one whose
    content would change (a list that may have been posted) raises OutputError unless
    ``force``, and then nothing is written."""
    from sheetkit.assessment import Assessment
    from sheetkit.errors import OutputError
    from sheetkit.outputs import atomic_path, refuse_inputs
    from sheetkit.publicity.render import docx_bytes, same_content, xlsx_bytes

    if isinstance(source, Assessment):
        assessment = source
    else:
        from sheetkit.engine import validate

        paths = [source] if isinstance(source, (str, Path)) else list(source)
        assessment = validate(paths, profile=profile, as_of=as_of, progress=progress)
    notices, skipped = plan(assessment, start, days=days, city=city, issuer=issuer, date=date)
    out = Path(out_dir)
    result = PublicityResult(out, notices, skipped=skipped, unread=assessment.unread_files())
    targets = [(n, out / f"publicity_{_safe(n.city)}") for n in notices]
    refuse_inputs([t.with_suffix(s) for _, t in targets for s in (".xlsx", ".docx")], assessment.register.workbooks)
    files = [(stem.with_suffix(suffix), render(notice, assessment.profile))
             for notice, stem in targets for suffix, render in ((".xlsx", xlsx_bytes), (".docx", docx_bytes))]
    same = {t for t, data in files if t.exists() and same_content(t, data)}
    changed = [t for t, _ in files if t.exists() and t not in same]
    if changed and not force:
        names = "、".join(t.name for t in changed)
        raise OutputError(f"已存在内容不同的公示名单：{names}（可能已张贴）。确认要覆盖请加 --force")
    out.mkdir(parents=True, exist_ok=True)
    for target, data in files:
        if target in same:
            result.unchanged.append(target)
            continue
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        result.written.append(target)
    return result


def _safe(city: str) -> str:
    from sheetkit.letters import safe_filename

    return safe_filename("x", "0", city or "未填所属市")[4:-5]  # the name part, made safe
