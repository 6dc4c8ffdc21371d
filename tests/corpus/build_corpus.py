"""Build the bad-input corpus: workbooks that are broken, hostile or merely strange.

    python tests/corpus/build_corpus.py OUT_DIR        # writes every file, prints the list
    python tests/corpus/build_corpus.py --refresh-xls  # rewrites files/clean.xls (LibreOffice)

Each entry says what `sheetkit validate` must make of its file: the rule ids that must
appear (with their severity) and the exit status. The files are built in code at test
time (nothing large is committed); the one exception is ``files/clean.xls``, a clean
register saved by LibreOffice as Excel 97, because nothing in Python writes .xls — the
encrypted .xls is made from it by turning its first record after BOF into FILEPASS.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sheetkit.testing.builders import clean_register, person, uscc, write_register

HERE = Path(__file__).resolve().parent

STRICT_NS = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}
# names that must come out of validate exactly as typed
LONG_ADDRESS = "济南市历下区经十路" + "甲" * 9_990 + "号"  # 10,000 characters
RARE_NAME = "𠀀𪚥𫠠培训学校😀👩‍🔧"  # CJK Extension B/C/D, an emoji, a ZWJ sequence
CONTROL_NAME = "济南\x07控制\x01字符学校"
FORMULA_NAME = '=HYPERLINK("http://x.example/","点我")'
MARKUP_NAME = "<w:p>&amp;</w:p>&<b>学校"
PATH_NAME = "../../etc/x"


@dataclass
class Entry:
    name: str
    build: Callable[[Path], None]
    rules: dict[str, str] = field(default_factory=dict)  # rule id → severity that must appear
    exit: tuple[int, ...] = (1,)
    note: str = ""
    unreadable: bool = False  # the whole file is refused (data.unreadable and nothing else from it)


def _clean(path: Path, sheets=None) -> Path:
    return write_register(path, sheets or clean_register())


def _clean_bytes(sheets=None) -> bytes:
    buf = Path(_tmpdir()) / "clean-src.xlsx"
    _clean(buf, sheets)
    return buf.read_bytes()


_TMP: list[Path] = []


def _tmpdir() -> Path:
    if not _TMP:
        import tempfile

        _TMP.append(Path(tempfile.mkdtemp(prefix="sheetkit-corpus-")))
    return _TMP[0]


def _rewrite(data: bytes, change: Callable[[str, bytes], bytes | None], extra=()) -> bytes:
    """A copy of the zip ``data`` with each part passed through ``change(name, bytes)``
    (None drops the part) and ``extra`` (name, bytes[, compress_type]) parts appended."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body, *kind in extra:
            dst.writestr(name, body, compress_type=kind[0] if kind else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _as_written(text: str) -> bytes:
    """``text`` as openpyxl writes it in sheet XML (non-ASCII as character references)."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text).encode("ascii")


def write_with_text(path: Path, sheets: dict, texts: dict[str, str]) -> Path:
    """Write ``sheets`` where each placeholder value in ``texts`` becomes its text as a
    *string* cell, even when it starts with `=` (openpyxl would make that a formula) or
    holds control characters (openpyxl refuses them; Excel stores `_xHHHH_` escapes)."""
    path = Path(path)
    _clean(path, sheets)

    def escape(text: str) -> bytes:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return "".join(f"_x{ord(c):04X}_" if ord(c) < 32 and c not in "\t\n\r" else c for c in text).encode()

    def change(name, body):
        if name.startswith("xl/worksheets/"):
            for placeholder, text in texts.items():
                body = body.replace(_as_written(placeholder), escape(text))
        return body
    path.write_bytes(_rewrite(path.read_bytes(), change))
    return path


def _sheet(n: int) -> str:
    return f"xl/worksheets/sheet{n}.xml"


# -- builders ------------------------------------------------------------------------

def build_zip_bomb_ratio(path: Path) -> None:
    # a 64 MiB run of zeros deflates to ~64 KiB: ratio ~1000
    path.write_bytes(_rewrite(_clean_bytes(), lambda n, b: b,
                              extra=[("xl/media/image1.bin", bytes(64 << 20))]))


def build_zip_bomb_declared(path: Path) -> None:
    """A part whose central-directory entry declares 2 GiB: refused before anything is
    decompressed (the sizes are patched in the directory; the data is tiny)."""
    data = bytearray(_rewrite(_clean_bytes(), lambda n, b: b, extra=[("xl/media/big.bin", b"x" * 1000)]))
    name = b"xl/media/big.bin"
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    struct.pack_into("<I", data, cd + 24, 2 << 30)  # uncompressed size
    path.write_bytes(bytes(data))


def build_zip_bomb_lying(path: Path) -> None:
    """A worksheet whose headers declare fewer bytes than its data holds."""
    data = bytearray(_clean_bytes())
    name = _sheet(1).encode()
    for sig, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_at = pos + (46 if sig == b"PK\x01\x02" else 30)
            if data[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", data, pos + offset, 100)
            pos += 4
    path.write_bytes(bytes(data))


def build_many_members(path: Path) -> None:
    path.write_bytes(_rewrite(_clean_bytes(), lambda n, b: b,
                              extra=[(f"customXml/item{i}.bin", b"", zipfile.ZIP_STORED) for i in range(10_050)]))


def build_huge_sheet(path: Path) -> None:
    """One real value at XFD1048576: calamine would build a 17-billion-cell grid."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    path.write_bytes(_rewrite(_clean_bytes(), lambda n, b: b.replace(b"</sheetData>", far) if n == _sheet(2) else b))


def write_ods(path: Path, rows_xml: str, name: str = "机构") -> Path:
    """A minimal OpenDocument spreadsheet whose one table holds ``rows_xml``."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{name}">{rows_xml}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return Path(path)


def ods_cell(value: str | None = None, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{rep}/>"
    return f'<table:table-cell{rep} office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def ods_row(*cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{''.join(cells)}</table:table-row>"


def build_ods_bomb(path: Path) -> None:
    """Under 1 KB: one value repeated over 1,048,576 rows × 16,384 columns."""
    write_ods(path, ods_row(ods_cell("统一社会信用代码"), ods_cell("机构名称"))
              + ods_row(ods_cell("x", repeat=16_384), repeat=1_048_576))


def build_encrypted_xlsx(path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    src = _tmpdir() / "to-encrypt.xlsx"
    _clean(src)
    with open(src, "rb") as fh, open(path, "wb") as out:
        OOXMLFile(fh).encrypt("口令123", out)


def build_encrypted_xls(path: Path) -> None:
    data = bytearray((HERE / "files" / "clean.xls").read_bytes())
    bof = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    assert bof >= 0, "BOF record of the Workbook stream not found"
    # the record after BOF (INTERFACEHDR, 2 bytes) becomes FILEPASS with RC4 encryption
    data[bof + 20:bof + 26] = b"\x2f\x00\x02\x00\x01\x00"
    path.write_bytes(bytes(data))


def build_clean_xls(path: Path) -> None:
    path.write_bytes((HERE / "files" / "clean.xls").read_bytes())


def build_truncated_xlsx(path: Path) -> None:
    data = _clean_bytes()
    path.write_bytes(data[: len(data) // 2])


def build_truncated_xls(path: Path) -> None:
    data = (HERE / "files" / "clean.xls").read_bytes()
    path.write_bytes(data[: len(data) // 3])


def build_empty(path: Path) -> None:
    path.write_bytes(b"")


def build_random_bytes(path: Path) -> None:
    import random

    path.write_bytes(random.Random(9).randbytes(4096))


def build_xxe(path: Path) -> None:
    dtd = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

    def change(name, body):
        if name == _sheet(1):
            body = body.replace(b"<worksheet", dtd + b"<worksheet", 1)
            return body.replace(b"<t>" + _as_written("济南") + b"</t>", b"<t>&xxe;</t>", 1)
        return body
    path.write_bytes(_rewrite(_clean_bytes(), change))


def build_billion_laughs(path: Path) -> None:
    lol = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    path.write_bytes(_rewrite(_clean_bytes(), lambda n, b: b.replace(b"<workbook", lol + b"<workbook", 1)
                              if n == "xl/workbook.xml" else b))


def build_html_as_xls(path: Path) -> None:
    rows = "".join(f"<tr><td>{uscc(i)}</td><td>机构{i}</td></tr>" for i in range(1, 4))
    path.write_text('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
                    f"<body><table><tr><th>统一社会信用代码</th><th>机构名称</th></tr>{rows}</table></body></html>",
                    encoding="utf-8")


def build_csv_as_xlsx(path: Path) -> None:
    lines = ["统一社会信用代码,机构名称,所属市"] + [f"{uscc(i)},机构{i},济南" for i in range(1, 6)]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))


def build_spreadsheetml_2003(path: Path) -> None:
    path.write_text('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="机构"><Table>'
                    '<Row><Cell><Data ss:Type="String">统一社会信用代码</Data></Cell></Row></Table></Worksheet>'
                    "</Workbook>", encoding="utf-8")


def build_mht(path: Path) -> None:
    path.write_text('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n'
                    "------=_NextPart\r\nContent-Type: text/html\r\n\r\n<html><table></table></html>\r\n",
                    encoding="ascii")


def build_strict(path: Path) -> None:
    def change(name, body):
        for old, new in STRICT_NS.items():
            body = body.replace(old, new)
        return body
    path.write_bytes(_rewrite(_clean_bytes(), change))


def build_formulas(path: Path) -> None:
    """培训考核年限 (O2) and 面积 of the venue typed as formulas, saved without values
    (as openpyxl and many report generators do)."""
    sheets = clean_register()
    sheets["机构"][0]["培训考核年限"] = "=1+2"
    sheets["场地"][0]["面积"] = "=20*25"
    _clean(path, sheets)


def build_strange_text(path: Path, filed: bool = False) -> None:
    """Names with rare CJK, emoji, control characters and a 10,000-character address;
    values that look like formulas, markup and paths. All are data: the register is clean.
    ``filed``: the four institutions are 已备案 from 2025-03-01 (for the directory)."""
    sheets = clean_register(n_institutions=4)
    rows = sheets["机构"]
    if filed:
        for n, row in enumerate(rows, 1):
            row.update({"备案状态": "已备案", "机构代码": f"鲁SD{n:04d}", "备案起始": dt.date(2025, 3, 1)})
    rows[0]["机构名称"], rows[0]["机构地址"] = RARE_NAME, LONG_ADDRESS
    rows[1]["机构名称"] = "公式占位"
    rows[2]["机构名称"] = MARKUP_NAME
    rows[3]["机构名称"] = PATH_NAME
    rows[0]["法定代表人"] = "控制字符占位"
    for r in sheets["人员"][:3]:
        r["姓名"] = "𠀀" + r["姓名"] + "😀"
    write_with_text(path, sheets, {"公式占位": FORMULA_NAME, "控制字符占位": CONTROL_NAME})


def build_strange_values(path: Path) -> None:
    """The 10,000-character text and the control characters where a finding quotes them:
    as a 机构类型 (enum) and a 备案起始 (date) that cannot be read."""
    sheets = clean_register()
    sheets["机构"][0]["机构类型"] = "长" * 10_000
    sheets["机构"][0]["备案起始"] = "控制符占位"
    write_with_text(path, sheets, {"控制符占位": CONTROL_NAME})


def build_bad_id_rare(path: Path) -> None:
    """A credit code with an emoji in it: an `id.uscc` finding whose value is intact."""
    sheets = clean_register()
    sheets["人员"][0]["身份证号"] = "37010219800101😀0X"
    _clean(path, sheets)


def build_wrong_extension(path: Path) -> None:
    """A real .xlsx named .xls: read by its content, not its name."""
    _clean(path)


def build_missing_sheet(path: Path) -> None:
    write_register(path, {"说明": [{"项目": "本工作簿没有登记表"}]})


def build_unknown_institution(path: Path) -> None:
    sheets = clean_register()
    sheets["人员"].append(person(uscc(77), 7700, "考评人员", project="家政服务"))
    _clean(path, sheets)


ENTRIES = [
    Entry("zip-bomb-ratio.xlsx", build_zip_bomb_ratio, {"data.unreadable": "error"}, unreadable=True,
          note="a 64 MiB part compressed ~1000×"),
    Entry("zip-bomb-declared.xlsx", build_zip_bomb_declared, {"data.unreadable": "error"}, unreadable=True,
          note="a part declaring 2 GiB"),
    Entry("zip-bomb-lying.xlsx", build_zip_bomb_lying, {"data.unreadable": "error"}, unreadable=True,
          note="a worksheet declaring fewer bytes than it holds (CRC fails)"),
    Entry("many-members.xlsx", build_many_members, {"data.unreadable": "error"}, unreadable=True),
    Entry("huge-sheet.xlsx", build_huge_sheet, {"data.unreadable": "error"}, unreadable=True,
          note="a value in XFD1048576"),
    Entry("ods-bomb.ods", build_ods_bomb, {"data.unreadable": "error"}, unreadable=True,
          note="OpenDocument: one value repeated over 17 billion cells"),
    Entry("encrypted.xlsx", build_encrypted_xlsx, {"data.unreadable": "error"}, unreadable=True),
    Entry("encrypted.xls", build_encrypted_xls, {"data.unreadable": "error"}, unreadable=True),
    Entry("truncated.xlsx", build_truncated_xlsx, {"data.unreadable": "error"}, unreadable=True),
    Entry("truncated.xls", build_truncated_xls, {"data.unreadable": "error"}, unreadable=True),
    Entry("empty.xlsx", build_empty, {"data.unreadable": "error"}, unreadable=True),
    Entry("random-bytes.xlsx", build_random_bytes, {"data.unreadable": "error"}, unreadable=True),
    Entry("xxe.xlsx", build_xxe, {"data.unreadable": "error"}, unreadable=True),
    Entry("billion-laughs.xlsx", build_billion_laughs, {"data.unreadable": "error"}, unreadable=True),
    Entry("html-export.xls", build_html_as_xls, {"data.unreadable": "error"}, unreadable=True),
    Entry("csv-named.xlsx", build_csv_as_xlsx, {"data.unreadable": "error"}, unreadable=True),
    Entry("spreadsheetml-2003.xls", build_spreadsheetml_2003, {"data.unreadable": "error"}, unreadable=True),
    Entry("single-file-web-page.xls", build_mht, {"data.unreadable": "error"}, unreadable=True),
    Entry("missing-sheet.xlsx", build_missing_sheet, {"data.missing-sheet": "error"}),
    Entry("clean.xls", build_clean_xls, exit=(0,), note="Excel 97 format, clean"),
    Entry("xlsx-named.xls", build_wrong_extension, exit=(0,), note="an .xlsx under an .xls name"),
    Entry("strict-ooxml.xlsx", build_strict, exit=(0,), note="strict OOXML namespaces: calamine reads them"),
    Entry("formulas-no-values.xlsx", build_formulas, {"data.formula": "warning", "data.required": "error"},
          note="formula cells without cached values"),
    Entry("strange-text.xlsx", build_strange_text, exit=(0,),
          note="rare CJK, emoji, control characters, 10,000-character cell, formula/markup/path-like names"),
    Entry("𠀀机构😀 名称\n换行\x01.xlsx", build_wrong_extension, exit=(0,),
          note="rare CJK, emoji, a space, a line break and a control character in the file name"),
    Entry("strange-values.xlsx", build_strange_values, {"data.enum": "error", "data.type": "error"},
          note="a 10,000-character enum value and a date with control characters"),
    Entry("bad-id-emoji.xlsx", build_bad_id_rare, {"id.resident": "error"}),
    Entry("unknown-institution.xlsx", build_unknown_institution, {"data.unknown-institution": "error"}),
]


def build(out: Path, names=None) -> dict[str, Path]:
    """Write every corpus file (or those in ``names``) into ``out``; name → path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    built = {}
    for entry in ENTRIES:
        if names is not None and entry.name not in names:
            continue
        path = out / entry.name
        entry.build(path)
        built[entry.name] = path
    return built


BY_NAME = {e.name: e for e in ENTRIES}


def refresh_clean_xls() -> Path:
    """Rewrite ``files/clean.xls`` from today's `clean_register()` with LibreOffice (run
    this when the register model changes and the committed copy is no longer clean)."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to write .xls")
    with tempfile.TemporaryDirectory() as tmp:
        src = _clean(Path(tmp) / "clean.xlsx")
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/lo",
                        "--convert-to", "xls", "--outdir", tmp, str(src)], check=True, capture_output=True)
        target = HERE / "files" / "clean.xls"
        shutil.copyfile(Path(tmp) / "clean.xls", target)
    return target


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["--refresh-xls"]:
        print(refresh_clean_xls())
        raise SystemExit(0)
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-out")
    for name, p in build(target).items():
        print(f"{p.stat().st_size:>12,}  {name}  {BY_NAME[name].note}")


# -- round two (issue 15): 1–2 KB files the first guard missed -------------------------

def _far(cell_xml: bytes):
    """A builder putting ``cell_xml`` (a far cell) at the end of the 人员 sheet."""
    def build(path: Path) -> None:
        path.write_bytes(_rewrite(_clean_bytes(), lambda n, b: b.replace(b"</sheetData>", cell_xml + b"</sheetData>")
                                  if n == _sheet(2) else b))
    return build


build_far_single_quotes = _far(b"<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>")
build_far_attribute_order = _far(b'<row r="1048576"><c s="0" t="inlineStr" r="XFD1048576"><is><t>x</t></is></c></row>')
build_far_character_reference = _far(
    b'<row r="1048576"><c r="&#88;FD1048576" t="inlineStr"><is><t>x</t></is></c></row>')


def build_far_rels_case(path: Path) -> None:
    """The relationship names ``Worksheets/Sheet2.xml``; the part is ``xl/worksheets/sheet2.xml``
    (calamine resolves parts ignoring case), and holds a far cell."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'

    def change(name, body):
        if name == _sheet(2):
            return body.replace(b"</sheetData>", far)
        if name == "xl/_rels/workbook.xml.rels":
            return body.replace(b"worksheets/sheet2.xml", b"Worksheets/Sheet2.xml")
        return body
    path.write_bytes(_rewrite(_clean_bytes(), change))


def build_xlsb_named_xls(path: Path) -> None:
    """Binary-workbook parts (``xl/workbook.bin``) in a file named ``.xls``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType="application/'
                   'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        z.writestr("xl/workbook.bin", b"\x83\x01\x00" + bytes(64))
        z.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00" + b"\x00\xff\xff\x0f" * 8)
    path.write_bytes(out.getvalue())


def build_ods_single_quotes(path: Path) -> None:
    """The ODS bomb with its repeat counts in single quotes and another namespace prefix."""
    rows = (ods_row(ods_cell("统一社会信用代码"), ods_cell("机构名称"))
            + "<table:table-row table:number-rows-repeated='1048576'>"
              "<table:table-cell table:number-columns-repeated='16384' office:value-type='string'>"
              "<text:p>x</text:p></table:table-cell></table:table-row>")
    write_ods(path, rows)


def build_wide_sheet(path: Path, rows: int = 3051) -> None:
    """Legal shape, hostile cost: a value in column XFD on 3,051 rows — 16,384 × 3,051 ≈ 50
    million cells (just under the cell limit) from ~2 KB, 2.4 GB if read."""
    far = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (r, r) for r in range(100, rows + 1))
    path.write_bytes(_rewrite(_clean_bytes(), lambda n, b: b.replace(b"</sheetData>", far + b"</sheetData>")
                              if n == _sheet(2) else b))


def build_shared_string_bomb(path: Path) -> None:
    """One 32,767-character shared string referred to by 20,000 cells: 3 GB once read."""
    rel = (b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main" count="1" uniqueCount="1"><si><t>' + b"x" * 32_767 + b"</t></si></sst>")
    refs = b"".join(b'<row r="%d"><c r="Z%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(30, 30 + 20_000))

    def change(name, body):
        if name == "xl/_rels/workbook.xml.rels":
            return body.replace(b"</Relationships>", rel)
        if name == "[Content_Types].xml":
            return body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if name == _sheet(2):
            return body.replace(b"</sheetData>", refs + b"</sheetData>")
        return body
    path.write_bytes(_rewrite(_clean_bytes(), change, extra=[("xl/sharedStrings.xml", sst)]))


def build_styles_bomb(path: Path) -> None:
    """A million cell formats in styles.xml (about 1.5 MB compressed to little): gigabytes
    when the annotated copy loads the workbook."""
    import random

    rng = random.Random(15)
    xfs = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0"/>' % rng.randrange(1 << 30)
                   for _ in range(1_000_000))

    def change(name, body):
        if name == "xl/styles.xml":
            import re as _re
            return _re.sub(rb"<cellXfs[^>]*>.*?</cellXfs>", b'<cellXfs count="1000000">' + xfs + b"</cellXfs>",
                           body, flags=_re.S)
        return body
    path.write_bytes(_rewrite(_clean_bytes(), change))


HOSTILE = [
    Entry("far-cell-single-quotes.xlsx", build_far_single_quotes, {"data.unreadable": "error"}, unreadable=True,
          note="r='XFD1048576' in single quotes"),
    Entry("far-cell-attribute-order.xlsx", build_far_attribute_order, {"data.unreadable": "error"},
          unreadable=True, note='<c s="0" t=… r="XFD1048576">: the reference is not the first attribute'),
    Entry("far-cell-character-reference.xlsx", build_far_character_reference, {"data.unreadable": "error"},
          unreadable=True, note='r="&#88;FD1048576": a character reference in the reference'),
    Entry("far-cell-rels-case.xlsx", build_far_rels_case, {"data.unreadable": "error"}, unreadable=True,
          note="the worksheet named in another case in the relationships"),
    Entry("xlsb-named.xls", build_xlsb_named_xls, {"data.unreadable": "error"}, unreadable=True,
          note="binary workbook parts under an .xls name"),
    Entry("ods-single-quotes.ods", build_ods_single_quotes, {"data.unreadable": "error"}, unreadable=True,
          note="number-rows-repeated='1048576' in single quotes"),
    Entry("wide-16384-columns.xlsx", build_wide_sheet, {"data.unreadable": "error"}, unreadable=True,
          note="16,384 columns × 3,051 rows in ~2 KB (legal shape, 2.4 GB)"),
    Entry("shared-string-bomb.xlsx", build_shared_string_bomb, {"data.unreadable": "error"}, unreadable=True,
          note="one 32,767-character shared string × 20,000 cells"),
    Entry("styles-bomb.xlsx", build_styles_bomb, {"data.unreadable": "error"}, unreadable=True,
          note="a million cell formats"),
]
ENTRIES.extend(HOSTILE)
BY_NAME.update({e.name: e for e in HOSTILE})


def build_odd_dates(path: Path) -> None:
    """Four 备案起始 cells formatted as dates holding -1e308, text, NaN and 0: calamine
    failed the whole workbook on the first two with a Rust message, read NaN as
    1899-12-30 and 0 as 00:00:00. Each must be one data.type finding at its cell."""
    sheets = clean_register(n_institutions=4)
    markers = [dt.date(2001, 1, d) for d in range(1, 5)]  # serials 36892 … 36895
    for row, day in zip(sheets["机构"], markers):
        row.update({"备案状态": "已备案", "机构代码": f"鲁SD{day.day:04d}", "备案起始": day})
    _clean(path, sheets)
    odd = {b"36892": b"-1e308", b"36893": b"abc", b"36894": b"NaN", b"36895": b"0"}

    def change(name, body):
        if name == _sheet(1):
            for serial, value in odd.items():
                body = body.replace(b"<v>%s</v>" % serial, b"<v>%s</v>" % value)
        return body
    path.write_bytes(_rewrite(path.read_bytes(), change))


ODD_DATES = Entry("odd-dates.xlsx", build_odd_dates, {"data.type": "error"},
                  note="date cells holding -1e308, text, NaN and 0")
ENTRIES.append(ODD_DATES)
BY_NAME[ODD_DATES.name] = ODD_DATES


def build_far_reference_inside(path: Path) -> None:
    """A character reference inside a cell reference (`X&#70;D1048576`), in a sheet large
    enough for the quick scan."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r) for r in range(100, 1200))
    far = b'<row r="1048576"><c r="X&#70;D1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path.write_bytes(_rewrite(_clean_bytes(), lambda n, b: b.replace(b"</sheetData>", rows + far + b"</sheetData>")
                              if n == _sheet(2) else b))


_INSIDE = Entry("far-cell-reference-inside.xlsx", build_far_reference_inside, {"data.unreadable": "error"},
                unreadable=True, note="X&#70;D1048576 in a sheet read by the quick scan")
HOSTILE.append(_INSIDE)
ENTRIES.append(_INSIDE)
BY_NAME[_INSIDE.name] = _INSIDE
