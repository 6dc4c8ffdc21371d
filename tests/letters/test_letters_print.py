"""The letters as printed: LibreOffice renders them and the PDF is read back with poppler
(`pdftotext -bbox-layout`, word boxes in points). One LibreOffice call for the module."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import AS_OF, write_register
from letters_fixture import letters_register
from lxml import etree

from sheetkit import render_letters
from sheetkit.letters.pdf import find_soffice

pytestmark = pytest.mark.libreoffice

PAGE_W = 595.3
LEFT, RIGHT = 28 / 25.4 * 72, PAGE_W - 26 / 25.4 * 72  # the 版心's edges
CHAR = 15.75  # a body character (三号 set 0.25 pt closer)
LONG = "济南市历下区某某某某职业技能培训学校"  # 18 characters: the title needs three lines
MID = "济南市历下区鲁匠职业培训学校"
LATIN_METRICS = any(shutil.which(t) for t in ("fc-list",)) and b"Liberation Serif" in subprocess.run(
    ["fc-list", ":", "family"], capture_output=True).stdout if shutil.which("fc-list") else False


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if find_soffice() is None or not shutil.which("pdftotext"):
        pytest.skip("needs LibreOffice (soffice) and poppler-utils (pdftotext)")
    tmp = tmp_path_factory.mktemp("print")
    sheets = letters_register()
    sheets["机构"][0]["机构名称"] = LONG
    sheets["机构"][1].update(机构名称=MID, 信用状况="良好")
    path = write_register(tmp / "r.xlsx", sheets)
    result = render_letters([path], "filing", tmp / "out", as_of=AS_OF, pdf=True, combined=True,
                            number="临人社函〔2026〕{n}号", number_start=15)
    assert len(result.generated) == 2
    return {g["name"]: pages(g["pdf"]) for g in result.generated} | {"combined": pages(result.combined.with_suffix(".pdf"))}


def pages(pdf) -> list[list[tuple[str, float, float, float]]]:
    """Per page, its lines: (text, xMin, xMax, yMin)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.HTMLParser(encoding="utf-8"))
    out = []
    for page in root.iter("page"):
        lines = []
        for line in page.iter("line"):
            words = list(line.iter("word"))
            text = "".join(w.text or "" for w in words)
            lines.append((text, float(line.get("xmin")), float(line.get("xmax")), float(line.get("ymin"))))
        out.append(lines)
    return out


def chars(text: str) -> float:
    """Characters on a line: a Latin digit ½, with ¼ between Chinese and Latin text."""
    latin = [ch.isascii() for ch in text]
    return sum(0.5 if x else 1 for x in latin) + 0.25 * sum(a != b for a, b in zip(latin, latin[1:]))


def test_body_lines_hold_28_characters_22_to_a_page(printed):
    first = printed[MID][0]
    full = [t for t, x0, x1, _ in first if abs(x0 - LEFT) < 2 and abs(x1 - RIGHT) < 2 and not t.startswith("附件")]
    assert len(full) >= 3, first
    # The line that ends with 〔2023〕22 holds half-width marks: test_no_full_body_line_is_spread
    for text in full:
        assert 27.5 <= chars(text) <= 28.5 or "〔2023〕" in text, (text, chars(text))
    assert len([t for t in full if 27.5 <= chars(t) <= 28.5]) >= 2
    body = [y for t, x0, _, y in first if abs(x0 - LEFT) < 2 or abs(x0 - LEFT - 2 * CHAR) < 3]
    steps = [b - a for a, b in zip(body, body[1:]) if b - a < 40]
    # 225 mm / 22 lines = 28.95 pt (a line's box moves by a point with digits in it)
    assert len(steps) >= 6 and all(abs(s - 28.95) < 1 for s in steps), steps
    assert abs(sum(steps) / len(steps) - 28.95) < 0.2, steps


def test_titles_break_where_the_meaning_stays_whole(printed):
    for name, tail in ((LONG, "开展专项职业能力考核工作的函"), (MID, "开展专项职业能力考核工作的函")):
        lines = [t for t, *_ in printed[name][0]]
        title = "关于同意" + name + tail
        k = next(i for i, t in enumerate(lines) if t.startswith("关于"))
        got = []
        while "".join(got) != title:
            got.append(lines[k + len(got)])
            assert len(got) <= 3, got
        breaks = [sum(len(x) for x in got[:i]) for i in range(1, len(got))]
        start = title.index(name)
        assert not [b for b in breaks if start < b < start + len(name)], got
        for word in ("专项职业能力", "开展", "考核工作"):
            at = title.index(word, start + len(name))
            assert not [b for b in breaks if at < b < at + len(word)], got
        assert got[-1] == tail  # after the name, before 开展
    attachment = [t for t, *_ in printed[LONG][1]]
    assert LONG in attachment and "开展专项职业能力考核项目范围" in attachment


def test_number_at_the_right_edge_and_date_four_characters_in(printed):
    first = printed[MID][0]
    number = [(t, x1) for t, _, x1, _ in first if t.startswith("临人社函")]
    assert number and re.fullmatch(r"临人社函〔2026〕1[56]号", number[0][0]), first
    assert abs(number[0][1] - RIGHT) < 2
    date = [(x0, x1) for t, x0, x1, _ in first if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t)]
    assert date, first
    x0, x1 = date[0]
    assert abs((RIGHT - x1) - 4 * CHAR) < CHAR / 4, RIGHT - x1
    if not LATIN_METRICS:
        return  # the issuer is centred on Times New Roman's digits, which only Liberation Serif matches
    issuer = [(a, b) for t, a, b, _ in first if t == "济南市人力资源和社会保障局"]
    assert issuer and abs((issuer[0][0] + issuer[0][1]) / 2 - (x0 + x1) / 2) < CHAR / 2  # centred over it


def test_page_one_has_no_number_and_every_letter_starts_on_an_odd_page(printed):
    assert not [t for t, *_ in printed[MID][0] if re.fullmatch(r"—\d+—", t)]
    assert [t for t, *_ in printed[MID][1] if t == "—2—"]
    combined = printed["combined"]
    starts = [i for i, page in enumerate(combined) if any(t.startswith("临人社函") for t, *_ in page)]
    assert len(starts) == 2 and all(i % 2 == 0 for i in starts), starts  # 0-based: pages 1, 3, …


# ------------------------------------------------------------ full lines are never spread

BASIS = "《山东省人力资源和社会保障厅关于印发〈山东省专项职业能力考核社会化改革试点方案〉的通知》（鲁人社字〔2023〕22号）"
# The profile's basis as shipped, and moved on by two and five characters (the unit 〔2023〕22
# then falls at other places: at a line's end in the renewal letter, or mid-line).
BASES = {"shipped": BASIS, "two": "省厅" + BASIS, "five": "省厅印发的" + BASIS}
NAMES = {"shipped": (LONG, MID), "two": ("泉安公司", "济南第1职业技能培训学校"),
         "five": ("青岛市城阳区颐康职业培训学校", "A&B（济南）Training有限公司")}
TIMES = {"_": 500, "Q": 722, "D": 722, "J": 389, "N": 722, "&": 778, "A": 722, "B": 667, "T": 611,
         "r": 333, "a": 444, "i": 278, "n": 500, "g": 500}  # Times New Roman, per 1000 em
HALF = 8.0  # a mark set at 50 % of 16 pt


@pytest.fixture(scope="module")
def lined(tmp_path_factory):
    """Filing, adjust and renewal letters for each basis, their PDFs made in one call:
    {(basis, kind, name): (pdf lines of page 1, body paragraphs of the .docx)}."""
    if find_soffice() is None or not shutil.which("pdftotext"):
        pytest.skip("needs LibreOffice (soffice) and poppler-utils (pdftotext)")
    from sheetkit.letters.pdf import convert

    tmp = tmp_path_factory.mktemp("lines")
    docs = {}
    for key, basis in BASES.items():
        profile = tmp / f"{key}.toml"
        profile.write_text(f'extends = "shandong-2025"\nbasis = "{basis}"\n', encoding="utf-8")
        sheets = letters_register()
        sheets["机构"][0]["机构名称"] = NAMES[key][0]
        sheets["机构"][1].update(机构名称=NAMES[key][1], 信用状况="良好")
        path = write_register(tmp / f"{key}.xlsx", sheets)
        for kind in ("filing", "adjust", "renewal"):
            result = render_letters([path], kind, tmp / key / kind, profile=str(profile), as_of=AS_OF)
            for g in result.generated:
                docs[(key, kind, g["name"])] = Path(g["path"])
    pdfs = dict(zip(docs, convert(list(docs.values()))))
    return {k: (pages(pdfs[k])[0], body_paragraphs(docs[k])) for k in docs}


def body_paragraphs(docx) -> list[tuple[str, set[int]]]:
    """The 公文正文 paragraphs of a letter: (text, indices of characters set at w:w 50)."""
    from docx import Document

    out = []
    for p in Document(str(docx)).paragraphs:
        if p.style.name != "公文正文":
            continue
        text, halves = "", set()
        for r in p.runs:
            w = r._r.find(f"{{{W}}}rPr/{{{W}}}w")
            if w is not None:
                assert w.get(f"{{{W}}}val") == "50" and len(r.text) == 1, r.text
                halves.add(len(text))
            text += r.text
        out.append((text, halves))
    return out


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def natural(text: str, halves: int) -> float:
    """Width in pt of ``text`` set without justification: a Chinese character or mark
    15.75, a half-width one 8, Times New Roman for Latin (0.25 closer), 3.5 between an
    ideograph and Latin text (LibreOffice's autospace)."""
    import unicodedata

    def ideograph(ch):
        return not ch.isascii() and unicodedata.category(ch) == "Lo"

    width = sum(TIMES.get(ch, 500) * 16 / 1000 - 0.25 if ch.isascii() else CHAR for ch in text)
    width -= halves * (CHAR - HALF)
    gaps = sum(1 for a, b in zip(text, text[1:])
               if (ideograph(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and ideograph(b)))
    return width + 3.5 * gaps


def test_no_full_body_line_is_spread(lined):
    """GB/T 9704 28 characters a line: where 〔2023〕22 cannot end a line, LibreOffice left
    25 characters spread over the line (about 17.7 pt apart). Now the marks of that line
    are set half-width so the unit ends it; a full line is spread only as any justified
    line with digits is (less than 0.75 pt between characters)."""
    checked = 0
    for key, (lines, paragraphs) in lined.items():
        body = "".join(t for t, _ in paragraphs)
        halves = {i + sum(len(t) for t, _ in paragraphs[:k]) for k, (_, hs) in enumerate(paragraphs) for i in hs}
        ends = {sum(len(t) for t, _ in paragraphs[:k + 1]) for k in range(len(paragraphs))}
        cursor = 0
        for text, x0, x1, _ in lines:
            at = body.find(text, cursor)
            if not text or at < 0:
                continue
            cursor = at + len(text)
            full = abs(x1 - RIGHT) < 2 and (abs(x0 - LEFT) < 2 or abs(x0 - LEFT - 2 * 16) < 2)
            if not full or cursor in ends:  # a paragraph's last line is not justified
                continue
            n = sum(1 for i in range(at, cursor) if i in halves)
            spread = (x1 - x0) - natural(text, n)
            assert -1.5 < spread < 0.75 * (len(text) - 1), (key, text, round(spread, 1))
            checked += 1
    assert checked >= 3 * len(lined)


def test_the_citation_ends_its_line_in_the_sample_wording(lined):
    for key in ("shipped", "two"):
        for (k, kind, _), (lines, paragraphs) in lined.items():
            if k != key:
                continue
            texts = [t for t, *_ in lines]
            # pushed to a line's start only when the line before holds 27 (then no mark can
            # make room for 〔2023〕22 and the line is spread by 0.6 pt a character)
            for i, t in enumerate(texts):
                if t.startswith("〔2023〕"):
                    assert chars(texts[i - 1]) >= 27, (key, kind, texts[i - 1])
            halves = [t[i] for t, hs in paragraphs for i in sorted(hs)]
            if key == "shipped" and kind in ("filing", "adjust"):
                assert any(t.endswith("（鲁人社字〔2023〕22") for t in texts), texts
                assert halves == ["》", "（", "〔", "〕"], halves
            if key == "two" and kind == "renewal":
                assert halves == ["〔", "〕"], halves
