"""Official letters from a validated register (SPEC §3): `render_letters`.

    from sheetkit import render_letters
    result = render_letters(["workbooks/"], "filing", "out/letters", as_of=date(2026, 11, 22))
    result.generated, result.skipped

`context` decides who gets a letter and fills its fields (pure), `render` fills the
.docx templates (docxtpl), `pdf` converts with LibreOffice, `manifest` records the run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sheetkit.errors import OutputError, TemplateError, UsageError
from sheetkit.outputs import safe_name
from sheetkit.documents import KIND_ZH
from sheetkit.letters.context import KINDS, Letter

__all__ = ["render_letters", "LettersResult", "KINDS", "template_path", "safe_filename"]

MANIFEST_JSON = "letters.json"
MANIFEST_XLSX = "letters.xlsx"
NAME_LIMIT = 40
UNNUMBERED = ("feedback", "checklist", "application")  # forms, not letters: no 发文字号


@dataclass
class LettersResult:
    kind: str
    out_dir: Path
    generated: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    combined: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    unread: list = field(default_factory=list)  # Findings about files that could not be read
    needs_code: list[dict] = field(default_factory=list)  # letters printed with 机构代码 blank

    def to_dict(self) -> dict:
        return {"kind": self.kind, "generated": self.generated, "skipped": self.skipped, "warnings": self.warnings,
                "unreadable": [{"path": f.path, "rule": f.rule, "message": f.message} for f in self.unread]}


def builtin_templates() -> Path:
    from importlib.resources import files

    return Path(str(files("sheetkit") / "templates"))


def template_path(kind: str, templates: str | Path | None = None) -> tuple[Path, str | None]:
    """The template of ``kind``: ``templates/<kind>.docx`` when given and present, else the
    built-in one (with a note saying so)."""
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise UsageError(f"模板文件夹“{folder}”不存在")
        own = folder / f"{kind}.docx"
        if own.is_file():
            return own, None
        builtin = builtin_templates() / f"{kind}.docx"
        return builtin, f"模板文件夹“{folder}”中没有 {kind}.docx，使用内置模板"
    builtin = builtin_templates() / f"{kind}.docx"
    if not builtin.is_file():
        raise TemplateError(f"找不到内置模板 {kind}.docx（安装不完整？）")
    return builtin, None


def safe_filename(kind: str, uscc: str | None, name: str | None) -> str:
    """`filing_913701…_济南某某学校.docx`: the institution name without path separators,
    control characters, `..` or characters Windows refuses, at most 40 characters."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    text = re.sub(r"\s+", "", text).replace("..", "_")
    text = safe_name(text, NAME_LIMIT, "机构", strip="._ ")
    code = re.sub(r"[^0-9A-Za-z]", "", uscc or "") or "无代码"
    return f"{kind}_{code}_{text}.docx"


def render_letters(source, kind: str, out_dir: str | Path, *, profile=None, as_of: dt.date | None = None,
                   only=(), city: str | None = None, date: dt.date | None = None, issuer: str | None = None,
                   templates: str | Path | None = None, combined: bool = False, pdf: bool = False,
                   force: bool = False, progress=None, number: str | None = None,
                   number_start: int = 1, within: int | None = None) -> LettersResult:
    """Validate ``source`` (paths, or an Assessment already made) and write the letters
    of ``kind`` to ``out_dir`` for the institutions that qualify; list the others.

    An existing letter with the same text is left alone; one whose text differs is an
    OutputError unless ``force``. Nothing is written when that happens.

    ``number`` (e.g. 临人社函〔2026〕{n}号) numbers the letters from ``number_start`` in
    the manifest's order (`letters.numbering`). ``within`` (days) is for the renewal
    application form (附件5): the institutions whose period ends within it (default: the
    profile's ``due_within_days``)."""
    from sheetkit.letters import context as lc
    from sheetkit.letters.manifest import write_json, write_xlsx
    from sheetkit.letters.render import LetterTemplate, docx_text
    from sheetkit.assessment import Assessment
    from sheetkit.outputs import atomic_path, refuse_inputs

    if kind not in KINDS:
        raise UsageError(f"未知的文书类型“{kind}”，可选：{'、'.join(KINDS)}")
    if number is not None:
        from sheetkit.letters import numbering

        if kind in UNNUMBERED:
            raise UsageError(f"{KIND_ZH[kind]}不编发文字号：{kind} 不能与 --number 同用")
        numbering.check(number, number_start)
    if isinstance(source, Assessment):
        assessment = source
    else:
        from sheetkit.engine import validate

        paths = [source] if isinstance(source, (str, Path)) else list(source)
        assessment = validate(paths, profile=profile, as_of=as_of, progress=progress)
    from sheetkit.letters.fields import profile_fields, require_templates

    require_templates(kind, assessment.profile, templates)

    issuer = lc.text(issuer)  # else the 设置 of each institution's workbook, else its city bureau
    path, note = template_path(kind, templates)
    result = LettersResult(kind, Path(out_dir), unread=assessment.unread_files())
    if note:
        result.warnings.append(note)

    letters, skipped = lc.plan(assessment, kind, issuer=issuer, date=date, only=only, city=city, within=within)
    for letter in letters:
        letter.context.update(profile_fields(assessment.profile))
    tpl = LetterTemplate(path, label=path.name)
    if number is not None:
        numbering.assign(letters, number, number_start)

    out = Path(out_dir)
    rendered: list[tuple[Letter, Path, dict, bytes]] = []
    used: set[str] = set()
    rendered_parts = tpl.render_many([letter.context for letter in letters])  # under a time/memory budget
    for letter, parts in zip(letters, rendered_parts):
        result.warnings.extend(letter.warnings)
        filename = safe_filename(kind, letter.uscc, letter.name)
        n = 2
        while filename in used:
            filename = re.sub(r"(_\d+)?\.docx$", f"_{n}.docx", filename)
            n += 1
        used.add(filename)
        rendered.append((letter, out / filename, parts, tpl.package(parts)))

    targets = [t for _, t, _, _ in rendered] + [out / MANIFEST_JSON, out / MANIFEST_XLSX]
    if combined:
        targets.append(out / f"{kind}_合并打印.docx")
    if pdf:
        targets += [t.with_suffix(".pdf") for t in targets if t.suffix == ".docx"]
    refuse_inputs(targets, assessment.register.workbooks)  # never onto an input, whatever --force says

    prints_code = "code" in tpl.variables()
    conflicts, same = [], set()
    for letter, target, _, data in rendered:
        if target.exists():
            try:
                identical = docx_text(target.read_bytes()) == docx_text(data)
            except Exception:  # an unreadable file is not identical
                identical = False
            if identical and not force:
                same.add(target)
            elif not identical and not force:
                conflicts.append(target)
    if conflicts:
        names = "、".join(p.name for p in conflicts[:5]) + (f" 等{len(conflicts)}个文件" if len(conflicts) > 5 else "")
        raise OutputError(f"已存在内容不同的文书：{names}。确认要覆盖请加 --force")

    for letter, target, _, data in rendered:
        if target in same:
            result.unchanged.append(target)
            status = "unchanged"
        else:
            with atomic_path(target) as tmp:
                tmp.write_bytes(data)
            result.written.append(target)
            status = "written"
        c = letter.context
        result.generated.append({
            "institution": letter.uscc, "name": letter.name, "kind": kind, "path": str(target),
            "code": letter.code, "city": letter.city, "period": letter.period,
            "issuer": c.get("issuer"), "issuer_source": lc.ISSUER_SOURCE_ZH.get(c.get("issuer_source")),
            "date": c.get("date"), "status": status,
            "number": c.get("number") or None, "needs": ["机构代码"] if not letter.code and prints_code else [],
        })
        if not letter.code and prints_code:
            result.needs_code.append(result.generated[-1])
    result.skipped = [{**s.to_dict(), "kind": kind} for s in skipped]

    if combined and rendered:
        result.combined = out / f"{kind}_合并打印.docx"
        with atomic_path(result.combined) as tmp:
            tmp.write_bytes(tpl.combine([parts for _, _, parts, _ in rendered]))

    if pdf and rendered:
        from sheetkit.letters.pdf import convert

        todo = [t for _, t, _, _ in rendered if t not in same or not t.with_suffix(".pdf").exists()]
        if result.combined:
            todo.append(result.combined)
        result.pdfs = convert(todo, notes=result.warnings)
        for g in result.generated:
            g["pdf"] = str(Path(g["path"]).with_suffix(".pdf"))

    out.mkdir(parents=True, exist_ok=True)
    manifest = _merged_manifest(out / MANIFEST_JSON, result)
    write_json(out / MANIFEST_JSON, manifest)
    write_xlsx(out / MANIFEST_XLSX, manifest)
    return result


def _merged_manifest(path: Path, result: LettersResult) -> dict:
    """This run's entries, plus those of other kinds from an earlier run into the same
    folder (so `letters.json` lists every letter in the folder)."""
    generated, skipped = [], []
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            generated = [g for g in old.get("generated", []) if g.get("kind") != result.kind]
            skipped = [s for s in old.get("skipped", []) if s.get("kind") != result.kind]
        except (ValueError, AttributeError, TypeError):
            pass
    return {"generated": generated + result.generated, "skipped": skipped + result.skipped,
            "warnings": result.warnings}



