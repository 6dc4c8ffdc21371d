"""附件5 备案续期申请表 (鲁人社函〔2025〕23号): what the register knows about one 已备案
institution, for the form a bureau sends out with its renewal notice. Pure: the
assessment and a verdict in, plain strings out; the rest of the form (职务, 主体资质是否
变更, 信用情况, the 工作总结, the signatures) is left for the institution.

- 机构信息: 名称, 地址, 机构代码, 统一社会信用代码 and 联系电话 from the verdict; 联系人 and
  电子邮箱 from its 机构 row.
- 当前备案期限: the verdict's current period (`due_list`'s).
- 备案期内是否开展考核: 是 when a filed project has 考核人次 > 0, 否 when every one has 0,
  boxes when the register does not say; 初次考核时间: the earliest 首次考核日期.
- 考核情况 / 考核题库情况: one row per filed project (not 删除) — 考核人次, 取证人次,
  通过率 = 取证人次 ÷ 考核人次 (two decimals, blank when 考核人次 is 0 or blank), 卷库套数,
  题库道数.
- 考核场地情况: 自有场地 / 租用场地 ticked from the 场地 rows' 产权类型; their addresses.
- 人员情况: distinct people (身份证号) by 岗位 — 考评人员; 督导人员 = 内部质量督导人员;
  命题专家 = 技术资源建设专家; 工作人员 = 负责人, 考核管理人员, 考务管理人员, 技术支持人员.
"""

from __future__ import annotations

import datetime as dt

from sheetkit.letters.values import as_date, text
from sheetkit.register.model import USCC_COL

TICK, BOX = "☑", "□"
ROLE_GROUPS = {
    "assessors": ("考评人员",),
    "supervisors": ("内部质量督导人员",),
    "experts": ("技术资源建设专家",),
    "workers": ("负责人", "考核管理人员", "考务管理人员", "技术支持人员"),
}


def application_fields(assessment, v) -> dict:
    register = assessment.register
    inst = _rows(register, "机构", v.uscc)
    first = inst[0] if inst else {}
    projects = [_project(row) for row in _rows(register, "考核项目", v.uscc)
                if _text(row.get("变更")) != "删除" and _text(row.get("考核项目"))]
    counts = [p["_assessed"] for p in projects]
    if any(c for c in counts if c):
        assessed = f"是{TICK}　否{BOX}"
    elif counts and all(c == 0 for c in counts):
        assessed = f"是{BOX}　否{TICK}"
    else:
        assessed = f"是{BOX}　否{BOX}"
    dates = [d for d in (_day(r.get("首次考核日期")) for r in _rows(register, "考核项目", v.uscc)) if d]
    first_assessed = f"{min(dates).year}年{min(dates).month}月{min(dates).day}日" if dates else "____年__月__日"
    venues = _rows(register, "场地", v.uscc)
    kinds = {_text(r.get("产权类型")) for r in venues}
    venue_kinds = f"自有场地{TICK if '自有' in kinds else BOX}　租用场地{TICK if '租赁' in kinds else BOX}"
    addresses = list(dict.fromkeys(a for a in (_text(r.get("场地地址")) for r in venues) if a))
    staff = _rows(register, "人员", v.uscc)
    counts_by_role = {}
    for key, roles in ROLE_GROUPS.items():
        people = {_text(r.get("身份证号")) or _text(r.get("姓名")) for r in staff if _text(r.get("岗位")) in roles}
        people.discard(None)
        counts_by_role[key] = str(len(people)) if staff else ""
    for p in projects:
        p.pop("_assessed")
    return {"address": v.address or "", "contact": _text(first.get("联系人")) or "", "phone": v.phone or "",
            "email": _text(first.get("电子邮箱")) or "", "assessed": assessed, "first_assessed": first_assessed,
            "projects": projects, "venue_kinds": venue_kinds, "venue_addresses": "；".join(addresses),
            "staff": counts_by_role}


def _project(row) -> dict:
    assessed, certified = _count(row.get("考核人次")), _count(row.get("取证人次"))
    rate = f"{certified / assessed * 100:.2f}%" if assessed and certified is not None else ""
    return {"name": _text(row.get("考核项目")), "assessed": _num(assessed), "certified": _num(certified),
            "rate": rate, "papers": _num(_count(row.get("卷库套数"))), "questions": _num(_count(row.get("题库道数"))),
            "_assessed": assessed}


def _rows(register, kind: str, uscc: str) -> list[dict]:
    if not register.has(kind):
        return []
    data = register[kind].data
    if USCC_COL not in data.columns:
        return []
    return [row for _, row in data[data[USCC_COL] == uscc].iterrows()]


def _count(value) -> int | None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    try:
        if value != value:  # NaN
            return None
        return int(value)
    except (TypeError, ValueError):
        return None


def _num(value) -> str:
    return "" if value is None else str(value)


def _text(value) -> str | None:
    return text(value)


def _day(value) -> dt.date | None:
    return as_date(value)
