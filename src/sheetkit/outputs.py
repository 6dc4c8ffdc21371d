"""Writing outputs safely: every file sheetkit writes goes to a temporary name in the
target's own folder and is renamed into place only when complete (SPEC: outputs are
atomic, inputs never modified)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from sheetkit.errors import OutputError


def safe_name(text, limit: int | None = None, fallback: str = "未命名", strip: str = " .") -> str:
    """A file-name part made from data (an institution's name, a workbook's name): no
    path separators, no characters or names Windows refuses, no control characters, no
    leading or trailing dots or spaces (or other ``strip`` characters) (`pathvalidate`,
    every platform's rules at once), at most ``limit`` characters; ``fallback`` when
    nothing is left."""
    import unicodedata

    from pathvalidate import sanitize_filename

    text = unicodedata.normalize("NFC", str(text or ""))
    text = sanitize_filename(text, platform="universal", replacement_text="_").strip(strip)
    if limit:
        text = text[:limit].strip(strip)
    return text or fallback


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    The temporary file keeps ``target``'s suffix (so libraries that pick a format from
    the extension work). On any exception the temporary file is removed and ``target``
    is left as it was. Raises OutputError when the folder cannot be written.

        with atomic_path(out / "a.xlsx") as tmp:
            workbook.save(tmp)
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    prefix, suffix = f".{target.stem[:40]}.", f".tmp{target.suffix}"
    tmp: Path | None = None
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _remove_stale(folder, prefix, suffix)
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        except OSError as exc:
            raise OutputError(f"无法写入“{target}”：{exc.strerror or exc}") from exc
        tmp = Path(name)
        os.close(fd)
        yield tmp
        if not tmp.exists():
            raise OutputError(f"未能生成“{target}”（临时文件不存在）")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


STALE_SECONDS = 600


def _remove_stale(folder: Path, prefix: str, suffix: str) -> None:
    """Remove this target's temporary files left by a run that was killed (SIGKILL, power
    loss) more than `STALE_SECONDS` ago; a younger one may belong to a run still going."""
    import time

    now = time.time()
    for p in folder.iterdir():
        name = p.name
        if name.startswith(prefix) and name.endswith(suffix):
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > STALE_SECONDS:
                    p.unlink()


def input_at(target: str | os.PathLike, workbooks) -> object | None:
    """The workbook of ``workbooks`` (`WorkbookPath`s read this run) that ``target`` would
    overwrite, or None: the same real path, or the same file under another name (a hard
    link, a symbolic link, a folder given twice)."""
    target = Path(target)
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        resolved = target.absolute()
    try:
        st = os.stat(target)
        ident = (st.st_dev, st.st_ino)
    except OSError:
        ident = None
    for wp in workbooks or ():
        real = Path(getattr(wp, "real", wp))
        try:
            if real.resolve() == resolved:
                return wp
            if ident is not None:
                s = os.stat(real)
                if (s.st_dev, s.st_ino) == ident:
                    return wp
        except (OSError, RuntimeError):
            continue
    return None


def refuse_inputs(targets, workbooks) -> None:
    """Raise OutputError if any of ``targets`` is a file this run reads: no command writes
    onto its input, whatever ``--force`` says (the check is made before anything is written)."""
    for target in targets:
        wp = input_at(target, workbooks)
        if wp is not None:
            shown = getattr(wp, "shown", str(wp))
            raise OutputError(f"输出文件“{target}”就是本次读取的输入文件“{shown}”，不能覆盖（--force 也不行）；"
                              "请把输出写到别的文件名或文件夹")
