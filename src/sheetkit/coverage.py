"""The coverage map: every clause of each notice that states a condition, a count, a
period, a score rule or a document, and how sheetkit covers it.

- **规则** — the rule ids that check it in the register (`sheetkit rules`);
- **现场核验** — it needs the assessors' eyes (floor area, archive room, fire safety,
  management rules, question-bank quality, reputation …): the register cannot tell;
- **文书** — sheetkit writes the document (the command is named);
- **不适用** — it is not about a register (a bureau's own procedure …), with why.

One entry may combine them (a rule checks the count, the assessors judge the rest).
`sheetkit rules --coverage [--profile …]` prints the map of the profile's notice;
`docs/coverage.md` is generated from it (`python -m sheetkit.docs`), and a test ties it
to the profiles: every clause a rule cites has an entry naming that rule, and every rule
an entry names exists and is on in that built-in profile.

A clause is written as the profiles write it (`附件1 第4项`, `二(四)5`); several entries
may share one clause (附件1 第2项 states five things).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheetkit.profiles import Profile, load_profile

RULES_KIND, ONSITE, DOCUMENT, NOT_APPLICABLE, UNCHECKED = "规则", "现场核验", "文书", "不适用", "未检查"


@dataclass(frozen=True)
class Clause:
    clause: str
    text: str
    rules: tuple[str, ...] = ()
    onsite: str = ""  # what the assessors look at
    document: str = ""  # the command that writes the document
    na: str = ""  # why it is not about the register
    wording: str = ""  # the notice's own sentence on the checklist line this entry belongs to

    def __post_init__(self):
        if not (self.rules or self.onsite or self.document or self.na):
            raise ValueError(f"coverage entry {self.clause} says nothing about how it is covered")


def _c(clause, text, *rules, onsite="", document="", na="", wording=""):
    return Clause(clause, text, tuple(rules), onsite, document, na, wording)


SHANDONG = "鲁人社函〔2025〕23号"
GANSU = "甘人社通〔2022〕110号"
CHECKLIST_CMD = "sheetkit letters checklist"
APPLICATION_CMD = "sheetkit letters application"
PUBLICITY_CMD = "sheetkit publicity"

# Checklist lines the notice writes as one sentence, which two entries cover.
_W1a = "在山东省行政区域内依法登记的企业、院校、社会团体或职业技能培训机构，法人登记证等相关证照齐全。"
_G1 = "具备独立法人资格，且管理规范、信用良好，无违法违规失信等不良记录；"
_G5 = "有与申请考核项目相适应的专职工作人员、专家团队及符合考核要求的场地和设施设备；"

_SD = (
    _c("一(一)", "考核项目在省《专项职业能力考核项目目录》范围内，由各市选定本地征集的项目", "project.catalogue"),
    _c("一(二)1", "各市发布征集公告：征集范围、申报条件、申报要求、申报时间",
       na="市级工作程序；征集范围由项目目录的“征集市”列表示，申报截止日可在市级配置中启用 inst.late-application"),
    _c("一(二)2", "对照附件1遴选评估；遴选评估组每组3—5人",
       na="遴选评估组由市人社局组建，不在登记表中；现场评估按附件1各项（见下）"),
    _c("一(二)3", "拟备案机构和考核项目向社会公示，公示时间不少于5个工作日",
       document=PUBLICITY_CMD + "（公示名单，公示期按节假日推算，同 sheetkit calendar notice）"),
    _c("一(二)3", "公示无异议的出具备案回执（附件2）", document="sheetkit letters filing"),
    _c("一(二)3", "备案期一般为3年（回执载明的备案期自备案起始起算）", "filing.due", "filing.expired", "filing.start-past"),
    _c("一(三)", "新增考核项目须在征集公告征集范围内，与其他申报单位同条件、同材料、同程序；出具范围调整回执（附件3）",
       "project.catalogue", document="sheetkit letters adjust"),
    _c("二", "备案到期前组织续期评估", "filing.due"),
    _c("二(一)", "机构自评，提交附件4、附件5；未按要求提交续期申请的不再续期评估，期满自动退出", "filing.expired",
       onsite="自评材料由续期评估组查阅"),
    _c("二(二)1", "资料评估：备案期内计划执行、数据上网、投诉举报、违纪违规",
       onsite="核查历史档案和业务数据（登记表不记录）"),
    _c("二(二)2", "续期评估组每组3—5人，按附件4实地评估，提交附件6", "renewal.panel-size",
       document="sheetkit scoresheet（附件4）、sheetkit letters feedback（附件6）"),
    _c("二(三)", "评估结果分合格、不合格；不合格或备案期内未开展考核的项目不予续期；合格的发放续期回执（附件7）",
       "renewal.score", "renewal.veto", "renewal.no-assessment", "renewal.nothing-assessed",
       document="sheetkit letters renewal"),
    _c("三", "移出考核机构目录，在山东省技能人才评价工作网显示“终止备案”",
       na="登记表以备案状态“终止备案”记录；网站公布不在 sheetkit 范围内（目录见 sheetkit directory）"),
    _c("三(一)1", "自愿撤销：提交撤销备案申请和终止考核工作实施方案",
       na="申请材料由市人社局审查；撤销登记在“撤销”表（撤销情形 自愿撤销）"),
    _c("三(一)2", "完成收尾工作后出具撤销备案函（附件8）", document="sheetkit letters revoke"),
    _c("三(一)", "备案期满未按规定申请续期的，视为自愿撤销，自期满之日起移出目录", "filing.expired"),
    _c("三(二)1", "违反规定：调查核实期间暂停考核活动、暂缓证书数据上网", na="调查处置不在登记表中"),
    _c("三(二)2", "书面核查意见；考核机构收到后15个工作日内提交陈述和申辩",
       na="`sheetkit calendar objection` 按节假日推算期限"),
    _c("三(二)3", "违规属实的，完成收尾工作后出具撤销备案函", document="sheetkit letters revoke"),
    _c("三(三)", "主体灭失（破产关闭、注销）自动撤销备案", na="登记在“撤销”表（撤销情形 主体灭失）"),
    _c("三", "移出目录后纸质档案保存不少于3年，电子档案不少于5年", onsite="档案保存情况由市人社局监管核查"),
    _c("四(一)", "每个考核项目对应考核机构原则上不超过5个；每个考核机构备案考核项目不超过5个",
       "project.max-per-city", "project.max-per-institution"),
    _c("四(二)", "实地评估针对性强，评估专家来源多样化，社会公示及时", na="对市人社局的工作要求，不是机构条件"),
    _c("四(三)", "谁遴选、谁监管；违规考核结果不予认可", na="日常监管，不是机构条件"),
    _c("附件1 第1项", "在山东省行政区域内依法登记的企业、院校、社会团体或职业技能培训机构", "inst.region", "inst.type",
       document=CHECKLIST_CMD, wording=_W1a),
    _c("附件1 第1项", "法人登记证等相关证照齐全", onsite="核验证照原件", document=CHECKLIST_CMD, wording=_W1a),
    _c("附件1 第1项", "无不良信用或违法违规记录", "inst.credit", onsite="信用记录以查询结果为准", document=CHECKLIST_CMD,
       wording="无不良信用或违法违规记录。"),
    _c("附件1 第2项", "有固定的办公场所、考核场所；自有提供不动产权证明，租赁提供租赁协议，租期自备案开始不少于3年",
       "venue.missing", "venue.deed", "venue.lease-term", "venue.lease-start", document=CHECKLIST_CMD,
       wording="有固定的办公场所、考核场所，如为自有产权，提供不动产权证明；如为租赁场所，提供租赁协议，"
               "备案开始之日起至租期结束之日应当不少于3年。"),
    _c("附件1 第2项", "场地总面积与申报项目及数量相匹配，有档案室、题库室、候考室等", onsite="现场察看面积与功能用房",
       document=CHECKLIST_CMD,
       wording="用于考核工作的场地总面积与所申报专项职业能力考核项目及数量相匹配，有符合工作要求的档案室、题库室、候考室等。"),
    _c("附件1 第2项", "场地设备符合考核规范：固定工位、设施设备、辅助材料、工卡量具满足考核需求",
       onsite="对照考核规范现场察看", document=CHECKLIST_CMD,
       wording="场地设备符合所申报专项职业能力考核项目对应专项职业能力考核规范要求，固定工位、设施设备、辅助材料、"
               "工卡量具等能够满足专项职业能力考核需求。"),
    _c("附件1 第2项", "考核场地有电子监控，视频探头覆盖每个工位及整个考核场地", "venue.cctv",
       onsite="现场察看探头覆盖", document=CHECKLIST_CMD,
       wording="考核场地有符合条件的电子监控设备，视频探头能够覆盖每个工位及整个考核场地区域。"),
    _c("附件1 第2项", "场地设备符合安全、消防、环保、卫生等规定", onsite="现场察看", document=CHECKLIST_CMD,
       wording="场地设备符合安全、消防、环保、卫生等规定。"),
    _c("附件1 第3项", "有独立负责专项职业能力考核工作的内设部门", "inst.department", document=CHECKLIST_CMD,
       wording="有独立负责专项职业能力考核工作的内设部门。"),
    _c("附件1 第4项", "有不少于2名专职考务管理人员", "staff.exam-admin", document=CHECKLIST_CMD,
       wording="有不少于2名专职考务管理人员。"),
    _c("附件1 第4项", "有不少于2名专职内部质量督导人员", "staff.supervisor", document=CHECKLIST_CMD,
       wording="有不少于2名专职内部质量督导人员。"),
    _c("附件1 第4项", "每个考核项目有不少于3名专、兼职考评人员，考评人员资格（三级/中级职称后满3年，或技能带头人）",
       "staff.assessors", "staff.assessor-qualification", onsite="核验证书原件", document=CHECKLIST_CMD,
       wording="每个专项职业能力考核项目有不少于3名专、兼职考评人员。考评人员应取得相关职业高级工（三级）及以上职业资格证书"
               "或职业技能等级证书，或相关专业中级专业技术职称后，从事本职业或相关职业工作累计满3年；或是在相关专业领域"
               "具有较高的技艺和威望的技能带头人。"),
    _c("附件1 第4项", "每个考核项目有不少于2名技术资源建设专、兼职专家", "staff.experts", document=CHECKLIST_CMD,
       wording="每个专项职业能力考核项目有不少于2名技术资源建设专、兼职专家。"),
    _c("附件1 第4项", "专职人员劳动合同1年以上且社保满1年；兼职人员不得与3家及以上单位发生供职或聘用关系",
       "staff.contract", "staff.insurance", "staff.employers", "staff.cross-register",
       onsite="核验劳动合同和社保缴费记录", document=CHECKLIST_CMD,
       wording="每位专职人员应当与申报单位订立期限1年以上劳动合同，且缴纳社会保险满1年；每位兼职人员不得与3家及以上单位"
               "发生供职或聘用关系。"),
    _c("附件1 第5项", "所申报考核项目有对应的考核题库", "project.question-bank", document=CHECKLIST_CMD,
       wording="所申报专项职业能力考核项目有对应的考核题库。"),
    _c("附件1 第5项", "考核题库符合命题技术要求", onsite="专家审查题库质量", document=CHECKLIST_CMD,
       wording="所申报专项职业能力考核项目题库符合命题技术要求。"),
    _c("附件1 第6项", "在所申报项目领域具有广泛影响力和较丰富的考核资源", onsite="访谈咨询、材料核验",
       document=CHECKLIST_CMD, wording="在所申报专项职业能力考核项目领域，具有广泛影响力和较丰富的考核资源。"),
    _c("附件1 第6项", "有2年以上培训考核经历，培训考核规模较大", "inst.experience", onsite="规模由评估组判断",
       document=CHECKLIST_CMD,
       wording="对所申报专项职业能力考核项目，具备较强的培训考核能力，有2年以上培训考核经历，培训考核规模较大。"),
    _c("附件1 第7项", "考核工作管理、财务、档案、安全生产应急预案、突发事件应急预案、考核工作规程、设备安全操作规程等制度",
       onsite="查阅制度文本", document=CHECKLIST_CMD,
       wording="有考核工作管理制度、财务管理制度、档案管理制度、安全生产应急预案、突发事件应急预案、考核工作规程、"
               "设备安全操作规程等制度。"),
    _c("附件1 第7项", "建立题库保密机制", onsite="查阅保密制度与题库室", document=CHECKLIST_CMD,
       wording="建立题库保密机制，确保考核题库安全、规范使用。"),
    _c("附件1 第7项", "畅通投诉举报、信息公示等渠道", onsite="查看公示渠道", document=CHECKLIST_CMD,
       wording="畅通投诉举报、信息公示等渠道。"),
    _c("附件1 第8项", "优先条件：考评人员或专家获相关称号、技能大师工作室或担任竞赛裁判长", onsite="核验证明材料",
       document=CHECKLIST_CMD,
       wording="申报单位专、兼职考评人员或专家在本专业内具有较高的技艺和威望，获得齐鲁乡村之星、齐鲁工匠、非物质文化遗产传承人、"
               "乡村工匠名师等相关称号，或者获评设区的市级及以上“技能大师工作室”项目。申报单位专、兼职考评人员或专家担任过"
               "设区的市级及以上职业技能竞赛裁判长，由竞赛主办单位提供证明。"),
    _c("附件1 第9项", "优先条件：参与国家职业标准、考核规范或省级以上竞赛标准编制", onsite="核验主办方证明",
       document=CHECKLIST_CMD,
       wording="申报单位参与国家职业标准、国家行业标准、专项职业能力考核规范、省级以上职业技能竞赛标准的编制，由主办方提供证明。"),
    _c("附件1 第10项", "优先条件：参与人社部门专项职业能力考核培训教材开发", onsite="核验正式出版教材",
       document=CHECKLIST_CMD, wording="申报单位参与人社部门专项职业能力考核培训教材开发，提供正式出版的教材。"),
    _c("附件1 说明1", "符合“必备条件”所有要求方可备案；各市可提出补充条件",
       na="“符合条件”只就启用的规则而言，现场核验项另由评估组判断；补充条件写入市级配置文件（extends）"),
    _c("附件1 说明2", "符合“优先条件”之一者可优先备案", na="排序由市人社局研究确定"),
    _c("附件2", "备案回执：机构代码，有效期3年（自Y年M月至Y+3年M−1月），附件2-1考核项目范围", "inst.code",
       document="sheetkit letters filing"),
    _c("附件3", "范围调整回执：机构代码及有效期不变，附件3-1调整情况（新增项目、删除项目）",
       document="sheetkit letters adjust"),
    _c("附件4", "续期评估明细表：43个评分项（满分100）和10个不合格项", "renewal.score-range", "renewal.score",
       "renewal.veto", document="sheetkit scoresheet"),
    _c("附件4", "评分项的内容（如考前至少5个工作日制定考核计划、结果公示不少于5个工作日）",
       onsite="续期评估组按附件4逐项评分，得分录入“续期评分”表"),
    _c("附件4 不合格项9", "备案期限内未开展考核工作", "renewal.no-assessment", "renewal.nothing-assessed"),
    _c("附件5", "备案续期申请表：机构信息、当前备案期限、各项目考核人次/取证人次/通过率、考核资源",
       "project.certified", onsite="机构自填的工作总结与规划", document=APPLICATION_CMD),
    _c("附件6", "续期评估组意见反馈表：专家评分、综合得分和等次、意见建议", document="sheetkit letters feedback"),
    _c("附件6 备注1", "综合得分60分（含）以上为合格", "renewal.score"),
    _c("附件6 备注2", "存在不合格项的须立即报告，视情况调查处理", "renewal.veto"),
    _c("附件7", "备案续期回执：新有效期，附件7-1续期项目范围", document="sheetkit letters renewal"),
    _c("附件8", "撤销备案函：情形、依据", document="sheetkit letters revoke"),
)

_GS_ITEMS = ("考核机构基本情况及备案申请报告", "《甘肃省专项职业能力考核机构申请表》", "申请单位法人登记证书复印件",
             "社会信用信息情况说明", "管理人员、工作人员、考评人员的名单及资格证明",
             "用于开展专项考核工作的办公用房、考评场地和设施设备的证明材料",
             "开展专项考核工作流程、工作制度、人员守则等管理制度及质量管控措施", "考核机构诚信承诺书")

_GS = (
    _c("一", "于4月15日前向省鉴定中心或所属市州人社部门申报备案", "inst.late-application"),
    _c("二(一)", "具备独立法人资格", "inst.type", onsite="核验法人登记证书", document=CHECKLIST_CMD, wording=_G1),
    _c("二(一)", "管理规范、信用良好，无违法违规失信等不良记录", "inst.credit", onsite="管理是否规范由评估组判断",
       document=CHECKLIST_CMD, wording=_G1),
    _c("二(二)", "在所申请考核项目方面有较丰富的考核培训经验",
       onsite="通知未给出年限，由评估组判断（市级配置可启用 inst.experience）", document=CHECKLIST_CMD,
       wording="在所申请的专项职业能力考核项目（以下简称“考核项目”）方面有较丰富的考核培训经验；"),
    _c("二(三)", "有满足工作需要的办公用房和办公设施", "venue.missing", "venue.deed", onsite="是否满足需要由评估组现场察看",
       document=CHECKLIST_CMD, wording="有满足工作需要的办公用房和办公设施；"),
    _c("二(四)", "有与考核项目相适应的专设机构和专职工作人员、专业考评人员、内部质量督导人员", "inst.department",
       document=CHECKLIST_CMD, wording="有与考核项目相适应的专设机构和专职工作人员、专业考评人员、内部质量督导人员；"),
    _c("二(四)1", "有专（兼）职所长1名，中级以上技术职务", "staff.director", onsite="“有一定工作经验”由评估组判断",
       document=CHECKLIST_CMD, wording="1.有专（兼）职所长1名，中级以上技术职务，有一定工作经验。"),
    _c("二(四)2", "有专职考核管理人员2人以上，中专以上文化程度", "staff.management", onsite="是否熟悉有关文件规定",
       document=CHECKLIST_CMD, wording="2.有专职考核管理人员2人以上，中专以上文化程度，熟悉有关专项考核能力的文件、规定。"),
    _c("二(四)3", "每个考核项目不少于3人的专（兼）职考评人员，具有规范的考评人员证件", "staff.assessors",
       onsite="核验考评人员证件", document=CHECKLIST_CMD,
       wording="3.每个考核项目不少于3人的专（兼）职考评人员，考评人员应当具有规范的考评人员证件。"),
    _c("二(四)4", "配备或聘用考务管理人员；有内部专（兼）职质量督导人员", "staff.exam-admin", "staff.supervisor",
       document=CHECKLIST_CMD, wording="4.配备或聘用与专项考核工作相适应的考务管理人员。有内部专（兼）职质量督导人员。"),
    _c("二(四)5", "考核项目技术支持人员、计算机和网络操作人员满足相关工作需要", "staff.tech-support",
       onsite="人数是否满足需要由评估组判断", document=CHECKLIST_CMD,
       wording="5.考核项目技术支持人员满足相关工作需要、计算机和网络操作人员满足相关工作需要。"),
    _c("二(五)", "有与申请考核项目相适应的专职工作人员、专家团队", "staff.experts", document=CHECKLIST_CMD, wording=_G5),
    _c("二(五)", "有符合考核要求的场地和设施设备", "venue.missing", onsite="现场察看场地和设施设备", document=CHECKLIST_CMD,
       wording=_G5),
    _c("二(六)", "有完善的管理规章制度：财务、档案、考务、质量管理制度等", onsite="查阅制度文本", document=CHECKLIST_CMD,
       wording="有完善的管理规章制度，包括财务管理制度、档案管理制度、考务管理制度、质量管理制度等。"),
    _c("三", "按清单提交书面材料，并对材料的真实性、有效性、合法性负责", "inst.materials", "inst.no-materials-sheet",
       onsite="材料真实性"),
    *(_c(f"三({n})", item, "inst.materials") for n, item in zip("一二三四五六七八", _GS_ITEMS)),
    _c("四", "申报项目范围：严格按照自身主要业务申报", "project.catalogue", onsite="是否为主要业务"),
    _c("四(一)", "已公布的《甘肃省专项职业能力考核项目目录》", "project.catalogue"),
    _c("四(二)", "部中心或其他省份公布的项目：有考核规范和题（卷）库，经省鉴定中心申请增设、部中心备案后实施",
       "project.catalogue", "project.question-bank"),
    _c("四(三)", "其他项目：考核机构组织专家编制考核规范和题（卷）库，经省鉴定中心审定、部中心备案后实施",
       "project.question-bank", onsite="考核规范和题库质量由省鉴定中心审定"),
    _c("五(一)", "按属地原则向所在市（州）人社部门提交书面申请，如实填写申请表；省级单位可直接向省鉴定中心申请",
       na="受理程序；申请表是否提交见三(二)"),
    _c("五(二)", "市州人社部门制定评估方案，于评估前10个工作日报省鉴定中心备案审核", "filing.evaluation-plan"),
    _c("五(三)", "从专家库随机抽取专家组成评议组，通过听取报告、文件审核、技术抽查、访谈、答辩和现场考察评估，填写评估表",
       onsite="专家评议组评估"),
    _c("五(四)", "评估结果报省人社厅复核后备案，纳入全省考核机构数据库，在甘肃省技能人才评价网公布", "inst.code",
       na="网站公布不在 sheetkit 范围内（目录见 sheetkit directory）"),
    _c("五(五)", "备案后资质有效期3年，实行动态调整", "filing.due", "filing.start-past"),
    _c("五(五)", "有效期内可申请新增或减少考核项目，报省鉴定中心备案", "project.catalogue",
       document="sheetkit letters adjust --templates 本省模板（通知未附回执模板）"),
    _c("六(一)", "各地加强组织领导，广泛宣传", na="对各地的工作要求，不是机构条件"),
    _c("六(二)", "公平公正开展工作", na="对各地的工作要求，不是机构条件"),
    _c("六(三)", "提供虚假申报材料的，一经查实取消申报资格", onsite="材料核验"),
    _c("附件1", "甘肃省专项职业能力考核项目目录", "project.catalogue"),
    _c("附件2", "甘肃省专项职业能力考核机构申请表", na="通知文本未附表样；是否提交见三(二)"),
    _c("附件3", "甘肃省专项职业能力考核项目评估标准", onsite="通知文本未附；专家评议组按其评估"),
    _c("附件4", "甘肃省专项职业能力考核机构评估表", onsite="通知文本未附；专家评议组填写"),
)

COVERAGE: dict[str, tuple[Clause, ...]] = {SHANDONG: _SD, GANSU: _GS}


@dataclass(frozen=True)
class ChecklistLine:
    """One line of the on-site checklist: the notice's sentence, the rules on in the
    profile that check it in the register, and what the assessors look at."""

    clause: str
    number: str  # 序号 as the notice prints it (1, 2 …; （一）, （四） …)
    item: str  # 评估项目
    wording: str
    rules: tuple[str, ...]
    onsite: tuple[str, ...]

    @property
    def needs_eyes(self) -> bool:
        """Left with boxes for the assessors: on-site, or no rule of the profile checks it."""
        return bool(self.onsite) or not self.rules


@dataclass(frozen=True)
class ChecklistSpec:
    title: str  # the document's title
    source: str  # what the lines are taken from, cited in the document
    sections: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]  # heading, (clause, 序号, 评估项目)


_SD_ITEMS = ("机构主体", "场地设备", "机构设置", "人员配备", "题库资源", "工作经验", "工作保障",
             "专、兼职考评人员或专家履历", "参与国家职业标准开发或技能竞赛标准编制", "参与人社部门专项职业能力考核培训教材开发")
# The Gansu notice gives its conditions no headings: these short ones are sheetkit's.
_GS_ITEMS_2 = (("一", "法人资格和信用"), ("二", "考核培训经验"), ("三", "办公用房和设施"), ("四", "专设机构和人员"),
               ("五", "人员、专家团队和场地"), ("六", "管理规章制度"))

CHECKLISTS: dict[str, ChecklistSpec] = {
    SHANDONG: ChecklistSpec(
        "专项职业能力考核机构遴选评估核查表", f"{SHANDONG}附件1《专项职业能力考核机构遴选评估参考条件》",
        (("一、必备条件", tuple((f"附件1 第{n}项", str(n), _SD_ITEMS[n - 1]) for n in range(1, 8))),
         ("二、优先条件", tuple((f"附件1 第{n}项", str(n), _SD_ITEMS[n - 1]) for n in range(8, 11))))),
    GANSU: ChecklistSpec(
        "专项职业能力考核机构申报条件核查表", f"{GANSU}二、申报条件",
        (("申报条件", tuple((f"二({n})", f"（{n}）", item) for n, item in _GS_ITEMS_2)),)),
}


def checklist(profile: str | Profile | None = None) -> tuple[ChecklistSpec, list[tuple[str, list[ChecklistLine]]]]:
    """The on-site checklist of the profile's notice, built from the map: each section's
    lines in the notice's order, one per distinct sentence (``wording``) of the entries
    under the clause (and its numbered sub-items: 二(四) takes 二(四)1–5)."""
    prof = load_profile(profile)
    entries = clause_map(prof)
    spec = CHECKLISTS.get(prof.document)
    if spec is None:
        from sheetkit.errors import ProfileError

        raise ProfileError(f"没有“{prof.document}”的遴选评估核查表：内置的有 {'、'.join(CHECKLISTS)}")
    sections = []
    for heading, groups in spec.sections:
        lines: list[ChecklistLine] = []
        for clause, number, item in groups:
            own = [e for e in entries if e.wording and (e.clause == clause or (
                e.clause.startswith(clause) and e.clause[len(clause):].isdigit()))]
            order: dict[str, list[Clause]] = {}
            for e in own:
                order.setdefault(e.wording, []).append(e)
            for wording, parts in order.items():
                rules = tuple(dict.fromkeys(r for e in parts for r in e.rules if prof.enabled(r)))
                onsite = tuple(e.onsite for e in parts if e.onsite)
                lines.append(ChecklistLine(parts[0].clause, number, item, wording, rules, onsite))
        sections.append((heading, lines))
    return spec, sections


def clause_map(profile: str | Profile | None = None) -> tuple[Clause, ...]:
    """The entries of the profile's notice (a user profile uses its notice's map)."""
    prof = load_profile(profile)
    try:
        return COVERAGE[prof.document]
    except KeyError:
        from sheetkit.errors import ProfileError

        raise ProfileError(f"没有“{prof.document}”的条款覆盖表：内置的有 {'、'.join(COVERAGE)}") from None


def cited_clauses(citation: str | None) -> list[str]:
    """The clauses of one citation as the profiles write it: `二(三)；附件4 不合格项9` →
    [`二(三)`, `附件4 不合格项9`]."""
    if not citation:
        return []
    return [part.strip() for part in re.split(r"[、；;]", citation) if part.strip()]


def coverage_table(profile: str | Profile | None = None) -> list[dict]:
    """Every entry under ``profile``: the clause cited in full, what it states, the rules
    on in this profile, those the map names but the profile has off, and how it is
    covered (规则 / 现场核验 / 文书 / 不适用; 未检查 when only rules that are off would)."""
    prof = load_profile(profile)
    out = []
    for entry in clause_map(prof):
        on = [r for r in entry.rules if prof.enabled(r)]
        off = [r for r in entry.rules if not prof.enabled(r)]
        kinds = []
        if on:
            kinds.append(RULES_KIND)
        if entry.onsite:
            kinds.append(ONSITE)
        if entry.document:
            kinds.append(DOCUMENT)
        if entry.na:
            kinds.append(NOT_APPLICABLE)
        if not kinds:
            kinds.append(UNCHECKED)
        out.append({"clause": prof.cite(entry.clause), "text": entry.text, "rules": on, "rules_off": off,
                    "coverage": kinds, "onsite": entry.onsite, "document": entry.document, "na": entry.na,
                    "how": how(on, off, entry)})
    return out


def how(on, off, entry: Clause) -> str:
    """The coverage in one Chinese line."""
    parts = []
    if on:
        parts.append("规则 " + "、".join(on))
    if entry.onsite:
        parts.append(f"现场核验：{entry.onsite}")
    if entry.document:
        parts.append(f"文书：{entry.document}")
    if entry.na:
        parts.append(f"不适用：{entry.na}")
    if off:
        parts.append("本配置未启用 " + "、".join(off))
    return "；".join(parts) or UNCHECKED


def coverage_lines(profile: str | Profile | None = None) -> list[str]:
    """What `sheetkit rules --coverage` prints."""
    prof = load_profile(profile)
    rows = coverage_table(prof)
    out = [f"{prof.id} — {prof.document} 条款覆盖（{len(rows)} 项）"]
    for r in rows:
        out.append(f"{r['clause']}  {r['text']}")
        out.append(f"    → {r['how']}")
    counts = {k: sum(k in r["coverage"] for r in rows) for k in (RULES_KIND, ONSITE, DOCUMENT, NOT_APPLICABLE, UNCHECKED)}
    out.append("合计：" + "，".join(f"{k} {v}" for k, v in counts.items() if v))
    return out


def coverage_markdown(profiles=("shandong-2025", "gansu-2022")) -> str:
    """docs/coverage.md."""
    lines = [
        "# Coverage of the notices",
        "",
        "<!-- Generated by `python -m sheetkit.docs` (`make docs`) from src/sheetkit/coverage.py and the",
        "     built-in profiles. Do not edit by hand: change the map and regenerate. -->",
        "",
        "Every clause of each notice that states a condition, a count, a period, a score rule or",
        "a document, and how sheetkit covers it: **规则** (the rules that check it in the register),",
        "**现场核验** (the assessors must look: the register cannot tell), **文书** (the command that",
        "writes the document) or **不适用** (not about a register, with why). 「符合条件」 in a report",
        "means the rules found nothing; the 现场核验 lines are still the assessment group's to judge.",
        "Print one profile's map with `sheetkit rules --coverage [--profile NAME|FILE.toml]`; with a",
        "user profile, rules it switches off show as 「本配置未启用」.",
    ]
    for name in profiles:
        prof = load_profile(name)
        rows = coverage_table(prof)
        lines += ["", f"## `{prof.id}` — {prof.document}", "",
                  "| clause | states | coverage | how |", "|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {_cell(r['clause'])} | {_cell(r['text'])} | {'/'.join(r['coverage'])} | "
                         f"{_cell(r['how'])} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|") if text else "—"
