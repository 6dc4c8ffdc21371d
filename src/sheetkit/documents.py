"""The kinds of document sheetkit writes for an institution, and their Chinese names:
one definition, read by the assessment (which documents are due), the letters and the
command line (a leaf module, so `sheetkit --help` need not import pandas for it)."""

KINDS = ("filing", "adjust", "renewal", "revoke", "feedback", "checklist", "application")
KIND_ZH = {
    "filing": "备案回执", "adjust": "范围调整回执", "renewal": "备案续期回执",
    "revoke": "撤销备案函", "feedback": "续期评估组意见反馈表",
    "checklist": "遴选评估核查表", "application": "备案续期申请表",
}
# The reason a 已备案 institution with a 撤销 row gets no receipt beside its 撤销 letter: a
# letters.* reason that is listed by name, not counted among those the letter does not concern.
REVOKED = "letters.revoked"


def not_concerned(skipped: dict) -> bool:
    """Whether a letter was not made only because it does not concern the institution
    (its 备案状态, no change, no scores: ``letters.*`` reasons, 撤销 aside). `sheetkit
    letters` and the page count these in one line and list the rest (a skip record of
    `letters.json`: its ``reasons`` are rule ids)."""
    return all(r.startswith("letters.") and r != REVOKED for r in skipped.get("reasons") or [])
