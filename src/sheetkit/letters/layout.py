"""What a letter's layout computes from its text, applied to the rendered XML.

- **Title lines** (GB/T 9704 7.3.3: 标题回行时，要做到词意完整，排列对称): a paragraph in the
  style 「公文标题」 longer than a line is broken where the meaning stays whole — before
  or after the institution name (after 「关于同意」, before 开展/调整/继续开展/撤销…), else
  before 专项职业能力/考核, and inside a name too long for a line only after 省/市/区/县 or
  before 有限公司/职业/培训/学校…; never inside 专项职业能力, 开展, 考核项目. Lines are
  balanced (trapezoid or diamond), as few as possible.
- **署名 over 成文日期** (7.3.5.1): the date paragraph (style 「成文日期」) stands four
  characters from the right; the issuer paragraph (style 「署名」) gets the right indent
  that centres it over the date.

- **A bracketed year at a line's end** (「〔2023〕」 in 鲁人社字〔2023〕22号): the unit cannot be
  split, and where it does not fit at the end of a line LibreOffice pushes it to the next
  and spreads the 25 characters left on the line. In a body paragraph (style 「公文正文」)
  the 28-character lines are computed (`body_lines`); where such a unit would be pushed,
  its brackets and, as far as needed, the two marks of a 「》（」 pair on the same line are
  set half-width (`w:w="50"`, horizontal scale) so the unit ends the line — the
  punctuation compression of Word and WPS (标点挤压), written into the document so every
  application lays out the same line. LibreOffice ignores the document's
  `w:characterSpacingControl`, keeps negative `w:spacing` to about −2.7 pt (none on a
  run's last character), but honours the scale.

All work on any template whose paragraphs carry those style names; a bureau's own
template without them is left as it is.
"""

from __future__ import annotations

import functools
import itertools
import re

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W

TITLE_CHARS = 20  # 二号 (22 pt) characters in the 156 mm line
BODY_PT = 16
CHAR_PT = BODY_PT - 0.25  # a body character: 三号 set 0.25 pt closer (the templates' w:spacing)
DATE_RIGHT = 4  # 成文日期右空四字

# Layout fields the templates use beyond the letter's own (context.KEYS): filled with a
# default when a context lacks them.
LAYOUT_DEFAULTS = {"number": ""}

_PROTECTED = ("专项职业能力", "继续开展", "开展", "考核项目", "考核工作", "考核机构", "考核范围", "范围信息",
              "有限公司", "有限责任公司", "职业技能", "培训学校")
_BREAK_BEFORE = ("继续开展", "开展", "调整", "撤销", "专项职业能力", "考核")
_BREAK_AFTER = ("关于同意", "关于撤销", "关于")
_NAME_AFTER = ("省", "市", "区", "县", "州", "旗", "集团")
_NAME_BEFORE = ("有限公司", "有限责任公司", "股份", "职业", "培训", "学校", "协会", "研究院", "学院")
_NAME_WORDS = _NAME_BEFORE + ("中心",)  # never cut inside; 中心 ends its word (服务中心), no seam before it
_OPEN = "（(〔[【《「“‘"
_CLOSE = "）)〕]】》」”’，。、；：！？,.;:!?"
_NEVER = 10 ** 6


def width(text: str) -> float:
    """Width in characters: a full-width character 1, a half-width one ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def _penalties(text: str, name: str) -> list[float]:
    """The cost of a line break before each position of ``text`` (index 0 unused)."""
    n = len(text)
    cost = [40.0] * (n + 1)  # a line costs 1000: a name is broken only when it cannot fit a line
    start = text.find(name) if name else -1
    end = start + len(name) if start >= 0 else -1
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if b in _CLOSE or a in _OPEN or (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()):
            cost[i] = _NEVER
            continue
        if i in (start, end):
            cost[i] = 0
        elif start >= 0 and start < i < end:
            before, after = text[start:i], text[i:end]
            # after a place (…社区|) before a kind of body (|中心, |学校): a place is the surer seam
            cost[i] = 1400 if before.endswith(_NAME_AFTER) else 1500 if after.startswith(_NAME_BEFORE) else 2500
        elif any(text.startswith(w, i) for w in _BREAK_BEFORE):
            cost[i] = 30
        elif any(text[:i].endswith(w) for w in _BREAK_AFTER) and (start < 0 or i <= start):
            cost[i] = 5
    for word in _PROTECTED + _NAME_WORDS:  # 服务中|心 reads as a word cut in two: dearer than a line
        for m in re.finditer(re.escape(word), text):
            inside = start >= 0 and start <= m.start() and m.end() <= end
            if start >= 0 and not inside and m.start() < end and m.end() > start:
                continue  # straddles the name's edge: not a word of the title
            for i in range(m.start() + 1, m.end()):
                cost[i] = max(cost[i], 3000 if inside else _NEVER)
    return cost


def title_lines(text: str, name: str = "", limit: int = TITLE_CHARS) -> list[str]:
    """``text`` broken into lines of at most ``limit`` characters, as few as possible,
    at the cheapest breaks (see the module docstring), balanced."""
    if width(text) <= limit:
        return [text]
    n = len(text)
    cost = _penalties(text, name)
    upto = list(itertools.accumulate((width(ch) for ch in text), initial=0.0))  # width of text[:k]
    best: list[tuple[float, int] | None] = [None] * (n + 1)  # (cost, previous break)
    best[0] = (0.0, -1)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            w = upto[j] - upto[i]
            if w > limit:
                break
            if best[i] is None:
                continue
            brk = 0 if j == n else cost[j]
            if brk >= _NEVER:
                continue
            slack = limit - w
            c = best[i][0] + 1000 + brk + 0.5 * slack * slack + (30 if w < 4 else 0)
            if best[j] is None or c < best[j][0]:
                best[j] = (c, i)
    if best[n] is None:  # nothing fits without a forbidden break: cut at the limit
        lines, line = [], ""
        for ch in text:
            if width(line + ch) > limit:
                lines.append(line)
                line = ""
            line += ch
        return lines + [line]
    lines, j = [], n
    while j > 0:
        i = best[j][1]
        lines.append(text[i:j])
        j = i
    return lines[::-1]


# ---------------------------------------------------------------- applied to the XML

def _style(p) -> str | None:
    el = p.find(f"{_W}pPr/{_W}pStyle")
    return el.get(_W + "val") if el is not None else None


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_W + "t"))


def break_title(p, name: str) -> None:
    """Rewrite a title paragraph as its lines joined by w:br, in its first run's format."""
    text = _text(p)
    lines = title_lines(text, name)
    if len(lines) < 2:
        return
    runs = [r for r in p.iter(_W + "r")]
    if not runs:
        return
    rpr = runs[0].find(_W + "rPr")
    for r in runs:
        r.getparent().remove(r)
    from lxml import etree

    run = etree.SubElement(p, _W + "r")
    if rpr is not None:
        run.append(rpr)
    for k, line in enumerate(lines):
        if k:
            etree.SubElement(run, _W + "br")
        t = etree.SubElement(run, _W + "t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def body_width(text: str) -> float:
    """Width of body text in body characters: a Latin digit (Times New Roman) is half of
    16 pt, condensed like the rest; Word and LibreOffice put a quarter of a character
    between Chinese and Latin text (w:autoSpaceDN)."""
    latin = [ord(ch) < 0x2E80 for ch in text]
    gaps = sum(1 for a, b in zip(latin, latin[1:]) if a != b)
    return sum((BODY_PT / 2 - 0.25) / CHAR_PT if x else 1 for x in latin) + gaps * 0.25


def _right_indent(p, chars: float) -> None:
    from lxml import etree

    ppr = p.find(_W + "pPr")
    if ppr is None:
        ppr = etree.SubElement(p, _W + "pPr")
        p.insert(0, ppr)
    ind = ppr.find(_W + "ind")
    if ind is None:
        ind = etree.SubElement(ppr, _W + "ind")
    ind.set(_W + "right", str(round(chars * CHAR_PT * 20)))
    for attr in ("rightChars", "endChars"):
        ind.attrib.pop(_W + attr, None)


def centre_signature(issuer_p, date_p) -> None:
    """The issuer's right indent that centres it over the date (4 characters from the
    right), never past the right margin."""
    issuer, date = _text(issuer_p).strip(), _text(date_p).strip()
    if not issuer or not date:
        return
    _right_indent(date_p, DATE_RIGHT)
    _right_indent(issuer_p, max(DATE_RIGHT + (body_width(date) - body_width(issuer)) / 2, 0))


def apply(body, context: dict) -> None:
    """Title breaks, body lines and the signature, on the rendered document body (lxml element)."""
    name = str(context.get("name") or "")
    issuer = date = None
    for p in body.iter(_W + "p"):
        style = _style(p)
        if style == "公文标题":
            break_title(p, name)
        elif style == "公文正文":
            fit_body(p)
        elif style == "署名" and issuer is None:
            issuer = p
        elif style == "成文日期" and date is None:
            date = p
    if issuer is not None and date is not None:
        centre_signature(issuer, date)
        keep_with_text(issuer)


def _keep_next(p) -> None:
    from lxml import etree

    ppr = p.find(_W + "pPr")
    if ppr is None:
        ppr = etree.Element(_W + "pPr")
        p.insert(0, ppr)
    if ppr.find(_W + "keepNext") is None:
        el = etree.Element(_W + "keepNext")
        style = ppr.find(_W + "pStyle")  # CT_PPr order: pStyle, keepNext, …
        ppr.insert(1 if style is not None else 0, el)


def keep_with_text(issuer_p) -> None:
    """The signature never stands on a page of its own (7.3.5: a page with only 署名 and
    成文日期): the issuer, the blank paragraphs above it and the last paragraph with text
    before them (the 附件 line or the body's last paragraph) are kept with the next, so
    a signature that does not fit takes that paragraph to the next page with it."""
    _keep_next(issuer_p)
    p = issuer_p.getprevious()
    while p is not None and p.tag == _W + "p":
        _keep_next(p)
        if _text(p).strip():
            return
        p = p.getprevious()


# ---------------------------------------------------------------- body lines

LINE_PT = 156 / 25.4 * 72  # the 版心's width
FIRST_INDENT_PT = 2 * BODY_PT  # 公文正文: first line indented two characters (w:firstLine 640)
HALF = 50  # w:w of a compressed bracket (per cent)
GAP_PT = 3.5  # LibreOffice's space between an ideograph and Latin text (autospace)
MARGIN_PT = 0.25  # a unit is compressed only when it then fits with this much to spare
# Times New Roman advance widths (per 1000 em) for the ASCII a body may hold; others 500
_TIMES = dict(zip(" !\"#$%&'()*+,-./:;<=>?@[]_",
                  (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
                   278, 278, 564, 564, 564, 444, 921, 333, 333, 500)))
_TIMES.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722,
                                                 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722,
                                                 944, 722, 722, 611)))
_TIMES.update(zip("abcdefghijklmnopqrstuvwxyz", (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
                                                 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500,
                                                 722, 500, 500, 444)))
_UNIT = re.compile(r"[〔（\[【][0-9A-Za-z]+[〕）\]】]")
_AFTER_W = {_W + t for t in ("kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
                              "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
                              "specVanish", "oMath")}  # w:rPr children that follow w:w
_PAIR_OPEN = "（《〈「『“‘〔【"
_PAIR_CLOSE = "）》〉」』”’〕】，。、；：！？"


def _cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _advance(ch: str, scale: int = 100) -> float:
    if _cjk(ch):
        return BODY_PT * scale / 100 if scale != 100 else CHAR_PT
    return _TIMES.get(ch, 500) * BODY_PT / 1000 - 0.25


def _breakable(text: str, i: int) -> bool:
    """Whether a line may break before text[i] (Chinese line-breaking rules, 禁则)."""
    a, b = text[i - 1], text[i]
    if b in _CLOSE or a in _OPEN or (a in _CLOSE and _latin(b)):  # LibreOffice keeps 〕22 together
        return False
    return _cjk(a) or _cjk(b) or a == " "


def body_lines(text: str, scales: dict[int, int] | None = None, first: float = FIRST_INDENT_PT,
               line: float = LINE_PT) -> list[tuple[int, int, float]]:
    """The lines of a justified body paragraph as LibreOffice fills them: (start, end,
    natural width in pt) for each. ``scales`` maps character indices to a horizontal scale."""
    scales = scales or {}
    lines, start, width_, last_break, avail = [], 0, 0.0, None, line - first
    i = 0
    while i < len(text):
        ch = text[i]
        w = _advance(ch, scales.get(i, 100))
        if i > start and _gap(text[i - 1], ch):
            w += GAP_PT
        if i > start and _breakable(text, i):
            last_break = (i, width_)
        if width_ + w > avail + 0.01 and last_break is not None:
            end, natural = last_break
            lines.append((start, end, natural))
            start, width_, last_break, avail = end, 0.0, None, line
            i = end
            continue
        width_ += w
        i += 1
    lines.append((start, len(text), width_))
    return lines


def _ideograph(ch: str) -> bool:
    return _cjk(ch) and ch not in _OPEN + _CLOSE


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _gap(a: str, b: str) -> bool:
    """LibreOffice's autospace: between an ideograph and a Latin letter or digit."""
    return (_ideograph(a) and _latin(b)) or (_latin(a) and _ideograph(b))


def fit_units(text: str, first: float = FIRST_INDENT_PT, line: float = LINE_PT) -> dict[int, int]:
    """Characters to set half-width so that no bracketed unit (〔2023〕, with what cannot be
    parted from it: 〔2023〕22) is pushed off the end of a line: index → scale. The unit's
    brackets first, then the punctuation of 「》（」-like pairs on the line, as few as make
    it fit; nothing when even all of them would not."""
    return dict(_fit_units(text, first, line))


@functools.lru_cache(maxsize=256)
def _fit_units(text: str, first: float, line: float) -> tuple[tuple[int, int], ...]:
    """`fit_units`, computed once per text: the body paragraphs of a run's letters mostly
    differ only in the institution's name, which is not in them."""
    scales: dict[int, int] = {}
    units = {m.start(): m.end() for m in _UNIT.finditer(text)}
    done: set[int] = set()
    while units:
        for k, (start, end, natural) in enumerate(body_lines(text, scales, first, line)[:-1]):
            avail = line - (first if k == 0 else 0)
            if end not in units or end in done or avail - natural < CHAR_PT / 2:
                continue
            done.add(end)
            chunk = units[end]
            while chunk < len(text) and not _breakable(text, chunk):
                chunk += 1
            candidates = [end, units[end] - 1]
            for i in range(start + 1, end):
                if text[i] in _PAIR_OPEN and text[i - 1] in _PAIR_CLOSE:
                    candidates += [i, i - 1]
            trial = dict(scales)
            for idx in candidates:
                trial[idx] = HALF
                local = {i - start: v for i, v in trial.items() if start <= i < chunk}
                fitted = body_lines(text[start:chunk], local, first=line - avail, line=line)
                if len(fitted) == 1 and fitted[0][2] <= avail - MARGIN_PT:
                    scales = trial
                    break
            break
        else:
            break
    return tuple(sorted(scales.items()))


def _scale_chars(p, scales: dict[int, int]) -> None:
    """Set the horizontal scale (w:w) of the characters of ``p`` at ``scales``, splitting
    their runs; the rest keeps its format."""
    from copy import deepcopy

    from lxml import etree

    pos = 0
    for run in list(p.iter(_W + "r")):
        ts = run.findall(_W + "t")
        if len(ts) != 1 or len(run) - (run.find(_W + "rPr") is not None) != 1:
            pos += sum(len(t.text or "") for t in ts)
            continue
        text = ts[0].text or ""
        hits = sorted(i - pos for i in scales if pos <= i < pos + len(text))
        if hits:
            cuts = sorted({0, len(text), *hits, *(h + 1 for h in hits)})
            parent, at = run.getparent(), run.getparent().index(run)
            parent.remove(run)
            for n, (a, b) in enumerate(zip(cuts, cuts[1:])):
                piece = deepcopy(run)
                piece.find(_W + "t").text = text[a:b]
                piece.find(_W + "t").set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                if a in hits:
                    rpr = piece.find(_W + "rPr")
                    if rpr is None:
                        rpr = etree.Element(_W + "rPr")
                        piece.insert(0, rpr)
                    for old in rpr.findall(_W + "w"):
                        rpr.remove(old)
                    scale = etree.Element(_W + "w")
                    scale.set(_W + "val", str(scales[pos + a]))
                    after = next((c for c in rpr if c.tag in _AFTER_W), None)  # the schema's order
                    if after is None:
                        rpr.append(scale)
                    else:
                        after.addprevious(scale)
                parent.insert(at + n, piece)
        pos += len(text)


def fit_body(p) -> None:
    """Half-width brackets where a unit such as 〔2023〕 would be pushed to the next line."""
    ppr = p.find(_W + "pPr")
    if ppr is not None and ppr.find(_W + "ind") is not None:
        return  # an indent of its own (附件 lines): not a plain body paragraph
    scales = fit_units(_text(p))
    if scales:
        _scale_chars(p, scales)
