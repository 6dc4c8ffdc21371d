"""`register.guard`: the limits measured as documented, no false alarms on normal
registers, formula cells without values found exactly, DTDs refused wherever they hide."""

from __future__ import annotations

import re
import struct
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from build_corpus import ods_cell, ods_row, write_ods  # noqa: E402
from builders import clean_register, write_register  # noqa: E402
from sheetkit.register import guard  # noqa: E402
from sheetkit.register.files import WorkbookPath  # noqa: E402
from sheetkit.register.reader import open_grids, read_workbook  # noqa: E402

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def minimal_xlsx(path: Path, sheets: dict[str, str], prologue: str = '<?xml version="1.0" encoding="UTF-8"?>',
                 extra: dict[str, bytes] | None = None) -> Path:
    """A workbook written by hand: ``sheets`` maps a sheet name to its ``<sheetData>`` body."""
    names = list(sheets)
    book = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(names) + 1))
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, len(names) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/'
                   f'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                   f"<sheets>{book}</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, n in enumerate(names, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml",
                       f'{prologue}<worksheet xmlns="{MAIN}"><sheetData>{sheets[n]}</sheetData></worksheet>')
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return path


def cell(ref: str, value: str | int | None = None, formula: str | None = None, empty_v: bool = False) -> str:
    inner = f"<f>{formula}</f>" if formula else ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr">{inner}<is><t>{value}</t></is></c>'
    if value is not None:
        inner += f"<v>{value}</v>"
    elif empty_v:
        inner += "<v></v>"
    return f'<c r="{ref}">{inner}</c>'


def row(r: int, *cells: str) -> str:
    return f'<row r="{r}">{"".join(cells)}</row>'


def test_normal_registers_pass(tmp_path):
    path = write_register(tmp_path / "r.xlsx", clean_register(40), title_rows=2)
    found = guard.inspect(path)
    assert found.formulas == {}


def test_cell_count_uses_rows_times_columns(tmp_path, monkeypatch):
    body = "".join(row(r, *(cell(f"{col}{r}", r) for col in ("A", "B", "BH"))) for r in range(1, 1001))
    path = minimal_xlsx(tmp_path / "wide.xlsx", {"机构": body})
    guard.inspect(path)  # 1000 × 60 = 60,000 cells: fine by default
    monkeypatch.setattr(guard, "MAX_CELLS", 59_999)
    with pytest.raises(guard.UnreadableWorkbook, match=r"1000 行 × 60 列（约 60,000 个单元格）"):
        guard.inspect(path)
    monkeypatch.setattr(guard, "MAX_CELLS", 60_000)
    guard.inspect(path)


def test_a_reference_out_of_order_is_still_counted(tmp_path, monkeypatch):
    """A far cell written first, then ordinary rows: the last reference alone would say 10."""
    body = row(50_000, cell("A50000", 1)) + "".join(row(r, cell(f"A{r}", r)) for r in range(1, 11))
    path = minimal_xlsx(tmp_path / "disorder.xlsx", {"机构": body})
    monkeypatch.setattr(guard, "MAX_CELLS", 50_000 - 1)  # one column: the area is 50,000 × 1
    with pytest.raises(guard.UnreadableWorkbook, match="50000 行"):
        guard.inspect(path)


def test_formula_cells_without_values_exactly(tmp_path):
    body = (row(1, cell("A1", "统一社会信用代码"), cell("B1", "培训考核年限"), cell("C1", "备注"))
            + row(2, cell("A2", "91370100000000001W"), cell("B2", formula="1+1"), cell("C2", formula="2+2"))
            + row(3, cell("A3", "91370100000000002X"), cell("B3", formula="1+1", empty_v=True))
            + row(4, cell("A4", "x"), cell("B4", 3, formula="1+2"))  # cached value: fine
            + row(5, cell("A5", "y"), '<c r="B5"><f t="shared" si="0"/><v>4</v></c>')
            + row(6, cell("A6", "z"), '<c r="B6" t="str"><f>A6</f><v>z</v></c>'))
    path = minimal_xlsx(tmp_path / "f.xlsx", {"机构": body})
    found = guard.inspect(path)
    assert found.formulas == {"机构": [(2, 1), (2, 2), (3, 1)]}
    _, findings = read_workbook(WorkbookPath(str(path), path))
    located = [(f.rule, f.severity, f.sheet, f.cell, f.column, f.institution) for f in findings]
    # C2 is not a register column: not reported; the engine, not the reader, stamps the severity
    assert located == [("data.formula", "", "机构", "B2", "培训考核年限", "91370100000000001W"),
                       ("data.formula", "", "机构", "B3", "培训考核年限", "91370100000000002X")]


def test_many_formula_cells_are_summarised(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_FORMULA_NOTES", 3)
    body = row(1, cell("A1", "统一社会信用代码"), cell("B1", "培训考核年限")) + "".join(
        row(r, cell(f"A{r}", f"c{r}"), cell(f"B{r}", formula="1")) for r in range(2, 12))
    path = minimal_xlsx(tmp_path / "many.xlsx", {"机构": body})
    _, findings = read_workbook(WorkbookPath(str(path), path))
    assert [f.cell for f in findings] == ["B2", "B3", "B4", None]
    assert "另有 7 个" in findings[-1].message


@pytest.mark.parametrize("where", ["sheet", "shared-strings", "utf-16"])
def test_dtd_refused_in_any_part(tmp_path, where):
    dtd = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    body = row(1, cell("A1", "统一社会信用代码"))
    if where == "sheet":
        path = minimal_xlsx(tmp_path / "a.xlsx", {"机构": body}, prologue='<?xml version="1.0"?>' + dtd)
    elif where == "shared-strings":
        path = minimal_xlsx(tmp_path / "a.xlsx", {"机构": body},
                            extra={"xl/sharedStrings.xml": f'<?xml version="1.0"?>{dtd}<sst xmlns="{MAIN}"/>'.encode()})
    else:
        text = f'<?xml version="1.0" encoding="UTF-16"?>{dtd}<sst xmlns="{MAIN}"/>'
        path = minimal_xlsx(tmp_path / "a.xlsx", {"机构": body},
                            extra={"xl/sharedStrings.xml": b"\xff\xfe" + text.encode("utf-16-le")})
    with pytest.raises(guard.UnreadableWorkbook, match="DTD 或实体声明"):
        guard.inspect(path)


def test_encrypted_zip_member_refused(tmp_path):
    path = write_register(tmp_path / "r.xlsx", clean_register())
    data = bytearray(path.read_bytes())
    cd = data.find(b"PK\x01\x02")
    flags = struct.unpack_from("<H", data, cd + 8)[0]
    struct.pack_into("<H", data, cd + 8, flags | 1)
    path.write_bytes(bytes(data))
    with pytest.raises(guard.UnreadableWorkbook, match="已加密"):
        guard.inspect(path)


@pytest.mark.parametrize("head,expected", [
    (b"\xef\xbb\xbf<html><body><table>", "网页（HTML）"),
    (b"  <!DOCTYPE html><html>", "网页（HTML）"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "XML 电子表格 2003"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related;", "单个文件网页"),
    (b"%PDF-1.7\n", "PDF"),
    ("统一社会信用代码\t机构名称\r\n".encode("gb18030"), "文本（CSV 等）"),
    ("统一社会信用代码,机构名称\r\n".encode("utf-16"), "文本（CSV 等）"),
    ("\ufeff统一社会信用代码,机构名称".encode("utf-8"), "文本（CSV 等）"),
    (bytes(range(256)) * 4, "无法识别的文件格式"),
])
def test_not_a_workbook_says_what_it_is(tmp_path, head, expected):
    path = tmp_path / "x.xls"
    path.write_bytes(head)
    with pytest.raises(guard.UnreadableWorkbook, match=re.escape(expected)):
        guard.inspect(path)


def test_limits_are_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    assert guard.MAX_COMPRESSION_RATIO == 200 and "**200×**" in doc
    assert guard.MAX_UNCOMPRESSED_BYTES == 1 << 30 and "**1 GiB**" in doc
    assert guard.MAX_MEMBERS == 10_000 and "**10,000**" in doc
    assert guard.MAX_CELLS == 50_000_000 and "**50,000,000**" in doc


def test_ods_repeated_cells_are_counted_as_calamine_expands_them(tmp_path, monkeypatch):
    """LibreOffice writes a million empty trailing rows as one repeated row: not counted.
    Repeated cells holding a value are: 1,000 rows × 300 columns = 300,000 cells."""
    header = ods_row(ods_cell("统一社会信用代码"), ods_cell("机构名称"))
    trailing = ods_row(ods_cell(None, repeat=16_384), repeat=1_048_570)
    fine = write_ods(tmp_path / "fine.ods", header + ods_row(ods_cell("a"), ods_cell("b")) + trailing)
    guard.inspect(fine)
    (name, grid, _), = list(open_grids(WorkbookPath(str(fine), fine)))
    assert (name, len(grid), len(grid[0])) == ("机构", 2, 2)

    wide = write_ods(tmp_path / "wide.ods", header + ods_row(ods_cell("x", repeat=300), repeat=999) + trailing)
    monkeypatch.setattr(guard, "MAX_CELLS", 299_999)
    with pytest.raises(guard.UnreadableWorkbook, match=r"1000 行 × 300 列"):
        guard.inspect(wide)
    monkeypatch.setattr(guard, "MAX_CELLS", 300_000)
    guard.inspect(wide)
