"""The letter fields that come from the profile, not from the register: the document the
letters cite as their basis and the province's website (鲁人社函〔2025〕23号 附件2/3/7:
「根据…（鲁人社字〔2023〕22号）等文件要求」, 「以山东省技能人才评价工作网公布情况为准」).

`profile_fields(profile)` is merged into every letter's context; the built-in templates
use ``{{ policy_basis }}`` and ``{{ website }}`` instead of Shandong's text.
`require_templates(kind, profile, templates)` stops a run whose profile's notice ships no
template of ``kind`` when no ``--templates`` folder is given.
"""

from __future__ import annotations

# Built from the profile's own notice (the coverage map), not Shandong's wording: every profile.
ANY_PROFILE = frozenset({"checklist"})


def profile_fields(profile) -> dict:
    """``policy_basis`` and ``website`` of ``profile`` (a Profile)."""
    return {"policy_basis": profile.basis, "website": profile.website}


def require_templates(kind: str, profile, templates) -> None:
    """A UsageError when ``profile``'s notice has no built-in template of ``kind`` and the
    ``templates`` folder (if any) has no ``<kind>.docx`` either."""
    from pathlib import Path

    if kind in profile.letter_templates or kind in ANY_PROFILE:
        return
    if templates is not None and (Path(templates) / f"{kind}.docx").is_file():
        return
    from sheetkit.errors import UsageError
    from sheetkit.documents import KIND_ZH

    where = (f"模板文件夹“{templates}”中没有 {kind}.docx" if templates is not None
             else "未用 --templates 指定本省模板")
    raise UsageError(f"{profile.document}未附{KIND_ZH.get(kind, kind)}模板，内置模板是山东省鲁人社函〔2025〕23号的格式，"
                     f"不能用于 {profile.id}（{where}）：请把本省的模板存为 {kind}.docx 放在一个文件夹中，"
                     "用 --templates 文件夹 指定，并先用 sheetkit templates check 文件夹 检查")
