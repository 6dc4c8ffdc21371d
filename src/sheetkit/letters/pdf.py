"""PDF copies of letters: one headless LibreOffice call for the whole batch.

LibreOffice runs with a throw-away user profile (`-env:UserInstallation`), so it works
while staff have LibreOffice open and leaves their settings alone, and with a fontconfig
file that maps the template's Chinese faces to the fonts present on the machine:
方正小标宋简体 → FZXiaoBiaoSong-B05S, else Noto Serif CJK SC Bold; 仿宋_GB2312 →
FangSong, else Noto Serif CJK SC; 黑体 → SimHei, else Noto Sans CJK SC; 宋体 → SimSun,
else Noto Serif CJK SC. Where the real faces are installed they are used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sheetkit.errors import OutputError

FONT_MAP = (
    ("方正小标宋简体", ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "Source Han Serif SC"), True),
    ("仿宋_GB2312", ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC",
                   "Source Han Serif SC"), False),
    ("仿宋", ("仿宋", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC"), False),
    ("黑体", ("黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC"), False),
    ("宋体", ("宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC"), False),
    ("Times New Roman", ("Times New Roman", "Liberation Serif", "DejaVu Serif"), False),
)


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def fontconfig(path: Path) -> Path:
    """A fontconfig file: the system configuration plus the Chinese face fallbacks."""
    rules = []
    for family, prefer, bold in FONT_MAP:
        names = "".join(f"<string>{n}</string>" for n in prefer)
        weight = ('<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
                  if bold else "")
        rules.append(f'<match target="pattern"><test name="family"><string>{family}</string></test>'
                     f'<edit name="family" mode="assign" binding="strong">{names}</edit>{weight}</match>')
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    + "\n".join(rules)
                    + '\n<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n',
                    encoding="utf-8")
    return path


def convert(files: list[Path], timeout: float | None = None) -> list[Path]:
    """Convert ``files`` (.docx) to PDF beside them, atomically; return the PDF paths.

    Raises OutputError when LibreOffice is absent, fails, or leaves a file unconverted."""
    from sheetkit.outputs import atomic_path

    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise OutputError("未找到 LibreOffice（soffice），无法生成 PDF：请安装 LibreOffice，或去掉 --pdf 选项")
    files = [Path(f).resolve() for f in files]
    out = []
    with tempfile.TemporaryDirectory(prefix="sheetkit-soffice-") as tmp:
        tmp = Path(tmp)
        profile, pdf_dir = tmp / "profile", tmp / "pdf"
        pdf_dir.mkdir()
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(tmp / "fonts.conf")), HOME=str(tmp))
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, files)]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                  timeout=timeout or 120 + 5 * len(files))
        except subprocess.TimeoutExpired as exc:
            raise OutputError(f"LibreOffice 转换 PDF 超时（{len(files)} 个文件）") from exc
        for f in files:
            pdf = pdf_dir / (f.stem + ".pdf")
            if not pdf.exists():
                detail = (proc.stderr or proc.stdout or "").strip().splitlines()[-1:] or [f"退出码 {proc.returncode}"]
                raise OutputError(f"LibreOffice 未能把“{f.name}”转换为 PDF：{detail[0]}")
            target = f.with_suffix(".pdf")
            with atomic_path(target) as t:
                shutil.move(str(pdf), str(t))
            out.append(target)
    return out
