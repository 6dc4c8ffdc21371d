"""The registry of rule ids: default severity and a title for each (SPEC §2).

Each family module (`data`, `ids`, `institution`, `staff`, `venue`, `project`,
`renewal`, `filing`) registers its checks with `@check(rule_id)`. A check is
``check(ctx) -> Iterable[Finding]``; the engine, not the check, stamps the severity and
the clause taken from the profile. Thresholds come from ``ctx.param(name)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class RuleDef:
    id: str
    severity: str
    title: str
    title_en: str

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


_DEFS = [
    ("data.unreadable", "error", "文件无法打开（损坏、加密、不是工作簿或过大）", "file cannot be opened"),
    ("data.not-read", "warning", "文件未读取（不是普通文件、链接指向文件夹之外、格式不受支持或像备份副本）",
     "file not read (not a regular file, link out of the folder, unsupported or backup copy)"),
    ("data.missing-sheet", "error", "缺少机构工作表，或工作簿中没有可识别的工作表", "missing 机构 sheet"),
    ("data.missing-column", "error", "工作表缺少必需的列", "required column absent"),
    ("data.required", "error", "必填单元格为空", "required cell blank"),
    ("data.type", "error", "值无法按该列类型（日期、数值、整数、是/否）读取", "value of the wrong type"),
    ("data.enum", "error", "值不在该列允许的选项内", "value outside the allowed list"),
    ("data.duplicate", "error", "同一主键重复出现", "duplicate key"),
    ("data.unknown-institution", "error", "统一社会信用代码在机构表中不存在", "unknown institution"),
    ("data.formula", "warning", "公式单元格没有保存计算结果，值未知", "formula cell without a cached value"),
    ("data.no-catalogue", "warning", "未找到考核项目目录，未检查项目是否在目录内", "no catalogue found"),
    ("id.uscc", "error", "统一社会信用代码格式或校验码错误", "invalid unified social credit code"),
    ("id.resident", "error", "身份证号格式或校验码错误", "invalid resident ID number"),
    ("inst.region", "violation", "统一社会信用代码的登记管理机关不在本省", "registered outside the province"),
    ("inst.type", "violation", "机构类型不属于可申报的类型", "institution type does not qualify"),
    ("inst.credit", "violation", "信用状况不良", "bad credit"),
    ("inst.department", "violation", "无独立负责考核工作的内设部门", "no assessment department"),
    ("inst.experience", "violation", "培训考核经历年限不足", "too little experience"),
    ("inst.code", "error", "已备案机构缺少机构代码，或机构代码重复", "institution code missing or reused"),
    ("inst.late-application", "violation", "申报日期晚于申报截止日", "application received after the deadline"),
    ("inst.materials", "violation", "申报材料不全", "application materials missing"),
    ("staff.director", "violation", "负责人（所长）人数或职称不符合要求", "director missing or unqualified"),
    ("staff.management", "violation", "专职考核管理人员人数或学历不足", "too few management staff"),
    ("staff.exam-admin", "violation", "考务管理人员不足", "too few exam administrators"),
    ("staff.supervisor", "violation", "内部质量督导人员不足", "too few quality supervisors"),
    ("staff.assessors", "violation", "考核项目的考评人员不足", "too few assessors for a project"),
    ("staff.experts", "violation", "考核项目的技术资源建设专家不足", "too few experts for a project"),
    ("staff.assessor-qualification", "violation", "考评人员资格条件不符", "assessor not qualified"),
    ("staff.contract", "violation", "专职人员劳动合同期限不足1年，或在所判断的备案期开始前已终止",
     "full-time contract too short or ended"),
    ("staff.insurance", "violation", "专职人员社会保险缴纳不满1年", "social insurance too short"),
    ("staff.employers", "violation", "兼职人员供职单位过多", "part-timer serves too many units"),
    ("staff.cross-register", "violation", "同一人员在多个机构重复任职", "same person at several institutions"),
    ("staff.tech-support", "violation", "技术支持人员不足", "too few technical support staff"),
    ("venue.missing", "violation", "缺少办公场所或考核场所", "office or assessment venue missing"),
    ("venue.deed", "error", "自有场地缺少不动产权证号", "owned venue without deed number"),
    ("venue.lease-term", "violation", "租赁场地租期不足3年", "lease too short"),
    ("venue.lease-start", "violation", "租赁起始晚于备案起始", "lease starts after filing"),
    ("venue.cctv", "violation", "考核场地电子监控未全覆盖", "assessment venue lacks full CCTV"),
    ("project.catalogue", "violation", "考核项目不在目录或本市征集范围内", "project not in the catalogue or call"),
    ("project.max-per-institution", "violation", "机构备案考核项目超过上限", "too many projects for one institution"),
    ("project.max-per-city", "violation", "本市同一考核项目的机构数超过上限", "too many institutions for one project"),
    ("project.question-bank", "violation", "考核项目没有卷库或题库", "no question bank"),
    ("project.certified", "error", "取证人次多于考核人次", "more certificates than assessments"),
    ("renewal.score-range", "error", "评分超出该项分值范围", "item score out of range"),
    ("renewal.panel-size", "error", "续期评估专家人数不在3—5人之间", "evaluator panel size out of range"),
    ("renewal.score", "violation", "续期评估综合得分低于合格线", "renewal score below the pass mark"),
    ("renewal.veto", "violation", "存在续期评估不合格项", "a disqualifying item is marked"),
    ("renewal.no-assessment", "warning", "备案期内未开展考核的项目不予续期", "project not assessed in the period"),
    ("filing.expired", "violation", "备案期满未经续期合格，备案失效（未申请续期的视为自愿撤销）",
     "filing expired without a passed renewal"),
    ("filing.start-past", "violation", "申请机构的备案起始早于检查日期一个月以上", "applicant's filing start long past"),
    ("filing.due", "info", "备案即将到期", "filing period ends soon"),
    ("filing.evaluation-plan", "warning", "评估方案报备晚于评估前规定的工作日数", "evaluation plan filed too late"),
]

RULES: dict[str, RuleDef] = {d[0]: RuleDef(*d) for d in _DEFS}
CHECKS: dict[str, Callable] = {}


def check(rule_id: str):
    """Register ``fn`` as the check of ``rule_id`` (one check may serve one id)."""
    if rule_id not in RULES:
        raise KeyError(f"unknown rule id {rule_id}")

    def wrap(fn: Callable[..., Iterable]):
        CHECKS[rule_id] = fn
        return fn

    return wrap
