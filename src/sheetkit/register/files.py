"""Finding the workbooks of a register and reading their bytes safely.

Only regular files are read: a FIFO, a device (a link to ``/dev/zero``), a socket, a
link loop or a link leading out of the folders given (unless ``follow_links``) is not
opened, and is named with its reason, like a file that looks like a workbook but is not
one sheetkit reads (``.xlsb``, WPS ``.et``, ``x.xlsx.bak``, ``"x.xlsx "``). Each file is
read once into memory (`load`): the same bytes are hashed for the cache, inspected by the
guard and parsed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sheetkit.errors import UsageError

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_FILE_BYTES = 200 * 1024 * 1024
# names that look like a workbook although sheetkit does not read them (said, not silent)
_LOOKALIKE = (".xlsb", ".et", ".ett", ".xlt", ".xltx", ".xltm", ".csv", ".numbers", ".wps")


@dataclass(frozen=True)
class WorkbookPath:
    """A workbook to read: ``shown`` is the path as the user gave it (relative stays relative)."""

    shown: str
    real: Path


@dataclass(frozen=True)
class NotRead:
    """A file in the given folders that was not read, and why (Chinese)."""

    shown: str
    reason: str


class Discovery(list):
    """The workbooks found (a list of `WorkbookPath`), with ``not_read``: the files seen but
    not read and why."""

    def __init__(self, items=(), not_read=()):
        super().__init__(items)
        self.not_read: list[NotRead] = list(not_read)


def discover(paths, follow_links: bool = False) -> Discovery:
    """Every workbook in ``paths`` (files or folders, folders searched recursively),
    skipping Excel lock files (``~$*``) and hidden files and folders. Sorted, deduplicated.

    Links are followed only while they stay inside a folder given (or anywhere with
    ``follow_links``); what is skipped for a reason a person should know is listed in
    ``not_read``."""
    found: dict[Path, WorkbookPath] = {}
    not_read: dict[str, NotRead] = {}
    roots = []
    for given in paths:
        p = Path(str(given))
        if p.is_dir():
            roots.append(_real(p))
    for given in paths:
        given = str(given)
        p = Path(given)
        if not os.path.lexists(p):
            raise UsageError(f"路径不存在：{given}")
        if not p.is_dir():
            # A file named explicitly is read whatever its extension (a wrong one is a finding),
            # if it is a regular file.
            why = _not_regular(p)
            if why:
                not_read.setdefault(given, NotRead(given, why))
            else:
                found.setdefault(_real(p), WorkbookPath(given, p))
            continue
        root_real = _real(p)
        seen_dirs = {root_real}
        for root, dirs, files in os.walk(p, followlinks=True):
            keep = []
            for d in sorted(dirs):
                if d.startswith("."):
                    continue
                full = Path(root) / d
                shown = os.path.join(given, os.path.relpath(full, p))
                real = _real(full)
                if real is None:
                    not_read.setdefault(shown, NotRead(shown, "符号链接无法解析（可能是循环链接），已跳过"))
                elif real in seen_dirs:
                    if full.is_symlink():
                        not_read.setdefault(shown, NotRead(shown, "符号链接指回已读过的文件夹（循环链接），已跳过"))
                elif full.is_symlink() and not follow_links and not _inside(real, roots):
                    not_read.setdefault(shown, NotRead(
                        shown, f"符号链接指向所给文件夹之外（{real}），未读取；如确需读取，请加 --follow-links"))
                else:
                    seen_dirs.add(real)
                    keep.append(d)
            dirs[:] = keep
            for name in sorted(files):
                if name.startswith((".", "~$")) or name.endswith(ANNOTATED_SUFFIX):
                    continue
                full = Path(root) / name
                shown = os.path.join(given, os.path.relpath(full, p))
                if not name.lower().endswith(EXTENSIONS):
                    if _looks_like_workbook(name):
                        not_read.setdefault(shown, NotRead(shown, _lookalike_reason(name)))
                    continue
                why = _not_regular(full)
                real = _real(full)
                if not why and not follow_links and os.path.islink(full) and not _inside(real, roots):
                    why = f"符号链接指向所给文件夹之外（{real}），未读取；如确需读取，请加 --follow-links"
                if why:
                    not_read.setdefault(shown, NotRead(shown, why))
                    continue
                found.setdefault(real, WorkbookPath(shown, full))
    return Discovery(sorted(found.values(), key=lambda w: w.shown),
                     sorted(not_read.values(), key=lambda n: n.shown))


def load(wp: WorkbookPath) -> bytes:
    """The bytes of a workbook, read once: a regular file only (checked on the open file,
    so a file swapped for a FIFO or a device after discovery is still refused), at most
    `MAX_FILE_BYTES`. Raises `UnreadableWorkbook` with a Chinese reason."""
    from sheetkit.register.guard import UnreadableWorkbook

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(wp.real, flags)
    except OSError as exc:
        raise UnreadableWorkbook(_os_reason(exc)) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableWorkbook(_kind(st.st_mode))
        if st.st_size > MAX_FILE_BYTES:
            raise UnreadableWorkbook(f"文件过大（{st.st_size // 1024 // 1024} MB），超过上限 "
                                     f"{MAX_FILE_BYTES // 1024 // 1024} MB")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_FILE_BYTES:  # grew while being read
                raise UnreadableWorkbook(f"文件过大，超过上限 {MAX_FILE_BYTES // 1024 // 1024} MB")
            chunks.append(chunk)
    except OSError as exc:
        raise UnreadableWorkbook(_os_reason(exc)) from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if not data:
        raise UnreadableWorkbook("文件为空（0 字节）")
    return data


ANNOTATED_SUFFIX = ".标注.xlsx"  # sheetkit's own annotated copies (validate --annotate)


def _real(p: Path) -> Path | None:
    try:
        return Path(os.path.realpath(p, strict=True))
    except (OSError, RuntimeError):
        return None


def _inside(real: Path | None, roots: list) -> bool:
    if real is None:
        return False
    return any(r is not None and (real == r or r in real.parents) for r in roots)


def _not_regular(p: Path) -> str | None:
    """Why ``p`` is not a regular file that can be read, or None."""
    try:
        st = os.stat(p)
    except RuntimeError:
        return "符号链接无法解析（循环链接），已跳过"
    except OSError as exc:
        if os.path.islink(p):
            return "符号链接无法解析（目标不存在或为循环链接），已跳过"
        return _os_reason(exc)
    if stat.S_ISREG(st.st_mode):
        return None
    return _kind(st.st_mode)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        what = "命名管道（FIFO）"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "设备文件（如 /dev/zero）"
    elif stat.S_ISSOCK(mode):
        what = "套接字"
    elif stat.S_ISDIR(mode):
        what = "文件夹"
    else:
        what = "特殊文件"
    return f"不是普通文件，而是{what}，未读取"


def _os_reason(exc: OSError) -> str:
    return f"无法读取文件：{exc.strerror or exc}"


def _looks_like_workbook(name: str) -> bool:
    low = name.lower()
    stripped = low.rstrip(" .\u3000\t")
    if stripped != low and stripped.endswith(EXTENSIONS):
        return True
    return stripped.endswith(_LOOKALIKE) or any(f"{ext}." in low for ext in EXTENSIONS)


def _lookalike_reason(name: str) -> str:
    low = name.lower()
    stripped = low.rstrip(" .\u3000\t")
    if stripped != low:
        return "文件名末尾有空格或句点，未按工作簿读取；请去掉后重新提交"
    if stripped.endswith(".xlsb"):
        return "Excel 二进制工作簿（.xlsb）不受支持，未读取；请在 Excel 中另存为 .xlsx"
    if stripped.endswith((".et", ".ett", ".wps")):
        return "WPS 表格格式（.et）不受支持，未读取；请在 WPS 中另存为 .xlsx"
    if stripped.endswith(".csv"):
        return "CSV 文本文件不按登记表读取；请在 Excel 中另存为 .xlsx"
    if stripped.endswith((".xlt", ".xltx", ".xltm")):
        return "Excel 模板文件不按登记表读取；请另存为 .xlsx"
    if stripped.endswith(".numbers"):
        return "Numbers 表格不受支持，未读取；请导出为 .xlsx"
    return "看似工作簿的副本或备份（扩展名不是 .xlsx/.xlsm/.xls/.ods），未读取；如需检查请改回正确的扩展名"
