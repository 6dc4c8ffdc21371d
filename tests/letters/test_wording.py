"""The letters reproduce the wording of 鲁人社函〔2025〕23号 附件2/3/6/7/8 exactly: every
piece of fixed text in a template stands in the seed, and a rendered letter reads as the
template's sentence with the blanks filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sheetkit.letters.context import KINDS
from sheetkit.letters.render import docx_text

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "seeds" / "003_8e32365238ea3c21.txt"  # 鲁人社函〔2025〕23号, a copy of shared/seeds
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
PAGE_NUMBER = re.compile(r"(—\d+—)+")
# Deliberate departures from the notice's text: the adjust letter drops 备注 2, the
# notice's instruction to the drafter (「“调整情况”栏写明…」), and with it item 1's number.
# The website between the two halves is the profile's (`{{ website }}`).
# 附件5's two parenthesised notes are set with full-width brackets (the seed's text
# extraction has half-width ones there only).
EDITS = {"备注：调整专项职业能力考核项目范围以": "备注：1.调整专项职业能力考核项目范围以",
         "（证明材料附后）": "(证明材料附后)", "（银行资信证明、信用报告附后）": "(银行资信证明、信用报告附后)"}
# The checklist's fixed text is sheetkit's form (headings, legend, signatures); its lines
# are the notice's wording, from the coverage map (tests/letters/test_checklist.py).
NOTICE_TEXT_KINDS = [k for k in KINDS if k != "checklist"]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", NOTICE_TEXT_KINDS)
def test_every_fixed_text_of_the_template_is_in_the_notice(kind):
    seed = _squeeze(SEED.read_text(encoding="utf-8"))
    text = docx_text((ROOT / "src" / "sheetkit" / "templates" / f"{kind}.docx").read_bytes())
    pieces = [_squeeze(p) for line in text.splitlines() for p in TAG.split(line)]
    pieces = [EDITS.get(p, p) for p in pieces if p and not PAGE_NUMBER.fullmatch(p)]
    assert len(pieces) >= 5
    assert [p for p in pieces if p not in seed] == []


def test_filing_letter_sentence_with_blanks_filled(tmp_path):
    from builders import AS_OF, write_register
    from letters_fixture import letters_register

    from sheetkit.letters import render_letters

    path = write_register(tmp_path / "r.xlsx", letters_register())
    result = render_letters([path], "filing", tmp_path / "out", as_of=AS_OF)
    text = _squeeze(docx_text(Path(result.generated[0]["path"]).read_bytes()))
    assert ("经评估，同意你单位面向社会开展专项职业能力考核工作。机构代码为SD2026001，"
            "有效期3年（自2026年12月至2029年11月）。") in text
    assert "按照“谁考核、谁发证、谁负责”原则，请你单位严格依据相关政策规定，规范开展专项职业能力考核工作。" in text
    assert "XXXX" not in text and "20XX" not in text


def test_the_adjust_letter_has_no_instruction_to_the_drafter():
    text = docx_text((ROOT / "src" / "sheetkit" / "templates" / "adjust.docx").read_bytes())
    assert "栏写明" not in text and "备注：调整专项职业能力考核项目范围" in text
