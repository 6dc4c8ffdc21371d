"""The register model: every sheet and column of SPEC §1, defined once.

This one definition drives reading (header matching, normalisation), the column
schemas (`register.schema`, equivalent to pandera's), the blank template workbook (`sheetkit init`) and
`docs/register.md`. Column names, sheet names and kinds are the stable interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column types. Each has a normaliser in `register.normalise`.
TEXT, USCC, RESIDENT, ENUM, CITY, YESNO, DATE, NUMBER, INTEGER, LIST = (
    "text", "uscc", "resident", "enum", "city", "yesno", "date", "number", "integer", "list",
)

TYPE_ZH = {
    TEXT: "文本", USCC: "统一社会信用代码(18位)", RESIDENT: "身份证号(18位)", ENUM: "选项",
    CITY: "地市", YESNO: "是/否", DATE: "日期", NUMBER: "数值", INTEGER: "整数", LIST: "文本(可多项)",
}


@dataclass(frozen=True)
class Column:
    """One column of a register sheet.

    ``required``: always required. ``needed_by``: required only while one of these
    rules is on in the profile. ``when``: the requirement holds only on rows whose
    column (first) has one of the values (second) — e.g. 劳动合同起始 for 专职 only.
    """

    name: str
    type: str = TEXT
    required: bool = False
    needed_by: tuple[str, ...] = ()
    when: tuple[str, tuple[str, ...]] | None = None
    values: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    note: str = ""
    personal: bool = False
    min: float | None = None
    max: float | None = None

    def requirement(self, enabled: set[str] | frozenset[str] | None = None) -> str:
        """Whether the column must be filled, in words: under a profile's ``enabled``
        rules (the template's header notes), or for every profile when None (the docs)."""
        cond = self.condition()
        if self.required:
            return f"{cond}必填"
        if not self.needed_by:
            return "选填"
        if enabled is None:
            return f"{cond}必填（{', '.join(f'`{r}`' for r in self.needed_by)} 启用时）"
        on = [r for r in self.needed_by if r in enabled]
        if on:
            return f"{cond}必填（规则 {', '.join(on)} 需要）"
        return f"选填（需要它的规则 {', '.join(self.needed_by)} 在本配置中未启用）"

    def condition(self) -> str:
        """「“用工形式”为专职时」 for a column required only when another column has one of
        some values; empty otherwise."""
        if self.when is None:
            return ""
        other, values = self.when
        return f"“{other}”为{'/'.join(values)}时"

    def is_required(self, enabled: set[str] | frozenset[str]) -> bool:
        if self.required:
            return True
        return bool(self.needed_by) and any(r in enabled for r in self.needed_by)


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    note: str = ""

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


STATUS_APPLYING, STATUS_FILED, STATUS_REMOVED = "申请中", "已备案", "终止备案"

INSTITUTION_TYPES = ("企业", "院校", "社会团体", "职业技能培训机构", "其他")
ROLES = ("负责人", "考核管理人员", "考务管理人员", "内部质量督导人员", "考评人员", "技术资源建设专家", "技术支持人员")
ROLE_SYNONYMS = {
    "所长": "负责人", "考务人员": "考务管理人员", "督导人员": "内部质量督导人员",
    "质量督导人员": "内部质量督导人员", "督导员": "内部质量督导人员", "考评员": "考评人员",
    "专家": "技术资源建设专家", "命题专家": "技术资源建设专家",
}
SKILL_LEVELS = ("五级", "四级", "三级", "二级", "一级", "无")
SKILL_SYNONYMS = {"初级工": "五级", "中级工": "四级", "高级工": "三级", "技师": "二级", "高级技师": "一级"}
TITLES = ("无", "初级", "中级", "副高级", "正高级")
TITLE_SYNONYMS = {"员级": "初级", "助理级": "初级"}
EDUCATION = ("初中及以下", "高中", "中专", "大专", "本科", "研究生")
EDUCATION_SYNONYMS = {"硕士": "研究生", "博士": "研究生"}

# Scored lines of 附件4 in order (maximum points); sum 100.
SCORE_MAXIMA = (
    1, 1, 1,  # 机构信用
    3, 2,  # 管理制度
    2, 3, 2, 2,  # 场地设备
    4, 3, 3,  # 人员配备
    3, 5, 2,  # 题库资源
    2, 2, 1, 2, 2, 2, 3, 2, 2, 3, 5, 1, 2, 3,  # 考核组织实施
    2, 2,  # 证书管理
    4, 4,  # 档案管理
    1, 1, 1, 1,  # 信息公开
    2, 2, 2, 4, 3, 2,  # 工作质量管控
)
VETO_ITEMS = 10
assert len(SCORE_MAXIMA) == 43 and sum(SCORE_MAXIMA) == 100

USCC_COL = "统一社会信用代码"
_USCC = Column(USCC_COL, USCC, required=True, aliases=("信用代码", "社会信用代码", "机构统一社会信用代码"),
               note="18位统一社会信用代码，按 GB 32100-2015 校验")


def _uscc_ref(note="所属机构的统一社会信用代码") -> Column:
    return Column(USCC_COL, USCC, required=True, aliases=_USCC.aliases, note=note)


INSTITUTIONS = SheetSpec(
    kind="机构",
    aliases=("考核机构", "机构信息", "institutions"),
    key=(USCC_COL,),
    note="一个机构一行",
    columns=(
        _USCC,
        Column("机构名称", required=True, aliases=("考核机构名称", "单位名称")),
        Column("所属市", CITY, required=True, aliases=("地市", "所在市"), note="本省设区的市"),
        Column("机构类型", ENUM, required=True, values=INSTITUTION_TYPES),
        Column("机构地址", required=True, aliases=("地址", "考核机构地址")),
        Column("法定代表人", personal=True),
        Column("联系人", personal=True),
        Column("联系电话", aliases=("电话",)),
        Column("电子邮箱", aliases=("邮箱",)),
        Column("机构代码", aliases=("考核机构代码",), note="备案时赋予；已备案机构必填，全表唯一"),
        Column("备案状态", ENUM, required=True, values=("申请中", "已备案", "终止备案"),
               synonyms={"申请": "申请中", "备案": "已备案", "已终止": "终止备案", "撤销": "终止备案"}),
        Column("备案起始", DATE, needed_by=("filing.expired", "filing.due", "venue.lease-term", "venue.lease-start"),
               when=("备案状态", ("已备案",)), aliases=("备案日期", "备案开始日期"),
               note="本备案期起始日；申请中机构填拟备案起始日，空白按 --as-of"),
        Column("信用状况", ENUM, needed_by=("inst.credit",), values=("良好", "不良")),
        Column("独立考核部门", YESNO, needed_by=("inst.department",), note="有独立负责考核工作的内设部门"),
        Column("培训考核年限", NUMBER, needed_by=("inst.experience",), min=0, note="在所申报项目的培训考核经历（年）"),
        Column("申报日期", DATE, aliases=("申请日期", "申报时间"),
               note="收到申报的日期；空白不检查是否逾期（inst.late-application）"),
        Column("评估方案报备日期", DATE, aliases=("评估方案报备时间",),
               note="市州人社部门将评估方案报省鉴定中心备案的日期（filing.evaluation-plan）"),
        Column("评估日期", DATE, aliases=("评估时间", "现场评估日期"),
               note="对申请机构开展评估的日期；与评估方案报备日期都填写时才检查"),
    ),
)

STAFF = SheetSpec(
    kind="人员",
    aliases=("人员信息", "工作人员", "staff"),
    key=(USCC_COL, "身份证号", "岗位"),
    note="一人一岗一行；同一人兼两岗写两行",
    columns=(
        _uscc_ref(),
        Column("姓名", required=True, personal=True),
        Column("身份证号", RESIDENT, required=True, personal=True, aliases=("公民身份号码", "身份证号码"),
               note="18位，按 GB 11643-1999 校验；个人信息，不对外公布"),
        Column("岗位", ENUM, required=True, values=ROLES, synonyms=ROLE_SYNONYMS),
        Column("用工形式", ENUM, required=True, values=("专职", "兼职"), note="“专兼职”不接受"),
        Column("考核项目", LIST, needed_by=("staff.assessors", "staff.experts"),
               when=("岗位", ("考评人员", "技术资源建设专家")), aliases=("考评项目", "所属项目"),
               note="多个项目用顿号、逗号、分号或换行分隔"),
        Column("劳动合同起始", DATE, needed_by=("staff.contract",), when=("用工形式", ("专职",))),
        Column("劳动合同终止", DATE, note="空白表示无固定期限"),
        Column("社保缴纳月数", INTEGER, needed_by=("staff.insurance",), when=("用工形式", ("专职",)), min=0),
        Column("供职单位数", INTEGER, needed_by=("staff.employers",), when=("用工形式", ("兼职",)), min=1,
               note="含本单位"),
        Column("技能等级", ENUM, values=SKILL_LEVELS, synonyms=SKILL_SYNONYMS),
        Column("专业技术职称", ENUM, values=TITLES, synonyms=TITLE_SYNONYMS, aliases=("职称",)),
        Column("学历", ENUM, values=EDUCATION, synonyms=EDUCATION_SYNONYMS),
        Column("相关工作年限", NUMBER, min=0),
        Column("技能带头人", YESNO),
        Column("考评员证书编号", aliases=("考评员证号",)),
    ),
)

VENUES = SheetSpec(
    kind="场地",
    aliases=("场地信息", "场地设施", "venues"),
    columns=(
        _uscc_ref(),
        Column("场地用途", ENUM, required=True, values=("办公", "考核", "办公及考核"),
               synonyms={"办公和考核": "办公及考核", "考核及办公": "办公及考核", "办公、考核": "办公及考核"}),
        Column("场地地址", required=True),
        Column("产权类型", ENUM, required=True, values=("自有", "租赁"), synonyms={"租用": "租赁", "自有产权": "自有"}),
        Column("不动产权证号", aliases=("产权证号",), note="自有产权场地必填（由 venue.deed 检查）"),
        Column("租赁起始", DATE, needed_by=("venue.lease-term", "venue.lease-start"), when=("产权类型", ("租赁",))),
        Column("租赁终止", DATE, needed_by=("venue.lease-term",), when=("产权类型", ("租赁",))),
        Column("面积", NUMBER, min=0, note="平方米"),
        Column("监控全覆盖", YESNO, needed_by=("venue.cctv",), when=("场地用途", ("考核", "办公及考核")),
               note="视频探头覆盖每个工位及整个考核场地"),
    ),
)

PROJECTS = SheetSpec(
    kind="考核项目",
    aliases=("备案项目", "项目", "projects"),
    key=(USCC_COL, "考核项目"),
    note="一个机构的一个项目一行",
    columns=(
        _uscc_ref(),
        Column("考核项目", required=True, aliases=("项目名称",)),
        Column("变更", ENUM, values=("保留", "新增", "删除"), synonyms={"增加": "新增", "新增项目": "新增", "删除项目": "删除"},
               note="空白为保留"),
        Column("卷库套数", INTEGER, needed_by=("project.question-bank",), min=0),
        Column("题库道数", INTEGER, needed_by=("project.question-bank",), min=0),
        Column("考核人次", INTEGER, min=0),
        Column("取证人次", INTEGER, min=0),
        Column("首次考核日期", DATE),
    ),
)

CATALOGUE = SheetSpec(
    kind="项目目录",
    aliases=("考核项目目录", "catalogue"),
    key=("考核项目",),
    columns=(
        Column("考核项目", required=True, aliases=("项目名称",)),
        Column("项目代码"),
        Column("征集市", LIST, note="征集该项目的市，空白为全部"),
    ),
)

SCORES = SheetSpec(
    kind="续期评分",
    aliases=("续期评估", "评分", "scores"),
    key=(USCC_COL, "评估专家"),
    note="一个机构一位评估专家一行（附件4）",
    columns=(
        _uscc_ref(),
        Column("评估专家", required=True, personal=True, aliases=("专家姓名", "评估人员")),
        Column("评估日期", DATE, aliases=("评估时间",)),
        *(Column(str(i), NUMBER, needed_by=("renewal.score", "renewal.score-range"), min=0, max=m,
                 note=f"附件4第{i}项，满分{m}") for i, m in enumerate(SCORE_MAXIMA, 1)),
        *(Column(f"不合格项{i}", YESNO) for i in range(1, VETO_ITEMS + 1)),
    ),
)

REVOCATIONS = SheetSpec(
    kind="撤销",
    aliases=("撤销备案", "revocations"),
    columns=(
        _uscc_ref(),
        Column("撤销情形", ENUM, required=True, values=("自愿撤销", "违反规定", "主体灭失", "期满未续期")),
        Column("情形说明", required=True, note="填入“因你单位出现____情形”"),
        Column("依据", required=True, note="填入“根据____有关要求”"),
        Column("撤销日期", DATE, required=True),
    ),
)

# 甘人社通〔2022〕110号 三: the eight written materials, in the notice's order (SPEC §1.9).
MATERIAL_ITEMS = (
    ("考核机构基本情况及备案申请报告", ("基本情况及备案申请报告", "备案申请报告", "申请报告")),
    ("甘肃省专项职业能力考核机构申请表", ("《甘肃省专项职业能力考核机构申请表》", "考核机构申请表", "申请表")),
    ("申请单位法人登记证书复印件", ("法人登记证书复印件", "法人登记证书", "法人证书")),
    ("社会信用信息情况说明", ("信用信息情况说明", "信用情况说明", "信用说明")),
    ("管理人员、工作人员、考评人员的名单及资格证明", ("人员名单及资格证明", "人员名单", "名单及资格证明")),
    ("用于开展专项考核工作的办公用房、考评场地和设施设备的证明材料",
     ("办公用房、考评场地和设施设备的证明材料", "场地设施设备证明材料", "场地设备证明", "场地证明")),
    ("开展专项考核工作流程、工作制度、人员守则等管理制度及质量管控措施",
     ("管理制度及质量管控措施", "管理制度", "质量管控措施")),
    ("考核机构诚信承诺书", ("诚信承诺书", "承诺书")),
)

MATERIALS = SheetSpec(
    kind="申报材料",
    aliases=("申报材料清单", "申请材料", "materials"),
    key=(USCC_COL,),
    note="一个申请机构一行，每项材料是否已提交（甘人社通〔2022〕110号 三）；可选，没有此表时不检查申报材料",
    columns=(
        _uscc_ref("申请机构的统一社会信用代码"),
        *(Column(name, YESNO, needed_by=("inst.materials",), aliases=aliases, note=f"甘人社通〔2022〕110号 三({n})")
          for n, (name, aliases) in zip("一二三四五六七八", MATERIAL_ITEMS)),
    ),
)

SETTINGS = SheetSpec(
    kind="设置",
    aliases=("settings",),
    columns=(Column("项目", required=True), Column("值")),
    note="发文单位、发文日期、政策",
)

SHEETS: tuple[SheetSpec, ...] = (INSTITUTIONS, STAFF, VENUES, PROJECTS, CATALOGUE, SCORES, REVOCATIONS, MATERIALS,
                                  SETTINGS)
BY_KIND = {s.kind: s for s in SHEETS}
