"""发文字号: each letter of a run gets the next number of the bureau's sequence.

    --number "临人社函〔2026〕{n}号" --number-start 15

gives the first letter (in the order of letters.json) 临人社函〔2026〕15号, the next 16号, …
The number is printed at the right edge of the first line above the title (GB/T 9704
信函格式: 发文字号顶格居版心右边缘) and recorded in letters.json / letters.xlsx, which then
serve as the 发文登记. Without --number the line stays blank: room for a number written
or stamped by hand.
"""

from __future__ import annotations

from sheetkit.errors import UsageError

PLACEHOLDER = "{n}"


def check(template: str, start: int) -> None:
    if PLACEHOLDER not in template:
        raise UsageError(f"发文字号“{template}”中没有 {PLACEHOLDER}（序号的位置），例如 临人社函〔2026〕{{n}}号")
    if template.count(PLACEHOLDER) > 1:
        raise UsageError(f"发文字号“{template}”中有多个 {PLACEHOLDER}")
    if start < 1:
        raise UsageError(f"发文字号起始序号必须是正整数（现为 {start}）")


def numbers(template: str, start: int, count: int) -> list[str]:
    """``count`` numbers from ``start``: 临人社函〔2026〕15号, 临人社函〔2026〕16号, …"""
    check(template, start)
    return [template.replace(PLACEHOLDER, str(start + k)) for k in range(count)]


def assign(letters, template: str, start: int) -> None:
    """Set each letter's context["number"], in order."""
    for letter, number in zip(letters, numbers(template, start, len(letters))):
        letter.context["number"] = number
