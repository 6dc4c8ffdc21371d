"""A second chance for a workbook whose date cells python-calamine cannot convert.

A cell formatted as a date but holding a value no date can have (``-1e308``, text in a
numeric cell) makes calamine fail on the whole sheet, with a Rust message
(`TimeDelta::milliseconds out of bounds`, `Parse float error`). `date_safe` returns a
copy of the workbook's bytes (in memory; the file is never touched) in which each such
cell is a text cell holding what was stored, so the sheet reads and the value becomes a
`data.type` finding at its own cell.
"""

from __future__ import annotations

import io
import math
import re
import zipfile

# built-in number formats that are dates or times (ECMA-376 §18.8.30, with the CJK ones)
_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_MIN_SERIAL, _MAX_SERIAL = -693_593, 2_958_465  # 0001-01-01 … 9999-12-31
_CELL = re.compile(rb"<((?:[\w.-]+:)?c)\b([^>]*?)(/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_ATTR = re.compile(rb"""\s([\w:.-]+)\s*=\s*(["'])(.*?)\2""", re.S)
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>(.*?)</(?:[\w.-]+:)?v>", re.S)


def date_safe(data: bytes) -> bytes | None:
    """The workbook with date-formatted cells holding impossible values made text cells,
    or None when nothing needed changing (or the workbook is not an .xlsx)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = {n.casefold(): n for n in zf.namelist()}
            styles = names.get("xl/styles.xml")
            date_styles = _date_styles(zf.read(styles)) if styles else set()
            if not date_styles:
                return None
            out = io.BytesIO()
            changed = False
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in zf.infolist():
                    body = zf.read(info)
                    folded = info.filename.casefold()
                    if folded.startswith("xl/worksheets/") and folded.endswith(".xml"):
                        fixed = _fix_sheet(body, date_styles)
                        changed |= fixed is not body
                        body = fixed
                    dst.writestr(info, body)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError):
        return None
    return out.getvalue() if changed else None


def _date_styles(xml: bytes) -> set[int]:
    """Indexes of the cell formats (cellXfs) that show a date or a time."""
    from defusedxml import ElementTree as SafeET

    root = SafeET.fromstring(xml)
    custom = set()
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "numFmt":
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", el.get("formatCode") or "").lower()
            if re.search(r"[ymdhs]", code):
                custom.add(int(el.get("numFmtId") or -1))
    out = set()
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "cellXfs":
            for i, xf in enumerate(x for x in el if x.tag.rsplit("}", 1)[-1] == "xf"):
                fmt = int(xf.get("numFmtId") or 0)
                if fmt in _DATE_FORMATS or fmt in custom:
                    out.add(i)
    return out


def _fix_sheet(xml: bytes, date_styles: set[int]) -> bytes:
    changed = False

    def fix(m: re.Match) -> bytes:
        nonlocal changed
        attrs = {k.rsplit(b":", 1)[-1]: v for k, _, v in _ATTR.findall(m.group(2))}
        if attrs.get(b"t", b"n") != b"n" or not m.group(4):
            return m.group(0)
        try:
            if int(attrs.get(b"s", b"0")) not in date_styles:
                return m.group(0)
        except ValueError:
            return m.group(0)
        v = _VALUE.search(m.group(4))
        if v is None or _possible(v.group(1)):
            return m.group(0)
        changed = True
        rest = re.sub(rb"""\st\s*=\s*(["']).*?\1""", b"", m.group(2))
        return b"<%s%s t=\"str\">%s</%s>" % (m.group(1), rest, m.group(4), m.group(1))

    out = _CELL.sub(fix, xml)
    return out if changed else xml


def _possible(text: bytes) -> bool:
    """Whether a stored number can be a date calamine converts."""
    try:
        f = float(text.strip())
    except ValueError:
        return False
    return math.isfinite(f) and _MIN_SERIAL <= f <= _MAX_SERIAL
