"""Paper and column widths of the report workbook's sheets (`report.workbook`,
`report.changes_sheet`): A4 print set-up, widths fit for Chinese text and fitted to the
page, and the lines and row heights wrapped text needs (xlsxwriter leaves heights to the
reader, and neither Excel nor LibreOffice computes them on opening). No xlsxwriter import:
the functions take its worksheets.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from sheetkit.report.text import display_width, text

COLUMN_CAP = 40  # no column of a table sheet is wider: longer text wraps
# A table sheet's columns are cut to fit the printable width of A4 (margins 0.5 in) so that
# "one page wide" never prints smaller than MIN_SCALE. A width unit is 7 pt in LibreOffice
# (宋体 11 pt; about 6 pt in Excel, which then prints at full size).
POINTS_PER_UNIT = 7.0
MIN_SCALE = 0.9
PRINTABLE_POINTS = {"portrait": 595.3 - 72, "landscape": 841.9 - 72}
PRINTABLE_HEIGHT = 841.9 - 2 * 0.6 * 72 - 20  # portrait, inside the margins, less some slack
PAGE_WIDTH = {k: int(v / POINTS_PER_UNIT / MIN_SCALE) for k, v in PRINTABLE_POINTS.items()}  # 83, 122
# 问题清单 and 变更 (ten columns, several of long text): landscape at 83 % or more
LIST_MIN_SCALE = 0.83
LIST_PAGE_WIDTH = int(PRINTABLE_POINTS["landscape"] / POINTS_PER_UNIT / LIST_MIN_SCALE)  # 132
COLUMN_PADDING = 0.71  # xlsxwriter adds this to every width it writes
FONT = "宋体"
LINE_HEIGHT = 15  # points per line of 11 pt text
ROW_PAD = 3  # points under the last line of a summary table's row, so no glyph touches the border
PAPER_A4 = 9
# what a line cannot break: a CJK or full-width character alone, or a run of narrow
# characters up to a space, ``-`` or ``/`` after it, with the opening punctuation before it
# and the closing punctuation after it (which neither ends nor starts a line)
_WIDE = r"\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_OPEN, _CLOSE = "（“‘《〈「『【〔([", "）”’》〉」』】〕，。、；：！？)]"
_BREAKABLE = re.compile(rf"[{_OPEN}]*(?:[^\s\-/{_WIDE}{re.escape(_OPEN + _CLOSE)}]+[\s\-/]?|.)[{re.escape(_CLOSE)}]*")


def print_setup(ws, landscape: bool = True) -> None:
    """A4, one page wide (as many tall as needed), page numbers in the footer."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.set_footer(f'&C&"{FONT}"第 &P 页，共 &N 页')


class Widths:
    """Track the widest value per column, for widths fit for Chinese text, and the text of
    each row, for the heights its wrapped text needs once the widths are known (and the
    longest words, which a shared width keeps whole)."""

    def __init__(self):
        self.w: dict[int, int] = {}
        self.rows: dict[int, list[tuple[int, str]]] = {}
        self.heights: dict[int, float] = {}  # set by apply

    def see(self, col: int, value, row: int | None = None) -> None:
        width = max(display_width(line) for line in text(value).split("\n"))
        self.w[col] = max(self.w.get(col, 0), width + 2)
        if row is not None and value not in (None, ""):
            self.rows.setdefault(row, []).append((col, text(value)))

    def fitted(self, caps=None, minimum: int = 6, cap: int = COLUMN_CAP, total: int | None = None,
               keep=(), shared: bool = False) -> dict[int, int]:
        """The widths: each capped; with ``total``, the widest but those in ``keep`` cut down
        to one common cap until all fit in ``total`` (written widths, padding included) —
        with ``shared``, all but those in ``keep`` cut in proportion, words kept whole
        where the page allows (`fit_widths`)."""
        final = {}
        for col, width in self.w.items():
            limit = caps[col] if caps and col < len(caps) else cap
            final[col] = max(minimum, min(limit, width))
        if total is not None:
            kept = sum(w for c, w in final.items() if c in keep)
            cut = fit_widths({c: w for c, w in final.items() if c not in keep},
                             int(total - COLUMN_PADDING * len(final) - kept), minimum, shared,
                             self.longest_words(set(final) - set(keep)) if shared else None)
            final = {c: cut.get(c, w) for c, w in final.items()}
        return final

    def longest_words(self, cols) -> dict[int, int]:
        """The width of the longest word (what a line cannot break) in each of ``cols``."""
        values = {(c, v) for cells in self.rows.values() for c, v in cells if c in cols}
        out = dict.fromkeys(cols, 0)
        for c, v in values:
            out[c] = max(out[c], max((_token_width(t.rstrip()) for t in _BREAKABLE.findall(v)), default=0))
        return out

    def apply(self, ws, caps=None, minimum: int = 6, cap: int = COLUMN_CAP, total: int | None = None,
              keep=(), pad: float = 0, shared: bool = False) -> dict[int, int]:
        """Set the widths (`fitted`) and the heights of rows whose text wraps; with ``pad``,
        of every row, each ``pad`` points taller than its lines (room under the text)."""
        final = self.fitted(caps, minimum, cap, total, keep, shared)
        for col, width in final.items():
            ws.set_column(col, col, width)
        for row, cells in self.rows.items():
            lines = max(wrapped_lines(value, final.get(col, 8)) for col, value in cells)
            if lines > 1 or pad:
                self.heights[row] = LINE_HEIGHT * lines + pad
                ws.set_row(row, self.heights[row])
        return final


def fit_widths(widths: dict[int, int], total: int, minimum: int = 6, shared: bool = False,
               words: dict[int, int] | None = None) -> dict[int, int]:
    """``widths`` with the widest columns cut to one common cap, the largest that makes
    them sum to at most ``total`` (never below ``minimum``): narrow columns keep theirs.
    With ``shared``, every column is cut in proportion to its width instead (long texts
    side by side: each keeps room in proportion to its text, so their lines even out),
    but not below its longest word (``words``: a code or a number in the text) unless the
    page cannot hold them all (then the widest text's is given up first: its rows wrap
    anyway, and it is one word in one of them, where another column's may be in every row)."""
    if sum(widths.values()) <= total:
        return dict(widths)
    if shared:
        floors = {c: min(w, max(minimum, (words or {}).get(c, 0) + 1)) for c, w in widths.items()}
        while (cut := _shared(widths, total, floors)) is None and max(floors.values()) > minimum:
            floors[max(floors, key=lambda c: (floors[c] > minimum, widths[c]))] = minimum  # the widest text's first
        return cut or dict.fromkeys(widths, minimum)
    cap = max(widths.values())
    while cap > minimum and sum(min(w, cap) for w in widths.values()) > total:
        cap -= 1
    return {c: min(w, cap) for c, w in widths.items()}


def _shared(widths: dict[int, int], total: int, floors: dict[int, int]) -> dict[int, int] | None:
    """``widths`` scaled by one factor to sum to ``total``, a column that would fall below its
    floor held there and the others scaled to what is left (None when the floors alone
    exceed ``total``). The units rounding down leaves go to the columns it cut most."""
    fixed: dict[int, int] = {}
    while True:
        free = [c for c in widths if c not in fixed]
        room = total - sum(fixed.values())
        scale = room / max(1, sum(widths[c] for c in free))
        below = [c for c in free if widths[c] * scale < floors[c]]
        if not below:
            break
        fixed.update((c, floors[c]) for c in below)
    if room < 0:
        return None
    cut = {**fixed, **{c: int(widths[c] * scale) for c in free}}
    for c in sorted(free, key=lambda c: int(widths[c] * scale) - widths[c] * scale)[:total - sum(cut.values())]:
        cut[c] += 1
    return cut


@functools.lru_cache(maxsize=4096)
def _token_width(token: str) -> int:
    """`display_width`, with the quotes and dashes a Chinese font sets full width (“ ” ‘ ’ — …)."""
    return display_width(token) + sum(1 for ch in token if ch > "\x7f" and unicodedata.east_asian_width(ch) == "A")


def wrapped_lines(value: str, width: float) -> int:
    """Lines ``value`` takes in a column ``width`` characters wide (CJK count double),
    broken as Excel and LibreOffice break it: after any CJK character, a Latin word whole
    (it breaks after a space, ``-`` or ``/``) unless it is longer than a line."""
    room = max(width - 1, 1)
    total = 0
    for part in str(value).split("\n"):
        if _token_width(part) <= room:
            total += 1
            continue
        lines, used = 1, 0
        for token in _BREAKABLE.findall(part):
            w = _token_width(token)
            if used + w <= room:
                used += w
                continue
            if used:  # the word goes to the next line…
                lines, used = lines + 1, 0
            extra = (w - 1) // room  # …and one longer than a line is cut where each line ends
            lines, used = lines + extra, w - extra * room
        total += lines
    return total


def list_widths(ws, widths: Widths, caps, long) -> dict[int, int]:
    """Widths and row heights of a list sheet (问题清单, 变更) printed landscape, one page
    wide at LIST_MIN_SCALE or more: each column as wide as its content up to its cap; the
    columns in ``long`` (wrapped text) share what the others leave of LIST_PAGE_WIDTH in
    proportion to their content, so the longest text keeps the most room."""
    keep = [c for c in range(len(caps)) if c not in long]
    return widths.apply(ws, caps, minimum=8, total=LIST_PAGE_WIDTH, keep=keep, pad=ROW_PAD, shared=True)
