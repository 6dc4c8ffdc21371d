"""Looking at a workbook before calamine opens it: every file is untrusted.

`inspect(data)` refuses, with a Chinese reason (`UnreadableWorkbook`), what must not be
opened at all — zip bombs, sheets too large to hold in memory, encrypted workbooks,
DTDs and entity declarations in any XML part, files that are really HTML, XML or text
under an Excel extension, truncated files — and notes what can be read but needs a
person's attention (formula cells saved without their computed values).

The limits are module constants; docs/security.md explains each. Everything here reads
the file; nothing writes it.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sheetkit.cells import column_letter, column_number
from sheetkit.report.model import Finding

MAX_UNCOMPRESSED_BYTES = 1 << 30  # 1 GiB: all parts of one workbook, decompressed
MAX_COMPRESSION_RATIO = 200  # a part may be at most 200× its compressed size …
RATIO_MIN_BYTES = 1 << 20  # … once it decompresses to more than 1 MiB
MAX_MEMBERS = 10_000  # parts in one .xlsx/.xlsm/.ods container
MAX_CELLS = 50_000_000  # cells in one worksheet's used area (rows × columns)
MAX_FORMULA_NOTES = 50  # formula cells without a value noted per sheet (then a count)
MAX_STYLES = 200_000  # cell formats in styles.xml (Excel itself allows 64,000)
# what reading one workbook may take when its size does not justify more ($SHEETKIT_READ_MEMORY_MB)
MEMORY_BUDGET = int(os.environ.get("SHEETKIT_READ_MEMORY_MB") or 1024) << 20
CELL_BYTES = 48  # memory per cell of a sheet's area once read (calamine's grid + Python's lists)
CHAR_BYTES = 6  # memory per character of a shared string, per cell that refers to it
DENSE_FACTOR = 6  # a workbook may take this many times its own decompressed XML, above the budget
EXACT_SCAN_BYTES = 16 << 10  # sheets up to this size are read with an XML parser (expat), cell by cell

_CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL_REF_RE = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*?\sr\s*=\s*[\"']\s*([A-Za-z]{1,3})(\d+)")
_CELL_RE = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_SHARED_TYPE_RE = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*?\st\s*=\s*[\"']s[\"']")
_VALUE_RE = re.compile(rb"<(?:[\w.-]+:)?v>\s*[^<\s]")
_A1 = re.compile(r"^([A-Za-z]{1,3})(\d+)$")
_REF_ENTITY_RE = re.compile(rb"""\sr\s*=\s*(?:"[^"<>]*&|'[^'<>]*&)""")
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


class UnreadableWorkbook(Exception):
    """A workbook that cannot or must not be opened; the message says why, in Chinese."""


def unreadable(wp, why: str) -> Finding:
    """The one finding of a workbook that could not be read (`wp`: its `WorkbookPath`)."""
    return Finding("data.unreadable", f"无法读取工作簿“{wp.real.name}”：{why}", path=wp.shown)


@dataclass
class Inspection:
    """What `inspect` learnt about a workbook it let through."""

    # sheet name → [(1-based row, 0-based column)] of formula cells saved without a value
    formulas: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # sheet name → how many such cells there were in all (the list stops at MAX_FORMULA_NOTES)
    formula_counts: dict[str, int] = field(default_factory=dict)
    # estimated memory (bytes) needed to read the workbook, and what its size allows
    memory: int = 0
    allowed: int = MEMORY_BUDGET


def inspect(data: bytes | Path) -> Inspection:
    """Check a workbook's bytes (read once: the same bytes are hashed for the cache and
    parsed) before they are opened; raise `UnreadableWorkbook` if they must not be.
    A path is read first (for tests and tools)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        data = Path(data).read_bytes()
    head = bytes(data[:4096])
    if head.startswith(_OLE_MAGIC):
        _check_ole(data)
        return Inspection()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _check_zip(data)
    raise UnreadableWorkbook(_not_a_workbook(head))


def formula_findings(inspection: Inspection | None, sheets) -> list:
    """Warnings for register cells whose formula was saved without its value: calamine
    (like any reader that does not recalculate) sees them as blank. ``sheets`` are the
    reader's `SheetData`; cells outside the register's columns are not reported."""

    if inspection is None or not inspection.formulas:
        return []
    out = []
    for sd in sheets:
        src = sd.source
        cells = inspection.formulas.get(src.sheet)
        if not cells:
            continue
        by_index = {i: name for name, i in src.columns.items()}
        shown = 0
        for row, col in cells:
            column = by_index.get(col)
            if column is None or row <= src.header_row:
                continue
            shown += 1
            out.append(Finding(
                "data.formula", "公式没有缓存值，无法读取：该单元格是公式，但文件中没有保存计算结果（常见于程序生成的"
                "文件）；请在 Excel 中打开、确认数值显示后保存，再重新检查",
                path=src.path, sheet=src.sheet, row=row, column=column,
                cell=src.cell(column, row), institution=_row_institution(sd, row),
                message_en="formula without a cached value: the value is unknown"))
        more = inspection.formula_counts.get(src.sheet, 0) - len(cells)
        if more > 0 and shown:
            out.append(Finding(
                "data.formula", f"工作表中另有 {more} 个公式单元格没有缓存值，未逐一列出；请在 Excel 中打开并保存后重新检查",
                path=src.path, sheet=src.sheet,
                message_en=f"{more} more formula cells without cached values"))
    return out


def _row_institution(sd, row: int) -> str | None:
    import pandas as pd

    from sheetkit.register.model import USCC_COL
    from sheetkit.register.normalise import normalise_identifier

    frame = sd.frame
    if USCC_COL not in frame.columns:
        return None
    hit = frame.loc[frame["_row"] == row, USCC_COL]
    if hit.empty:
        return None
    value = normalise_identifier(pd.Series([hit.iloc[0]], dtype="object"))[0].iloc[0]
    return value if isinstance(value, str) else None


# -- OLE2 (.xls, and encrypted .xlsx, which Office stores in an OLE2 container) -------

def _check_ole(data: bytes) -> None:
    if ole_encrypted(data):
        raise UnreadableWorkbook("工作簿已加密（设有打开密码），无法读取；请在 Excel 中取消密码"
                                 "（文件→信息→保护工作簿→用密码进行加密，清空密码）后另存再提交")


_ENDOFCHAIN = 0xFFFFFFFE
_MAX_SECTORS = 1 << 20  # chains longer than this are not followed (a file of 512 MB at least)


def ole_encrypted(data: bytes) -> bool:
    """Whether an OLE2 compound file is a password-protected workbook: an encrypted .xlsx
    (Office keeps it in an OLE2 file with an ``EncryptedPackage`` stream), or an .xls whose
    ``Workbook`` stream has FILEPASS as the record after BOF — whatever the file is named.
    Only the header, the directory and the stream's first bytes are read, every offset
    bounds-checked; a malformed file is "not encrypted" here and calamine says more."""
    import struct
    from itertools import islice

    try:
        shift, = struct.unpack_from("<H", data, 0x1E)
        size = 1 << shift
        if size not in (512, 4096):
            return False
        (n_fat, first_dir, _, cutoff, _, _, first_difat, n_difat) = struct.unpack_from("<8I", data, 0x2C)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        sector = first_difat
        for _ in range(min(n_difat, _MAX_SECTORS)):  # the FAT sectors listed beyond the header's 109
            if sector >= _ENDOFCHAIN:
                break
            entries = struct.unpack_from(f"<{size // 4}I", data, (sector + 1) * size)
            difat += entries[:-1]
            sector = entries[-1]
        fat: list[int] = []
        for s in difat[:min(n_fat, _MAX_SECTORS)]:
            fat += struct.unpack_from(f"<{size // 4}I", data, (s + 1) * size)

        def chain(start: int):
            seen = 0
            while start < _ENDOFCHAIN and start < len(fat) and seen < _MAX_SECTORS:
                yield start
                start, seen = fat[start], seen + 1

        entries = {}
        root = None
        for s in chain(first_dir):
            for off in range((s + 1) * size, (s + 2) * size, 128):
                name_len, kind = struct.unpack_from("<HB", data, off + 0x40)
                name = bytes(data[off:off + max(0, min(name_len, 64) - 2)]).decode("utf-16-le", "replace")
                start, length = struct.unpack_from("<II", data, off + 0x74)
                if kind == 5 and root is None:
                    root = (start, length)
                elif kind == 2:
                    entries.setdefault(name, (start, length))
        if "EncryptedPackage" in entries:
            return True
        book = entries.get("Workbook") or entries.get("Book")
        if book is None:
            return False
        start, length = book
        if length >= cutoff:
            head = bytes(data[(start + 1) * size:(start + 1) * size + 64])
        else:  # a small stream lives in the mini stream (64-byte sectors along the root's chain)
            offset = start * 64
            ministream = list(islice(chain(root[0]), offset // size + 1)) if root else []
            if offset // size >= len(ministream):
                return False
            base = (ministream[offset // size] + 1) * size + offset % size
            head = bytes(data[base:base + 64])
        kind, n = struct.unpack_from("<HH", head, 0)
        if kind not in (0x0809, 0x0409, 0x0209, 0x0009):  # BOF
            return False
        after, = struct.unpack_from("<H", head, 4 + n)
        return after == 0x002F  # FILEPASS
    except (struct.error, IndexError, ValueError, OverflowError, MemoryError):
        return False


# -- zip containers (.xlsx, .xlsm, .ods) -----------------------------------------------

def _check_zip(data: bytes) -> Inspection:
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableWorkbook("文件不完整或已损坏（可能在下载或复制时被截断），无法打开") from exc
    with zf:
        infos = zf.infolist()
        _check_directory(infos)
        if any(i.filename.casefold().endswith("workbook.bin") for i in infos):
            raise UnreadableWorkbook("文件实为 Excel 二进制工作簿（.xlsb），不受支持（无法在读取前检查其大小）；"
                                     "请在 Excel 中另存为 .xlsx 再提交")
        sheets = _sheet_parts(zf)
        ods = _is_ods(zf)
        found = Inspection()
        scans: list[_SheetScan] = []
        strings = None
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            folded = info.filename.casefold()
            scan = None
            if ods and folded == "content.xml":
                scan = _OdsScan()
            elif info.filename in sheets:
                scan = _SheetScan(sheets[info.filename], info.file_size)
                scans.append(scan)
            elif folded.endswith("sharedstrings.xml"):
                scan = strings = _StringsScan(info.file_size)
            elif folded.endswith("styles.xml"):
                scan = _StylesScan()
            total = _scan_part(zf, info, found, total, scan)
        _estimate(found, scans, strings, total)
        return found


def _estimate(found: Inspection, scans: list, strings, total: int) -> None:
    """The memory reading the workbook will take: each sheet's area × `CELL_BYTES`, plus each
    shared string's length × `CHAR_BYTES` per cell referring to it. Refused when above both
    `MEMORY_BUDGET` and `DENSE_FACTOR` × the workbook's decompressed size (a large workbook
    backed by as much data is read; a small one asking for gigabytes is not)."""
    lengths = strings.lengths if strings is not None else None
    need = 0
    for scan in scans:
        area = scan.area()
        text = 0
        if scan.shared and lengths is not None:
            text = sum(lengths[i] * n for i, n in scan.shared.items() if 0 <= i < len(lengths))
        elif scan.shared_cells and strings is not None:  # a large sheet: every reference at the longest
            text = scan.shared_cells * strings.longest
        need += area * CELL_BYTES + text * CHAR_BYTES
        allowed = max(MEMORY_BUDGET, DENSE_FACTOR * total)
        if need > allowed:
            raise UnreadableWorkbook(
                f"工作表“{scan.name}”读取约需 {_size(need)} 内存（数据区域约 {scan.max_row or '?'} 行 × "
                f"{scan.max_col or '?'} 列" + (f"，共享文本约 {text:,} 字" if text else "") +
                f"），超过上限 {_size(allowed)}，而文件本身的数据远没有这么多，可能是恶意构造；已拒绝读取。"
                "请删除多余的空行空列后另存再提交")
    found.memory = need
    found.allowed = max(MEMORY_BUDGET, DENSE_FACTOR * total)


def _is_ods(zf: zipfile.ZipFile) -> bool:
    try:
        return zf.read("mimetype")[:64].startswith(b"application/vnd.oasis.opendocument.spreadsheet")
    except (KeyError, zipfile.BadZipFile, OSError):
        return False


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise UnreadableWorkbook(f"工作簿内部包含 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}，"
                                 "不像正常的 Excel 文件，已拒绝读取")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableWorkbook(f"工作簿解压后将达 {_size(declared)}，超过上限 {_size(MAX_UNCOMPRESSED_BYTES)}"
                                 "（可能是“压缩炸弹”），已拒绝读取")
    for i in infos:
        if i.flag_bits & 0x1:
            raise UnreadableWorkbook("工作簿内部文件已加密，无法读取；请另存为无密码的 .xlsx 文件后再提交")
        if i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1):
            raise UnreadableWorkbook(f"工作簿内部文件 {i.filename} 的压缩比异常（{i.file_size // max(i.compress_size, 1)}"
                                     f" 倍，上限 {MAX_COMPRESSION_RATIO} 倍），可能是“压缩炸弹”，已拒绝读取")


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, found: Inspection, total: int, scan=None) -> int:
    """Decompress one part as a stream (CRC checked), counting real bytes; look for DTDs
    in XML parts, and measure worksheets. Returns the running total of bytes."""
    is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml")) or scan is not None
    first = True
    try:
        with zf.open(info) as part:
            while True:
                chunk = part.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > MAX_UNCOMPRESSED_BYTES:
                    raise UnreadableWorkbook(f"工作簿解压后超过上限 {_size(MAX_UNCOMPRESSED_BYTES)}"
                                             "（可能是“压缩炸弹”），已拒绝读取")
                if not is_xml:
                    continue
                if first:  # a DTD must come before the root element: the first MiB holds it
                    head = chunk
                    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
                        head = head.decode("utf-16", "replace").encode("utf-8")
                    if any(m in head for m in _DTD_MARKERS):
                        raise UnreadableWorkbook(_dtd_message(info.filename))
                    first = False
                if scan is not None:
                    scan.feed(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        # zipfile raises BadZipFile("Bad CRC-32 …") or EOFError for damaged or lying parts
        raise UnreadableWorkbook(f"工作簿内部文件 {info.filename} 已损坏或不完整（校验失败或数据被截断）") from exc
    if scan is not None:
        scan.finish(found)
    return total


class _SheetScan:
    """Measurements of one worksheet's XML, streamed: its extent (the area calamine will
    build, from A1 to the farthest cell or row), the shared strings its cells refer to,
    and formula cells with no cached value.

    Sheets up to `EXACT_SCAN_BYTES` are read with an XML parser (expat: attributes in any
    order and quoting, character references, namespace prefixes, cells without a
    reference — what calamine sees). Larger ones, which are backed by as much real data,
    are measured by a quicker scan over the same bytes, tolerant of attribute order and
    quoting; the child process's memory limit (`isolate`) stands behind both."""

    def __init__(self, name: str, size: int = 0):
        self.name = name
        self.max_row = 0
        self.max_col = 0
        self.cells = 0
        self.formulas: list[tuple[int, int]] = []
        self.formula_count = 0
        self.shared: dict[int, int] = {}  # shared-string index → cells referring to it (exact scan)
        self.shared_cells = 0  # cells of type "s" (quick scan)
        self.carry = b""
        self.quick_width = False  # measured by the quick scan: single-letter columns count as 26
        self.exact = size <= EXACT_SCAN_BYTES
        if self.exact:
            import pyexpat

            self.parser = pyexpat.ParserCreate(namespace_separator="}")
            self.parser.StartElementHandler = self._start
            self.parser.EndElementHandler = self._end
            self.parser.CharacterDataHandler = self._text
            self.row = self.col = 0
            self.cell = None  # [row, col, type, has formula, has value, value text]
            self.in_v = False

    def area(self) -> int:
        cols = max(self.max_col, 26) if self.quick_width else self.max_col
        return self.max_row * cols if self.max_row else self.cells

    # -- exact: an XML parser's view ------------------------------------------------

    def _start(self, name: str, attrs: dict) -> None:
        local = name.rsplit("}", 1)[-1]
        if local == "c":
            ref = _attr(attrs, "r")
            m = _A1.match(ref.strip()) if ref is not None else None
            if m:
                self.col, row = column_number(m.group(1).upper().encode()), int(m.group(2))
                self.row = max(row, 1)
            else:
                self.col += 1
                self.row = max(self.row, 1)
            self.cells += 1
            self.max_row, self.max_col = max(self.max_row, self.row), max(self.max_col, self.col)
            self.cell = [self.row, self.col, _attr(attrs, "t") or "n", False, False, []]
        elif local == "row":
            ref = _attr(attrs, "r")
            self.row = int(ref) if ref is not None and ref.strip().isdigit() else self.row + 1
            self.col = 0
            self.max_row = max(self.max_row, self.row)
        elif self.cell is not None:
            if local == "f":
                self.cell[3] = True
            elif local == "v":
                self.in_v = True

    def _text(self, data: str) -> None:
        if self.in_v:
            self.cell[5].append(data)

    def _end(self, name: str) -> None:
        local = name.rsplit("}", 1)[-1]
        if local == "v" and self.cell is not None:
            self.in_v = False
            if "".join(self.cell[5]).strip():
                self.cell[4] = True
        elif local == "c" and self.cell is not None:
            row, col, typ, formula, value, text = self.cell
            if typ == "s" and value:
                try:
                    i = int("".join(text).strip())
                    self.shared[i] = self.shared.get(i, 0) + 1
                except ValueError:
                    pass
            if formula and not value:
                self._formula(row, col)
            self.cell = None

    def _formula(self, row: int, col: int) -> None:
        self.formula_count += 1
        if len(self.formulas) < MAX_FORMULA_NOTES:
            self.formulas.append((row, col - 1))

    # -- feeding -----------------------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        if self.exact:
            try:
                self.parser.Parse(chunk, False)
            except Exception as exc:  # pyexpat.ExpatError
                raise UnreadableWorkbook(f"工作表“{self.name}”的 XML 格式错误（{_where(exc)}），无法读取") from exc
            return
        data = self.carry + chunk
        cut = data.rfind(b"</c>")
        cut = cut + 4 if cut >= 0 else max(0, len(data) - 256)
        if len(data) - cut > 4 * _CHUNK:  # a cell longer than 4 MiB: measure it anyway
            cut = len(data)
        done, self.carry = data[:cut], data[cut:]
        self._measure(done)

    def finish(self, found: Inspection) -> None:
        if self.exact:
            try:
                self.parser.Parse(b"", True)
            except Exception as exc:
                raise UnreadableWorkbook(f"工作表“{self.name}”的 XML 格式错误（{_where(exc)}），无法读取") from exc
        else:
            self._measure(self.carry)
            self.carry = b""
        extent = self.area()
        if extent > MAX_CELLS:
            raise UnreadableWorkbook(
                f"工作表“{self.name}”的数据区域约 {self.max_row or '?'} 行 × "
                f"{max(self.max_col, 26) if self.quick_width else self.max_col} 列（约 {extent:,} 个单元格），"
                f"超过上限 {MAX_CELLS:,} 个单元格，已拒绝读取；请删除多余的空行空列，或拆分成多个工作簿")
        if self.formula_count:
            found.formulas[self.name] = self.formulas
            found.formula_counts[self.name] = self.formula_count

    # -- quick: a large sheet --------------------------------------------------------

    def _measure(self, data: bytes) -> None:
        if not data:
            return
        if b"&" in data and _REF_ENTITY_RE.search(data):  # a character reference in a cell or row number
            raise UnreadableWorkbook(f"工作表“{self.name}”的单元格地址含有字符引用，正常的 Excel 文件不会这样写，"
                                     "可能是恶意构造的文件，已拒绝读取")
        # Cells are normally in order, so the last reference gives the extent so far. One
        # pass then finds every reference with more letters or more digits than that, and
        # every row number with more digits (a reference or a row out of order). Excel's
        # own spelling (`<c r="A1"`) is scanned quickly; anything else (other quotes,
        # another attribute first, spaces, a namespace prefix) by a tolerant pattern.
        standard = (data.count(b"<c ") == data.count(b'<c r="') and b":c " not in data
                    and b":row " not in data and b"r='" not in data)
        last = max(data.rfind(b"<c "), data.rfind(b":c "))
        m = _CELL_REF_RE.search(data, max(0, last - 16)) if last >= 0 else None
        if m:
            self.max_row = max(self.max_row, int(m.group(2)))
            self.max_col = max(self.max_col, column_number(m.group(1).upper()))
        digits = len(str(self.max_row)) + 1
        # references with at least this many letters are all looked at: two while the widest
        # seen is one letter (a sheet then counts as 26 columns wide), else as many as it has
        letters = max(2, len(column_letter(self.max_col - 1)))
        self.quick_width = True
        if standard:
            beyond = re.compile(rb'<c r="(?:([A-Za-z]{%d,3})(\d+)|[A-Za-z]{1,3}(\d{%d,}))()|<row r="(\d{%d,})'
                                % (letters, digits, digits))
            self.shared_cells += data.count(b't="s"')
        else:
            beyond = re.compile(
                rb"\sr\s*=\s*[\"']\s*(?:([A-Za-z]{%d,3})(\d+)|[A-Za-z]{1,3}(\d{%d,})|(\d{%d,}))"
                % (letters, digits, digits))
            self.shared_cells += len(_SHARED_TYPE_RE.findall(data))
        for found in beyond.findall(data):
            wide, row, long_row, row_only = found[0], found[1], found[2], found[-1]
            if wide:
                self.max_col = max(self.max_col, column_number(wide.upper()))
            self.max_row = max(self.max_row, int(row or long_row or row_only))
        self.cells += data.count(b"<c") if not self.max_row else 0
        if b"<f" in data or b":f>" in data or b":f " in data:
            self._formulas(data)

    def _formulas(self, data: bytes) -> None:
        for m in _CELL_RE.finditer(data):
            body = m.group(2)
            if not body or (b"<f" not in body and b":f" not in body) or _VALUE_RE.search(body):
                continue
            ref = _CELL_REF_RE.match(m.group(0))
            if ref is None:
                continue
            self._formula(int(ref.group(2)), column_number(ref.group(1).upper()))


class _StringsScan:
    """The length of each shared string (``sharedStrings.xml``), for the memory estimate:
    calamine copies a shared string into every cell that refers to it."""

    def __init__(self, size: int):
        self.lengths: list[int] | None = [] if size <= 4 * EXACT_SCAN_BYTES else None
        self.longest = 0
        self.current = -1
        if self.lengths is not None:
            import pyexpat

            self.parser = pyexpat.ParserCreate(namespace_separator="}")
            self.parser.StartElementHandler = self._start
            self.parser.CharacterDataHandler = self._text
        self.carry = b""

    def _start(self, name, attrs):
        if name.rsplit("}", 1)[-1] == "si":
            self.lengths.append(0)

    def _text(self, data):
        if self.lengths:
            self.lengths[-1] += len(data)

    def feed(self, chunk: bytes) -> None:
        if self.lengths is not None:
            try:
                self.parser.Parse(chunk, False)
            except Exception as exc:
                raise UnreadableWorkbook(f"共享文本（sharedStrings.xml）的 XML 格式错误（{_where(exc)}），无法读取") from exc
            return
        data = self.carry + chunk  # large: the longest string only
        cut = data.rfind(b"</si>")
        cut = cut + 5 if cut >= 0 else max(0, len(data) - 64)
        self.carry = data[cut:]
        for piece in data[:cut].split(b"</si>"):
            self.longest = max(self.longest, len(piece))

    def finish(self, found: Inspection) -> None:
        if self.lengths is not None:
            try:
                self.parser.Parse(b"", True)
            except Exception as exc:
                raise UnreadableWorkbook(f"共享文本（sharedStrings.xml）的 XML 格式错误（{_where(exc)}），无法读取") from exc
            self.longest = max(self.lengths, default=0)
        else:
            self.longest = max(self.longest, len(self.carry))


class _StylesScan:
    """Counts cell formats (``<xf>``) in ``styles.xml``: a million of them in 1.5 MB take
    gigabytes to load for the annotated copy."""

    _XF = re.compile(rb"<(?:[\w.-]+:)?xf\b")

    def __init__(self):
        self.count = 0
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        self.count += len(self._XF.findall(data, 0, max(0, len(data) - 16)))
        self.carry = data[max(0, len(data) - 16):]
        if self.count > MAX_STYLES:
            raise UnreadableWorkbook(f"工作簿的单元格样式超过 {MAX_STYLES:,} 个（Excel 本身最多 64,000 个），"
                                     "不像正常的 Excel 文件，已拒绝读取；请把数据复制到新工作簿后另存再提交")

    def finish(self, found: Inspection) -> None:
        self.count += len(self._XF.findall(self.carry))
        self.carry = b""
        if self.count > MAX_STYLES:
            self.feed(b"")


def _attr(attrs: dict, name: str):
    """An attribute by its local name (a prefixed one is stored as 'namespace}name')."""
    value = attrs.get(name)
    if value is None:
        for k, v in attrs.items():
            if k.rsplit("}", 1)[-1] == name:
                return v
    return value


def _dtd_message(part: str) -> str:
    return (f"工作簿内部文件 {part} 含有 DTD 或实体声明（<!DOCTYPE>/<!ENTITY>），正常的 Excel 文件不会有，"
            "可能是恶意构造的文件（XML 外部实体或“实体膨胀”攻击），已拒绝读取；"
            "sheetkit 读取时本就不解析实体，此处一律拒绝以防万一")


class _OdsScan:
    """The used area of each table in an OpenDocument ``content.xml``: rows and cells
    may say `number-rows-repeated` / `number-columns-repeated`, which calamine expands,
    so a few bytes can ask for billions of cells. Only repeated cells holding a value
    count; trailing empty rows (which LibreOffice writes) do not."""

    _ITEM = re.compile(rb"<(?:[\w.-]+:)?table-row\b([^>]*)>(.*?)</(?:[\w.-]+:)?table-row>"
                       rb"|<(?:[\w.-]+:)?table-row\b([^>]*)/>|<(?:[\w.-]+:)?table\b([^>]*)>", re.S)
    _CELL = re.compile(rb"<(?:[\w.-]+:)?(?:covered-)?table-cell\b([^>]*?)"
                       rb"(?:/>|>(.*?)</(?:[\w.-]+:)?(?:covered-)?table-cell>)", re.S)
    _ROWS = re.compile(rb"number-rows-repeated\s*=\s*[\"']\s*(\d+)")
    _COLS = re.compile(rb"number-columns-repeated\s*=\s*[\"']\s*(\d+)")
    _NAME = re.compile(rb"(?:[\w.-]+:)?name\s*=\s*[\"']([^\"']*)")

    def __init__(self):
        self.carry = b""
        self.name = "?"
        self.row = self.max_row = self.max_col = 0
        self.bytes = 0

    def feed(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        data = self.carry + chunk
        cut = data.rfind(b"table-row>")
        if cut < 0 and len(data) < 8 * _CHUNK:
            self.carry = data
            return
        cut = cut + len(b"table-row>") if cut >= 0 else len(data)
        self.carry = data[cut:]
        self._measure(data[:cut])

    def finish(self, found: Inspection) -> None:
        self._measure(self.carry)
        self.carry = b""

    def _measure(self, data: bytes) -> None:
        for m in self._ITEM.finditer(data):
            if m.group(4) is not None:  # a new table (sheet)
                name = self._NAME.search(m.group(4))
                self.name = name.group(1).decode("utf-8", "replace") if name else "?"
                self.row = self.max_row = self.max_col = 0
                continue
            attrs = m.group(1) if m.group(1) is not None else m.group(3)
            reps = self._ROWS.search(attrs)
            rows = int(reps.group(1)) if reps else 1
            col = valued = 0
            for c in self._CELL.finditer(m.group(2) or b""):
                n = self._COLS.search(c.group(1))
                col += int(n.group(1)) if n else 1
                if b"value-type" in c.group(1) or (c.group(2) and b"<" in c.group(2)):
                    valued = col
            if valued:
                self.max_row, self.max_col = self.row + rows, max(self.max_col, valued)
                need = self.max_row * self.max_col * CELL_BYTES
                if need > max(MEMORY_BUDGET, DENSE_FACTOR * self.bytes) and self.max_row * self.max_col <= MAX_CELLS:
                    raise UnreadableWorkbook(
                        f"工作表“{self.name}”读取约需 {_size(need)} 内存（数据区域约 {self.max_row} 行 × "
                        f"{self.max_col} 列，多为重复填充的单元格），超过上限 {_size(MEMORY_BUDGET)}，已拒绝读取；"
                        "请删除多余的行列后另存再提交")
                if self.max_row * self.max_col > MAX_CELLS:
                    raise UnreadableWorkbook(
                        f"工作表“{self.name}”的数据区域约 {self.max_row} 行 × {self.max_col} 列（约 "
                        f"{self.max_row * self.max_col:,} 个单元格），超过上限 {MAX_CELLS:,} 个单元格，已拒绝读取；"
                        "请删除多余的行列（重复填充的单元格），或拆分成多个工作簿")
            self.row += rows


def _where(exc: BaseException) -> str:
    """Where an XML parser stopped, in Chinese (its own message is English)."""
    line, col = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    if line is None and getattr(exc, "position", None):
        line, col = exc.position
    return f"第 {line} 行第 {col} 列附近" if line is not None else "位置不明"


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → sheet name, from xl/workbook.xml and its relationships, with
    part names matched ignoring case (as calamine resolves them); every other part under
    ``xl/worksheets/`` is measured too. Works for transitional and strict OOXML
    (namespaces are ignored). Empty for .ods."""
    by_fold = {n.casefold(): n for n in zf.namelist()}
    out = {n: PurePosixPath(n).stem for f, n in by_fold.items()
           if f.startswith("xl/worksheets/") and f.endswith(".xml")}
    book_name, rels_name = by_fold.get("xl/workbook.xml"), by_fold.get("xl/_rels/workbook.xml.rels")
    if book_name is None or rels_name is None:
        return out
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeET

    try:
        book = SafeET.fromstring(_small_part(zf, book_name))
        rels = SafeET.fromstring(_small_part(zf, rels_name))
    except DefusedXmlException as exc:
        raise UnreadableWorkbook(_dtd_message("xl/workbook.xml")) from exc
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # malformed XML
        raise UnreadableWorkbook(f"工作簿目录（xl/workbook.xml）已损坏（{_where(exc)}），无法解析") from exc
    targets = {}
    for rel in rels:
        target = (rel.get("Target") or "").replace("\\", "/")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = _posix_normal(part)
    for el in book.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        part = targets.get(rid)
        real = by_fold.get(part.casefold()) if part else None
        if real:
            out[real] = el.get("name") or real
    return out


def _small_part(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > 64 * _CHUNK:
        raise UnreadableWorkbook(f"工作簿内部文件 {name} 异常地大（{_size(info.file_size)}），已拒绝读取")
    return zf.read(name)


def _posix_normal(part: str) -> str:
    out: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# -- not a workbook at all -------------------------------------------------------------

def _not_a_workbook(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff\x00 \t\r\n").lower().replace(b"\x00", b"")
    save_as = "请用 Excel 打开后“另存为” Excel 工作簿（.xlsx）再提交"
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head", b"<body")) or (
            b"<html" in text[:1024] and b"<" == text[:1]):
        return f"文件实为网页（HTML）格式，只是扩展名像 Excel（有些业务系统这样导出）；{save_as}"
    if text.startswith(b"<?xml") or text.startswith(b"<workbook"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
            return f"文件实为“XML 电子表格 2003”格式，不是 Excel 工作簿；{save_as}"
        return f"文件实为 XML 文本，不是 Excel 工作簿；{save_as}"
    if text.startswith(b"mime-version:") or b"content-type: multipart/related" in text[:2048]:
        return f"文件实为“单个文件网页”（MHT）格式，不是 Excel 工作簿；{save_as}"
    if text.startswith(b"%pdf"):
        return "文件实为 PDF，不是 Excel 工作簿；请提交原始的 Excel 登记表"
    if head and _looks_like_text(head):
        return f"文件实为文本（CSV 等）格式，只是扩展名像 Excel；{save_as}"
    if not head:
        return "文件为空（0 字节）"
    return "文件不是 Excel 工作簿（无法识别的文件格式，或文件已损坏）"


def _looks_like_text(head: bytes) -> bool:
    """UTF-8, GB18030 or (with a byte-order mark) UTF-16 text, nearly all printable."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates = [head.decode("utf-16", "ignore")]
    elif b"\x00" in head:
        return False
    else:
        candidates = []
        for encoding in ("utf-8", "gb18030"):
            for cut in range(4):  # the head may end inside a multi-byte character
                try:
                    candidates.append(head[:len(head) - cut].decode(encoding))
                    break
                except UnicodeDecodeError:
                    continue
    for text in candidates[:1]:
        text = text.lstrip("\ufeff")
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
        return printable >= 0.98 * max(len(text), 1)
    return False


def _size(n: int) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MiB"
