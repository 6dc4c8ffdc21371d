"""Data rules: the workbook itself is wrong or unreadable (`data.*`)."""

from __future__ import annotations

import os

import pandas as pd

from sheetkit.register.model import CITY, DATE, INTEGER, NUMBER, SHEETS, TYPE_ZH, USCC_COL, YESNO
from sheetkit.register.reader import HEADER_SCAN_ROWS
from sheetkit.register.schema import ENUM_CHECK, RANGE, REQUIRED, build_schema, failures
from sheetkit.rules.findings import about_register, at_cells, at_row, row_ranges
from sheetkit.rules.registry import declare, rule

# Found while reading (`sheetkit.register`): declared here, made by the reader.
declare("data.unreadable", "error", "文件无法打开（损坏、加密、不是工作簿或过大）", "file cannot be opened")
declare("data.not-read", "warning", "文件未读取（不是普通文件、链接指向文件夹之外、格式不受支持或像备份副本）",
        "file not read (not a regular file, link out of the folder, unsupported or backup copy)")

_TYPE_HINT = {
    DATE: "应为日期，如 2025-03-01 或 2025年3月1日",
    NUMBER: "应为数值",
    INTEGER: "应为整数",
    YESNO: "应为 是/否",
}


@rule("data.missing-sheet", "error", "缺少机构工作表，或工作簿中没有可识别的工作表", "missing 机构 sheet")
def missing_sheet(ctx):
    if not ctx.register.has("机构") and ctx.register.workbooks:
        yield about_register("登记表中没有“机构”工作表（也未按表头识别到），无法判断任何机构",
                      message_en="no 机构 (institutions) sheet in the register",
                      path=ctx.register.workbooks[0].shown)


@rule("data.missing-column", "error", "工作表缺少必需的列", "required column absent")
def missing_column(ctx):
    enabled = ctx.profile.enabled_rules
    for spec in SHEETS:
        table = ctx.table(spec.kind)
        headless = [s for s in table.own_sources if s.header_row <= 0]
        for src in headless:  # named as a register sheet, but no header row in its first rows
            required = [c.name for c in spec.columns if c.required]
            yield about_register(f"“{src.sheet}”工作表的前{HEADER_SCAN_ROWS}行中找不到表头（应有“{'”“'.join(required)}”等列），"
                          "未读取该表", message_en=f"sheet {src.sheet!r}: no header row in its first "
                          f"{HEADER_SCAN_ROWS} rows", path=src.path, sheet=src.sheet)
        for col in spec.columns:
            if not col.is_required(enabled):
                continue
            for src in table.sources_missing(col.name):
                if src in headless:
                    continue
                if col.when is not None and not _condition_present(table, src, col.when):
                    continue
                yield about_register(f"“{src.sheet}”工作表缺少必需的列“{col.name}”（表头在第{src.header_row}行）",
                              message_en=f"sheet {src.sheet!r} lacks required column {col.name!r}",
                              path=src.path, sheet=src.sheet, row=src.header_row if src.header_row > 0 else None,
                              column=col.name)


def _condition_present(table, src, when) -> bool:
    """Whether any row of ``src`` has the value that makes a conditional column required."""
    other, values = when
    idx = table.sources.index(src)
    rows = table.data[table.data["_src"] == idx]
    return bool(rows[other].isin(values).any())


@rule("data.required", "error", "必填单元格为空", "required cell blank")
def required(ctx):
    yield from _schema_findings(ctx, REQUIRED)


@rule("data.enum", "error", "值不在该列允许的选项内", "value outside the allowed list")
def enum(ctx):
    yield from _schema_findings(ctx, ENUM_CHECK)


def _schema_results(ctx):
    if "schema" not in ctx.cache:
        results = []
        enabled = ctx.profile.enabled_rules
        for spec in SHEETS:
            table = ctx.table(spec.kind)
            if table.empty:
                continue
            schema = build_schema(spec, enabled, ctx.profile.cities)
            present = [c for c in spec.names if table.has_column(c)]
            data = table.data
            for kind, column, index in failures(schema, data):
                if column not in present and kind == REQUIRED:
                    continue  # reported once as data.missing-column
                results.append((table, kind, column, index))
        ctx.cache["schema"] = results
    return ctx.cache["schema"]


def _schema_findings(ctx, wanted: str):
    for table, column, indices in _grouped(_schema_results(ctx), wanted):
        if wanted == REQUIRED:
            keep = pd.Series(True, index=indices)
            inv = table.invalid.get(column)
            if inv is not None:
                keep &= ~inv.reindex(keep.index, fill_value=False)  # not blank: data.type reports it
            present = [i for i, s in enumerate(table.sources) if column in s.columns]
            keep &= table.data["_src"].reindex(keep.index).isin(present)  # else data.missing-column says so
            indices = keep.index[keep.to_numpy(dtype=bool)]
            yield from at_cells(ctx, table, indices, column, lambda v, d: f"“{column}”为必填项，不能为空",
                                     indices, lambda v, d: f"{column} is required", with_value=False)
        elif wanted == ENUM_CHECK:
            col = table.spec.column(column)
            allowed = "、".join(ctx.profile.cities if col.type == CITY else col.values)
            raws = table.values(indices, column, raw=True)
            elsewhere = ctx.elsewhere if col.type == CITY else {}

            def message(v, raw):
                text = f"“{column}”的值“{raw}”不在允许的选项内（{allowed}）"
                other = elsewhere.get(str(raw).strip()) if raw is not None else None
                if other:  # a register of another province checked under this one
                    text += f"；“{raw}”属于{other[0]}，若这是{other[0]}的登记表，请加 --profile {other[1]}"
                return text

            yield from at_cells(ctx, table, indices, column, message, raws,
                                     lambda v, raw: f"{column} value {raw!r} is not one of the allowed values")


def _grouped(results, wanted: str):
    """(table, column, [indices]) for the schema results of one kind, in order of first appearance."""
    groups: dict[tuple[int, str], tuple] = {}
    for table, kind, column, index in results:
        if kind == wanted:
            groups.setdefault((id(table), column), (table, column, []))[2].append(index)
    return list(groups.values())


@rule("data.type", "error", "值无法按该列类型（日期、数值、整数、是/否）读取", "value of the wrong type")
def wrong_type(ctx):
    for spec in SHEETS:
        table = ctx.table(spec.kind)
        for column, mask in table.invalid.items():
            if not mask.any():
                continue
            col = spec.column(column)
            hint = _TYPE_HINT.get(col.type, f"应为{TYPE_ZH.get(col.type, '')}")
            if "空白" in col.note:  # e.g. 劳动合同终止: "长期" is written as a blank cell
                hint += f"（{col.note}）"
            indices = mask[mask].index
            raws = table.values(indices, column, raw=True)
            yield from at_cells(ctx, table, indices, column,
                                     lambda v, raw: f"“{column}”的值“{raw}”无法识别，{hint}", raws,
                                     lambda v, raw: f"{column} value {raw!r} cannot be read as {col.type}")
    # Range failures are found with the schema and reported under data.type.
    for table, column, indices in _grouped(_schema_results(ctx), RANGE):
        col = table.spec.column(column)
        bound = f"不小于{col.min:g}" if col.min is not None else ""
        if col.max is not None:
            bound += ("且" if bound else "") + f"不大于{col.max:g}"
        raws = table.values(indices, column, raw=True)
        yield from at_cells(ctx, table, indices, column, lambda v, raw: f"“{column}”的值“{raw}”超出范围，应{bound}",
                                 raws, lambda v, raw: f"{column} value {raw!r} is out of range")


_DUPLICATE_KEYS = {
    "机构": ((USCC_COL,), "同一机构（统一社会信用代码 {0}）出现多次"),
    "人员": ((USCC_COL, "身份证号", "岗位"), "同一人员（身份证号 {1}）在同一机构重复登记为“{2}”"),
    "考核项目": ((USCC_COL, "考核项目"), "同一机构重复登记考核项目“{1}”"),
    "项目目录": (("考核项目",), "项目目录中“{0}”出现多次"),
    "续期评分": ((USCC_COL, "评估专家"), "同一评估专家“{1}”对同一机构评分多次"),
}


@rule("data.duplicate", "error", "同一主键重复出现", "duplicate key")
def duplicate(ctx):
    for kind, (key, template) in _DUPLICATE_KEYS.items():
        table = ctx.table(kind)
        if table.empty:
            continue
        data = table.data
        keyed = data[list(key)].notna().all(axis=1)
        dup = keyed & data.duplicated(subset=list(key), keep="first")
        if not dup.any():
            continue
        firsts = data[keyed & ~dup]
        first_index = pd.Series(firsts.index, index=pd.MultiIndex.from_frame(firsts[list(key)])
                                if len(key) > 1 else firsts[key[0]])
        for index in dup[dup].index:
            values = tuple(data.at[index, k] for k in key)
            first = first_index.get(values if len(values) > 1 else values[0])
            msg = template.format(*values)
            if first is not None:
                there = table.location(first)
                msg += f"，与{_elsewhere(there, table.location(index))}第{there['row']}行重复"
            yield at_row(ctx, table, index, key[-1] if kind != "机构" else USCC_COL, msg,
                             value=table.raw_value(index, key[-1]), message_en=f"duplicate key {values!r}")


def _elsewhere(first: dict, here: dict) -> str:
    """Where the first of two duplicate rows is, as seen from the second: nothing when both
    are in the same sheet, the sheet when in the same file, else the file (its name when
    both files are in one folder) and the sheet."""
    if first["path"] == here["path"]:
        return "" if first["sheet"] == here["sheet"] else f"“{first['sheet']}”"
    same_folder = os.path.dirname(first["path"]) == os.path.dirname(here["path"])
    return f"{os.path.basename(first['path']) if same_folder else first['path']}“{first['sheet']}”"


@rule("data.unknown-institution", "error", "统一社会信用代码在机构表中不存在", "unknown institution")
def unknown_institution(ctx):
    """One finding per sheet and unknown code, at its first row, counting the others."""
    known = set(ctx.table("机构").data[USCC_COL].dropna())
    for kind in ("人员", "场地", "考核项目", "续期评分", "撤销"):
        table = ctx.table(kind)
        if table.empty:
            continue
        data = table.data
        unknown = data[data[USCC_COL].notna() & ~data[USCC_COL].isin(known)]
        for (_src, code), rows in unknown.groupby(["_src", USCC_COL], sort=True):
            index = rows.index[0]
            more = f"（本表共{len(rows)}行，第{row_ranges(rows['_row'].tolist())}行）" if len(rows) > 1 else ""
            yield at_row(ctx, table, index, USCC_COL, f"统一社会信用代码“{code}”在机构表中不存在{more}",
                             value=table.raw_value(index, USCC_COL), institution=code,
                             message_en=f"credit code {code} has no row in 机构 ({len(rows)} rows)")


declare("data.formula", "warning", "公式单元格没有保存计算结果，值未知", "formula cell without a cached value")


@rule("data.no-catalogue", "warning", "未找到考核项目目录，未检查项目是否在目录内", "no catalogue found")
def no_catalogue(ctx):
    """No 项目目录 sheet in the register, or only its header row (the `sheetkit init`
    template's empty sheet) while 考核项目 has rows: `project.catalogue` is not checked,
    and this says so once."""
    if not ctx.register.has("机构"):
        return
    if not ctx.register.has("项目目录"):
        yield about_register("未找到考核项目目录（项目目录工作表），未检查考核项目是否在目录内",
                      message_en="no catalogue sheet found: project.catalogue was not checked")
    elif not ctx.table("考核项目").empty and (ctx.table("项目目录").empty
                                           or not ctx.table("项目目录").data["考核项目"].notna().any()):
        yield about_register("项目目录工作表中没有任何考核项目（只有表头），未检查考核项目是否在目录内",
                             message_en="the catalogue sheet lists no project: project.catalogue was not checked")
