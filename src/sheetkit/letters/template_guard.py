"""Checking a letter template's package before it is opened — the same checks for
`letters` and `templates check` (a template may come from anyone's Word).

Refused: a file that is not a zip, or larger than `MAX_TEMPLATE_BYTES`; more than
`MAX_PARTS` parts; a part larger than `MAX_PART_BYTES` decompressed (all together
`MAX_TOTAL_BYTES`), or compressing more than `MAX_RATIO`× (a bomb); an XML part with a
DTD or entity declaration (XXE); any relationship to something outside the package — an
attached template at http://…, an image linked to file:///etc/passwd, a UNC path \\\\host\\
— except a hyperlink to http(s) or mailto, which Word follows only when clicked; an
internal target leaving the package (``../``). Otherwise it would be copied into every
letter, and Word would fetch it when the letter is opened.
"""

from __future__ import annotations

import io
import re
import zipfile

MAX_TEMPLATE_BYTES = 20 << 20
MAX_PARTS = 1_000
MAX_PART_BYTES = 32 << 20
MAX_TOTAL_BYTES = 64 << 20
MAX_RATIO = 100  # for parts above 1 MiB
_HYPERLINK = "/hyperlink"
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.I)


def check_package(data: bytes) -> list[str]:
    """What makes the template's .docx package unusable (Chinese), or an empty list."""
    if len(data) > MAX_TEMPLATE_BYTES:
        return [f"文件过大（{len(data) >> 20} MB，上限 {MAX_TEMPLATE_BYTES >> 20} MB）"]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return ["不是有效的 .docx 文件"]
    problems: list[str] = []
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            return [f"内部部件过多（{len(infos)} 个，上限 {MAX_PARTS}）"]
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            return [f"解压后过大（{total >> 20} MB，上限 {MAX_TOTAL_BYTES >> 20} MB）"]
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                problems.append(f"内部文件 {info.filename} 过大（{info.file_size >> 20} MB，上限 {MAX_PART_BYTES >> 20} MB）")
            elif info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                problems.append(f"内部文件 {info.filename} 的压缩比异常，可能是“压缩炸弹”")
        if problems:
            return problems
        for info in infos:
            name = info.filename
            if not name.lower().endswith((".xml", ".rels")):
                continue
            try:
                body = zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                problems.append(f"内部文件 {name} 已损坏（{exc}）")
                continue
            if b"<!DOCTYPE" in body[:4096] or b"<!ENTITY" in body[:4096]:
                problems.append(f"内部文件 {name} 含有 DTD 或实体声明（可能是 XML 外部实体攻击），已拒绝")
                continue
            if name.lower().endswith(".rels"):
                problems.extend(_relationships(name, body))
    return problems


def _relationships(name: str, body: bytes) -> list[str]:
    from defusedxml import ElementTree as SafeET

    try:
        root = SafeET.fromstring(body)
    except Exception:  # malformed or a DTD
        return [f"关系文件 {name} 无法解析，已拒绝"]
    out = []
    for rel in root:
        target = rel.get("Target") or ""
        kind = rel.get("Type") or ""
        external = (rel.get("TargetMode") or "").lower() == "external"
        if external:
            if kind.endswith(_HYPERLINK) and _SAFE_LINK.match(target.strip()):
                continue
            what = kind.rsplit("/", 1)[-1] or "关系"
            out.append(f"引用了模板之外的资源（{what}：{target[:80]}），打开文书时 Word 会去读取它，已拒绝；"
                       "请在 Word 中删除该链接（或改为嵌入）后另存")
        elif target.startswith(("\\\\", "//")) or re.match(r"^[a-z]+:", target, re.I) or _leaves(name, target):
            out.append(f"内部引用指向文件之外（{target[:80]}），已拒绝")
    return out


def _leaves(rels_name: str, target: str) -> bool:
    """Whether an internal target climbs out of the package (``word/_rels/x.rels`` is about
    ``word/x``: ``../customXml/item1.xml`` is inside, ``../../etc/passwd`` is not)."""
    if target.startswith("/"):
        parts: list[str] = []
    else:
        parts = rels_name.split("/")[:-2]  # the folder of the part the relationships belong to
    for piece in target.replace("\\", "/").split("/"):
        if piece == "..":
            if not parts:
                return True
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return False
