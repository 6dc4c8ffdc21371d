"""PDF copies of letters: one headless LibreOffice call for the whole batch.

LibreOffice runs with a throw-away user profile (`-env:UserInstallation`), so it works
while staff have LibreOffice open and leaves their settings alone, and with a fontconfig
file that maps the template's Chinese faces to the fonts present on the machine:
方正小标宋简体 → FZXiaoBiaoSong-B05S, else FandolSong Bold, else Noto Serif CJK SC Bold;
仿宋_GB2312 → FangSong, else FandolFang, else Noto Serif CJK SC; 黑体 → SimHei, else
FandolHei, else Noto Sans CJK SC; 宋体 → SimSun, else FandolSong, else Noto Serif CJK SC.
Where the real faces are installed they are used; `substitutions` names the face each
missing one is set in (printed on stderr).

FandolSong-Bold.otf says weight 400 (Regular) in its OS/2 table, so LibreOffice, which
picks a face by family and weight, never uses it (asking for FandolSong bold gives the
Regular face). The fontconfig file therefore links it into a folder of its own, under the
family name "FandolSong Bold" (a scan-time edit: a new folder is scanned, not read from
a system cache), and maps 方正小标宋简体 to that family: the PDF's title is set in the
Bold face. The .docx is unchanged (方正小标宋简体, not bold, for Word and WPS). The Fandol fonts (free, from CTAN) come with
Debian's texlive-lang-chinese, which keeps them outside fontconfig's folders: the
fontconfig file adds their folder when it exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sheetkit.errors import OutputError

BOLD_SONG = "FandolSong Bold"  # the family name given to FandolSong-Bold.otf (see above)
FONT_MAP = (
    ("方正小标宋简体", ("方正小标宋简体", "FZXiaoBiaoSong-B05S", BOLD_SONG, "FandolSong", "Noto Serif CJK SC",
                  "Source Han Serif SC"), True),
    ("仿宋_GB2312", ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "FandolFang", "Noto Serif CJK SC",
                   "Source Han Serif SC"), False),
    ("仿宋", ("仿宋", "FangSong", "FandolFang", "Noto Serif CJK SC", "Source Han Serif SC"), False),
    ("黑体", ("黑体", "SimHei", "FandolHei", "Noto Sans CJK SC", "Source Han Sans SC"), False),
    ("宋体", ("宋体", "SimSun", "FandolSong", "Noto Serif CJK SC", "Source Han Serif SC"), False),
    ("Times New Roman", ("Times New Roman", "Liberation Serif", "DejaVu Serif"), False),
)
EXTRA_FONT_DIRS = ("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",  # Debian texlive-lang-chinese
                   "/usr/share/fonts/opentype/fandol")


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _link(target: Path, link: Path) -> None:
    """``link`` → ``target``: a symbolic link, else (a system without them) a copy."""
    try:
        link.symlink_to(target)
    except OSError:
        shutil.copyfile(target, link)


def fontconfig(path: Path) -> Path:
    """A fontconfig file: the system configuration plus the Chinese face fallbacks."""
    rules = []
    for family, prefer, bold in FONT_MAP:
        names = "".join(f"<string>{n}</string>" for n in prefer)
        weight = ('<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
                  if bold else "")
        rules.append(f'<match target="pattern"><test name="family"><string>{family}</string></test>'
                     f'<edit name="family" mode="assign" binding="strong">{names}</edit>{weight}</match>')
    dirs = [f"<dir>{d}</dir>" for d in EXTRA_FONT_DIRS if Path(d).is_dir()]
    bold = next((Path(d) / "FandolSong-Bold.otf" for d in EXTRA_FONT_DIRS
                 if (Path(d) / "FandolSong-Bold.otf").is_file()), None)
    if bold is not None:
        own = path.parent / "bold-song"
        own.mkdir(exist_ok=True)
        link = own / bold.name
        if not link.exists():
            _link(bold, link)
        dirs += [f"<dir>{own}</dir>", f"<cachedir>{path.parent / 'fc-cache'}</cachedir>"]
        rules.append(f'<match target="scan"><test name="file"><string>{link}</string></test>'
                     f'<edit name="family" mode="assign" binding="strong"><string>{BOLD_SONG}</string></edit>'
                     '<edit name="weight" mode="assign"><const>bold</const></edit></match>')
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    + "\n".join(dirs + rules)
                    + '\n<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n',
                    encoding="utf-8")
    return path


def installed_families(config: Path) -> set[str] | None:
    """The font families fontconfig knows under ``config`` (None when fc-list is absent)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    env = dict(os.environ, FONTCONFIG_FILE=str(config))
    try:
        out = subprocess.run([fc_list, ":", "family"], env=env, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def substitutions(config: Path, used=("方正小标宋简体", "仿宋_GB2312", "黑体")) -> list[str]:
    """One line per face of the templates that is not installed, naming the face the PDF
    uses instead."""
    families = installed_families(config)
    if families is None:
        return []
    notes = []
    for family, prefer, _ in FONT_MAP:
        if family not in used or family in families:
            continue
        face = next((name for name in prefer if name in families), None)
        notes.append(f"PDF 中“{family}”未安装，以“{face}”代替" if face else
                     f"PDF 中“{family}”及其替代字体都未安装，由 LibreOffice 自选字体（安装 texlive-lang-chinese 或 fonts-noto-cjk）")
    return notes


def convert(files: list[Path], timeout: float | None = None, notes: list[str] | None = None) -> list[Path]:
    """Convert ``files`` (.docx) to PDF beside them, atomically; return the PDF paths.

    Raises OutputError when LibreOffice is absent, fails, or leaves a file unconverted.
    ``notes`` receives the font substitutions (see `substitutions`)."""
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
        config = fontconfig(tmp / "fonts.conf")
        env = dict(os.environ, FONTCONFIG_FILE=str(config), HOME=str(tmp))
        if notes is not None:
            notes.extend(substitutions(config))
        # LibreOffice names each PDF after its input: links with distinct names keep two
        # inputs of the same name (from two folders) apart
        links = tmp / "in"
        links.mkdir()
        sources = [links / f"{k}.docx" for k in range(len(files))]
        for f, link in zip(files, sources):
            _link(f, link)
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, sources)]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                  timeout=timeout or 120 + 5 * len(files))
        except subprocess.TimeoutExpired as exc:
            raise OutputError(f"LibreOffice 转换 PDF 超时（{len(files)} 个文件）") from exc
        for f, source in zip(files, sources):
            pdf = pdf_dir / (source.stem + ".pdf")
            if not pdf.exists():
                detail = (proc.stderr or proc.stdout or "").strip().splitlines()[-1:] or [f"退出码 {proc.returncode}"]
                raise OutputError(f"LibreOffice 未能把“{f.name}”转换为 PDF：{detail[0]}")
            target = f.with_suffix(".pdf")
            with atomic_path(target) as t:
                shutil.move(str(pdf), str(t))
            out.append(target)
    return out
