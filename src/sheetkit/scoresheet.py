"""The 附件4 续期评估明细表 as a workbook an evaluator fills in (`sheetkit scoresheet`).

For every 已备案 institution due for renewal (`sheetkit.due`): the 43 scored lines with
their 一级指标/二级指标/评分标准 exactly as in 鲁人社函〔2025〕23号 附件4 and their maxima,
a 评分 column limited by data validation to 0…max, the total by formula, the ten 不合格项
as 是/否 drop-downs, the institution's details filled in, 评估专家 and 评估日期 to fill.
A4, fit to width; from page 2 on, the institution's name in the header; page numbers
in the footer; no total printed on a blank form; 「是□　否□」 beside each 不合格项 for a
form filled by hand. The text is the notice's (its typo 「字祥」 included) with the
transcription's half-width punctuation made full-width (`full_width`); 一级指标 break
before their points, 「考核组织实施 / （32分）」. The sheet is protected (no password) so
only the cells to fill can be edited and the layout the reader relies on
(`register.scoresheet_reader`) holds.

Filled copies dropped into the register folder are read back as 续期评分 rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sheetkit import outputs
from sheetkit.errors import OutputError
from sheetkit.register import scoresheet_reader as layout
from sheetkit.register.model import SCORE_MAXIMA

TITLE = "专项职业能力考核机构续期评估明细表"
CRITERIA_HEADER = "评分标准（“符合”满分，“基本符合”酌情给分，“不符合”0分）"
VETO_HEADER = "不合格项"
VETO_BOXES = "是□　否□"
SIGNATURE = "评估人员（签字）：                    年    月    日"
NOTE = "备注：评估人员为专项职业能力考核机构负责人或续期评估组专家。"
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


def full_width(text: str) -> str:
    """The transcription's half-width punctuation as the notice prints it (full-width)."""
    return text.translate(_FULL_WIDTH)


def first_level(label: str) -> str:
    """「考核组织实施 (32分)」 → 「考核组织实施」 and 「（32分）」 on a line of their own."""
    m = re.fullmatch(r"(.+?)\s*\((\d+分)\)", label)
    return f"{m.group(1)}\n（{m.group(2)}）" if m else full_width(label)


def header_text(text: str) -> str:
    """Text for an Excel header/footer: ``&`` is a control character there."""
    return str(text or "").replace("&", "&&")

# 附件4, line by line: (一级指标, 二级指标, 评分标准); maxima in register.model.SCORE_MAXIMA.
ITEMS = (
    ('机构信用 (3分)', '基本情况', '机构证照(企业营业执照/民办非企业资质证书/组织机构代码证)等资料齐备。'),  # 1
    ('机构信用 (3分)', '基本情况', '近三年内无市场监管、税务、人力资源社会保障、民政等部门所作的行政处罚或其它违规处理记录。'),  # 1
    ('机构信用 (3分)', '基本情况', '备案考核项目与机构经营范围相匹配。'),  # 1
    ('管理制度 (5分)', '考核管理制度', '建立考务管理、资源管理(含命题和题库管理)、质量管理(含投诉举报、考生诉求处理)、考评工作人员和专家管理、证书管理等考核工作管理制度。'),  # 3
    ('管理制度 (5分)', '内部管理制度', '建立工作人员管理、财务和收费管理、档案记录管理、安全保密管理、应急预案、廉政风险防控和宣传等内部管理制度。'),  # 2
    ('场地设备 (9分)', '办公场所', '具备满足考核工作需要的办公场所及配套设施,包括但不限于试卷印制和存储、保密和档案存储等场所。'),  # 2
    ('场地设备 (9分)', '场地设施设备', '场地设施设备符合专项职业能力考核规范要求,场地环境、设施设备、工具量具、材料物品等满足备案考核项目考核需要。'),  # 3
    ('场地设备 (9分)', '场地设施设备', '电子监控设备覆盖每个工位及整个考核场地区域。'),  # 2
    ('场地设备 (9分)', '场地设施设备', '场地设施设备承载量与考核服务规模相匹配。'),  # 2
    ('人员配备 (10分)', '考评人员', '按照专项职业能力考核规范要求配备考评人员,考评人员资质合规、数量与考核服务规模相匹配。'),  # 4
    ('人员配备 (10分)', '内督人员', '配备内部质量督导人员,督导人员资质合规、数量与考核服务规模相匹配。其中专职人员不少于2名,应与机构签订劳动合同,并缴纳社会保险。'),  # 3
    ('人员配备 (10分)', '考务人员', '配备考务人员,考务人员数量、能力符合实际工作需要。其中专职人员不少于2名,应与机构签订劳动合同,并缴纳社会保险。'),  # 3
    ('题库资源 (10分)', '命题专家', '配备与备案考核项目相匹配的命题专家,命题专家资质合规、数量合理,能够满足题库建设工作需要。'),  # 3
    ('题库资源 (10分)', '题库建设', '题库建设符合专项职业能力考核规范要求,试题试卷编制科学、内容正确、数量充足、质量稳定,建立试题反馈修订机制。'),  # 5
    ('题库资源 (10分)', '试题试卷管理', '试题试卷管理符合相关技术要求和安全保密要求,专人负责试题试卷保存、运送、发收,有符合规定的保存场所和交接程序。'),  # 2
    ('考核组织实施 (32分)', '考核方案制定', '每个考核批次在考前至少5个工作日制定考核计划,考核规模与备案范围及场地设施设备承载量相匹配。'),  # 2
    ('考核组织实施 (32分)', '考核方案制定', '每个考核批次有具体可行、规范完整的实施方案,方案内场地设施设备、考评员督导员等工作人员、考核时间和方式等要件齐全,与考核服务规模相匹配。'),  # 2
    ('考核组织实施 (32分)', '报名资质审核', '有报名资质审核机制。'),  # 1
    ('考核组织实施 (32分)', '报名资质审核', '考生资质符合专项职业能力考核工作要求。'),  # 2
    ('考核组织实施 (32分)', '报名资质审核', '考生性别、年龄等情况与所报考考核项目相匹配。'),  # 2
    ('考核组织实施 (32分)', '考核方式、内容和时长', '按照专项职业能力考核规范规定的考核方式进行考核。'),  # 2
    ('考核组织实施 (32分)', '考核方式、内容和时长', '按照专项职业能力考核规范规定的考核内容、考核时长进行考核。'),  # 3
    ('考核组织实施 (32分)', '考核工作情况', '考评人员、监考人员人数符合专项职业能力考核工作要求,分工合理,职责清晰。'),  # 2
    ('考核组织实施 (32分)', '考核工作情况', '考核组织过程公正、有序。'),  # 2
    ('考核组织实施 (32分)', '考核工作情况', '严格按照评分标准逐项评分。'),  # 3
    ('考核组织实施 (32分)', '考核工作情况', '每位考评人员单独记录评分表,评分表记录完整、规范;每位考生的实际操作有3名考评员签字。'),  # 5
    ('考核组织实施 (32分)', '质量督导', '内部督导人员安排及工作程序符合相关规定和要求。'),  # 1
    ('考核组织实施 (32分)', '质量督导', '内部督导人员履职尽责,认真记录质量督导情况。'),  # 2
    ('考核组织实施 (32分)', '考生成果成绩管理', '考生成果(含答卷、作品、工件等)保存和成绩核定等管理工作规范。'),  # 3
    ('证书管理 (4分)', '证书核发', '证书制作、打印、盖章与发放准确、及时。'),  # 2
    ('证书管理 (4分)', '数据上网', '证书数据管理规范,上传山东省技能人才评价工作网准确、完整、及时。'),  # 2
    ('档案管理 (8分)', '档案内容', '考核计划、考核方案、考生资格审核、考务过程记录、考核评分记录、考核结果记录、数据审核传送记录、督导记录等档案材料真实、准确、完整。'),  # 4
    ('档案管理 (8分)', '保存使用', '纸质档案资料和电子档案资料(含考核现场视频)妥善保存、规范使用。'),  # 4
    ('信息公开 (4分)', '计划发布', '公开发布年度计划公告,严格按计划开展工作。'),  # 1
    ('信息公开 (4分)', '收费管理', '公开发布收费标准,严格按标准执行。'),  # 1
    ('信息公开 (4分)', '考核结果', '公示考核结果,每个考核批次的结果公示时间不少于5个工作日。'),  # 1
    ('信息公开 (4分)', '监督投诉渠道', '设立并公示投诉监督渠道,投诉受理及时、规范。'),  # 1
    ('工作质量管控 (15分)', '考核活动', '机构在备案考核项目和地域范围内开展考核活动。'),  # 2
    ('工作质量管控 (15分)', '考核活动', '机构备案考核项目全部开展考核。'),  # 2
    ('工作质量管控 (15分)', '考生身份', '抽查考生身份信息未发现异常情况。'),  # 2
    ('工作质量管控 (15分)', '视频监控', '抽查考核过程视频监控,考核现场秩序良好,符合相关管理规定。'),  # 4
    ('工作质量管控 (15分)', '考生满意度', '电话回访考生,考生对机构的工作程序、工作态度、工作质量、信息公开、社会影响力和诚信度的满意程度较高。'),  # 3
    ('工作质量管控 (15分)', '信息平台使用', '抽查机构使用职业技能等级评价综合管理平台情况,平台内机构信息更新及时,全部考核批次的考核工作信息按要求进行线上提报。'),  # 2
)
VETOES = (
    '1.备案申请或总结报告中故意提供虚假承诺、虚假资料。',
    '2.开展考核项目严重超出备案范围,造成不良影响的。',
    '3.违规收取加盟费、报名费、贩卖专项职业能力证书等。',
    '4.为考生或协助考生伪造申报资料或证件,纵容考生违规报名。',
    '5.存在考场秩序混乱,私自降低考试要求,泄露试题等组织舞弊行为。',
    '6.篡改上报证书数据等证书数据造假。',
    '7.违反属地化管理要求,以任何形式在异地开展考核等其他有关严重情况。',
    '8.存在“包过”“保过”“价格低”等虚假宣传、违规使用有关字祥和标志等“山寨证书”内容。',
    '9.备案期限内未开展考核工作。',
    '10.留存资料严重不完整(影像资料不完整、不清晰,纸质资料破损、缺失)或存在篡改,无法作为考核工作评估依据。',
)
assert len(ITEMS) == len(SCORE_MAXIMA) and len(VETOES) == 10


@dataclass(frozen=True)
class Written:
    uscc: str
    name: str | None
    path: Path | None  # None when skipped
    skipped: str | None = None  # why it was not written


class WrittenList(list):
    """The `Written` entries of one `scoresheets` run, with ``unread``: the findings about
    files of the register that could not be used (named by the command, never dropped)."""

    def __init__(self, items=(), unread=()):
        super().__init__(items)
        self.unread = list(unread)


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name part (`outputs.safe_name`)."""
    return outputs.safe_name(text, limit, strip=" ._")


def file_name(uscc: str, name: str | None, copy: int | None = None) -> str:
    suffix = f"-专家{copy}" if copy else ""
    return f"续期评估明细表-{safe_name(uscc, 18)}-{safe_name(name or '')}{suffix}.xlsx"


def build_workbook(info: dict):
    """One institution's score sheet. ``info``: uscc, name, code, city, period."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = layout.SHEET
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(name="宋体", bold=True, size=11)
    body = Font(name="宋体", size=10.5)
    fill_in = PatternFill("solid", fgColor="FFF2CC")
    unlocked = Protection(locked=False)

    for col, width in zip("ABCDEFGH", (6, 14, 16, 58, 10, 12, 4, 4)):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["H"].hidden = True
    ws[layout.MARKER_CELL] = layout.MARKER_TEXT
    wb.defined_names[layout.MARKER_NAME] = DefinedName(
        layout.MARKER_NAME, attr_text=f"'{layout.SHEET}'!${layout.MARKER_CELL[0]}${layout.MARKER_CELL[1:]}")

    ws["A1"] = TITLE
    ws["A1"].font = Font(name="方正小标宋简体", size=16, bold=True)
    ws["A1"].alignment = centre
    ws.merge_cells("A1:F1")
    ws.row_dimensions[1].height = 30

    def labelled(label_range: str, label: str, value_cell: str, value, value_range: str | None = None,
                 editable: bool = False):
        first = label_range.split(":")[0]
        ws[first] = label
        ws[first].font = bold
        ws[first].alignment = centre
        if ":" in label_range:
            ws.merge_cells(label_range)
        put_text(ws[value_cell], value)
        ws[value_cell].font = body
        ws[value_cell].alignment = wrap
        if value_range:
            ws.merge_cells(value_range)
        if editable:
            ws[value_cell].protection = unlocked
            ws[value_cell].fill = fill_in

    labelled("A2:B2", "机构名称", layout.INFO["机构名称"], info.get("name"), "C2:D2")
    labelled("E2", "机构代码", layout.INFO["机构代码"], info.get("code"))
    labelled("A3:B3", "统一社会信用代码", layout.FIELDS["统一社会信用代码"], info["uscc"], "C3:D3")
    labelled("E3", "所属市", layout.INFO["所属市"], info.get("city"))
    labelled("A4:B4", "评估专家", layout.FIELDS["评估专家"], None, "C4:D4", editable=True)
    labelled("E4", "评估日期", layout.FIELDS["评估日期"], None, editable=True)
    ws[layout.FIELDS["评估日期"]].number_format = "yyyy-mm-dd"
    when = DataValidation(type="date", operator="between", formula1="36526", formula2="73050", allow_blank=True,
                          showErrorMessage=True, errorTitle="评估日期", error="请填写日期，如 2026-10-15")
    ws.add_data_validation(when)
    when.add(layout.FIELDS["评估日期"])
    for r in range(2, 5):
        for c in "ABCDEF":
            ws[f"{c}{r}"].border = box
        ws.row_dimensions[r].height = 22

    h = layout.HEADER_ROW
    for col, text in zip("ABCDEF", ("序号", "一级指标", "二级指标", CRITERIA_HEADER, "分值", "评分")):
        ws[f"{col}{h}"] = text
        ws[f"{col}{h}"].font = bold
        ws[f"{col}{h}"].alignment = centre
        ws[f"{col}{h}"].border = box

    by_max: dict[int, DataValidation] = {}
    for i, ((first, second, text), top) in enumerate(zip(ITEMS, SCORE_MAXIMA), 1):
        r = layout.FIRST_ITEM_ROW + i - 1
        for col, value in zip("ABCDE", (i, first_level(first), full_width(second), full_width(text), top)):
            ws[f"{col}{r}"] = value
        score = ws[layout.item_cell(i)]
        score.protection = unlocked
        score.fill = fill_in
        dv = by_max.get(top)
        if dv is None:
            dv = by_max[top] = DataValidation(
                type="decimal", operator="between", formula1="0", formula2=str(top), allow_blank=True,
                showErrorMessage=True, errorTitle="评分超出范围", error=f"本项满分{top}分，请填写0至{top}之间的分数",
                showInputMessage=True, promptTitle="评分", prompt=f"0—{top}分")
            ws.add_data_validation(dv)
        dv.add(score.coordinate)
    _merge_runs(ws, "B", layout.FIRST_ITEM_ROW, [it[0] for it in ITEMS])
    _merge_runs(ws, "C", layout.FIRST_ITEM_ROW, [(it[0], it[1]) for it in ITEMS])

    t = layout.TOTAL_ROW
    last_item = layout.TOTAL_ROW - 1
    ws[f"A{t}"] = "总分"
    ws.merge_cells(f"A{t}:D{t}")
    ws[f"E{t}"] = f"=SUM(E{layout.FIRST_ITEM_ROW}:E{last_item})"
    scores = f"F{layout.FIRST_ITEM_ROW}:F{last_item}"
    ws[f"F{t}"] = f'=IF(COUNT({scores})=0,"",SUM({scores}))'  # a blank form prints no 「0」
    for col in "AEF":
        ws[f"{col}{t}"].font = bold

    v = layout.VETO_HEADER_ROW
    for col, text in zip("ABDF", ("序号", "一级指标", CRITERIA_HEADER, "是/否")):
        ws[f"{col}{v}"] = text
        ws[f"{col}{v}"].font = bold
        ws[f"{col}{v}"].alignment = centre
    ws.merge_cells(f"B{v}:C{v}")
    ws.merge_cells(f"D{v}:E{v}")
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True,
                            errorTitle="请选择", error="请选择“是”或“否”")
    ws.add_data_validation(yes_no)
    for i, text in enumerate(VETOES, 1):
        r = layout.FIRST_VETO_ROW + i - 1
        ws[f"A{r}"] = i
        ws[f"B{r}"] = VETO_HEADER
        ws[f"D{r}"] = full_width(text)
        ws[f"E{r}"] = VETO_BOXES  # the notice's boxes, for a form filled by hand
        cell = ws[layout.veto_cell(i)]
        cell.protection = unlocked
        cell.fill = fill_in
        yes_no.add(cell.coordinate)
    ws.merge_cells(f"B{layout.FIRST_VETO_ROW}:C{layout.FIRST_VETO_ROW + len(VETOES) - 1}")

    last = layout.FIRST_VETO_ROW + len(VETOES) - 1
    ws.row_dimensions[h].height = 30
    for r in range(h + 1, last + 1):
        ws.row_dimensions[r].height = _height(ws[f"D{r}"].value)
        for col in "ABCDEF":
            cell = ws[f"{col}{r}"]
            cell.border = box
            if cell.font != bold:
                cell.font = body
            cell.alignment = wrap if col == "D" else centre
    ws[f"A{last + 2}"] = SIGNATURE
    ws.merge_cells(f"A{last + 2}:F{last + 2}")
    ws[f"A{last + 3}"] = NOTE
    ws.merge_cells(f"A{last + 3}:F{last + 3}")
    if info.get("period"):  # for the screen only: outside the print area
        ws[f"A{last + 4}"] = f"当前备案期：{info['period']}（黄色单元格由评估人员填写，其余已锁定）"
        ws.merge_cells(f"A{last + 4}:F{last + 4}")

    ws.print_title_rows = f"{h}:{h}"
    ws.print_area = f"A1:F{last + 3}"
    ws.HeaderFooter.differentFirst = True  # page 1 shows the name in its own cells
    ws.oddHeader.left.text = header_text(f"{info.get('name') or info['uscc']}　{TITLE}")
    ws.oddHeader.left.size = 9
    for footer in (ws.oddFooter, ws.firstFooter):
        footer.center.text = "第 &P 页，共 &N 页"
        footer.center.size = 9
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.freeze_panes = f"A{h + 1}"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # row heights may be adjusted for printing
    return wb


def put_text(cell, value) -> None:
    """Write a register value as data: text that looks like a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _height(text, chars_per_line: int = 27) -> float:
    """Row height (points) for wrapped text in column D: LibreOffice and Excel do not
    grow rows written by openpyxl by themselves."""
    lines = max(1, -(-len(str(text or "")) // chars_per_line))
    return max(20.0, 14.5 * lines + 5)


def _merge_runs(ws, col: str, first_row: int, keys: list) -> None:
    """Merge runs of equal keys down column ``col`` (一级/二级指标 spanning their lines)."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                ws.merge_cells(f"{col}{first_row + start}:{col}{first_row + i - 1}")
            start = i


def save_atomic(wb, path: Path) -> None:
    with outputs.atomic_path(path) as tmp:
        wb.save(tmp)


def write_scoresheets(entries, out_dir, *, copies: int = 1, overwrite: bool = False,
                      inputs=()) -> list[Written]:
    """One score sheet per institution in ``entries`` (dicts or `due.DueEntry`: uscc, name,
    code, city, period) into ``out_dir``; ``copies`` > 1 writes one file per evaluator. An
    existing file is never overwritten unless ``overwrite`` (it may hold an evaluator's scores),
    and one of ``inputs`` (the register's workbooks) never, whatever ``overwrite`` says."""
    from sheetkit.outputs import refuse_inputs

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out}：{exc.strerror or exc}") from exc
    written: list[Written] = []
    for entry in entries:
        info = entry if isinstance(entry, dict) else entry.to_dict()
        for copy in range(1, copies + 1):
            path = out / file_name(info["uscc"], info.get("name"), copy if copies > 1 else None)
            refuse_inputs([path], inputs)
            if path.exists() and not overwrite:
                written.append(Written(info["uscc"], info.get("name"), None,
                                       f"{path} 已存在（可能已填写评分），未覆盖；需要重新生成请加 --force"))
                continue
            try:
                save_atomic(build_workbook(info), path)
            except OSError as exc:
                raise OutputError(f"无法写入 {path}：{exc.strerror or exc}") from exc
            written.append(Written(info["uscc"], info.get("name"), path))
    return written


def scoresheets(paths, out_dir, profile=None, as_of=None, within=None, copies: int = 1,
                overwrite: bool = False) -> WrittenList:
    """Score sheets for the 已备案 institutions of the register in ``paths`` whose filing
    period ends within ``within`` days (not those already expired: 视为自愿撤销); ``.unread``
    of the result names the files that could not be used."""
    from sheetkit.due import DUE, due
    from sheetkit.register.files import discover

    result = due(paths, profile=profile, as_of=as_of, within=within)
    inputs = discover([paths] if isinstance(paths, (str, Path)) else paths)
    return WrittenList(write_scoresheets([e for e in result.entries if e.state == DUE], out_dir, copies=copies,
                                         overwrite=overwrite, inputs=inputs), result.unread)
