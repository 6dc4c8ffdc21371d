"""Letters per second: sheetkit's renderer against the plain docxtpl loop.

    python bench/bench_letters.py            # 1,000 filing letters each way
    python bench/bench_letters.py --quick    # 100
    python bench/bench_letters.py --json     # last stdout line: a JSON object (for bench/run.py)

Both sides write the same 1,000 letters (built-in `filing` template, a different
institution and 1–5 projects per letter) to files in a temporary folder:

- plain: ``DocxTemplate(path)`` → ``render(context, autoescape=True)`` → ``save`` per row;
- sheetkit: `LetterTemplate(path)` once, then per row one render from the in-memory
  template and an atomic write (`sheetkit.outputs.atomic_path`) — what `render_letters`
  does for each letter.

The ratio is plain seconds ÷ sheetkit seconds (target ≥ 5×). Both outputs are checked to
hold the same text.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sheetkit.letters import template_path  # noqa: E402
from sheetkit.letters.context import sample_context  # noqa: E402

PROJECTS = ["中式面点制作", "家政服务", "电子商务运营", "茶艺", "老年照护", "养老护理", "西式面点制作"]


def contexts(n: int) -> list[dict]:
    out = []
    for i in range(n):
        ctx = sample_context("filing")
        ctx.update(name=f"济南第{i + 1}职业技能培训学校", code=f"SD{i:06d}",
                   projects=PROJECTS[i % 5: i % 5 + 1 + i % 5])
        out.append(ctx)
    return out


def plain(path: Path, rows: list[dict], folder: Path) -> float:
    from docxtpl import DocxTemplate

    start = time.perf_counter()
    for i, ctx in enumerate(rows):
        tpl = DocxTemplate(str(path))
        tpl.render(ctx, autoescape=True)
        tpl.save(folder / f"plain_{i}.docx")
    return time.perf_counter() - start


def sheetkit(path: Path, rows: list[dict], folder: Path) -> float:
    from sheetkit.letters.render import LetterTemplate
    from sheetkit.outputs import atomic_path

    start = time.perf_counter()
    tpl = LetterTemplate(path)
    for i, ctx in enumerate(rows):
        data = tpl.render(ctx)
        with atomic_path(folder / f"sheetkit_{i}.docx") as tmp:
            tmp.write_bytes(data)
    return time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="100 letters instead of 1,000")
    ap.add_argument("-n", type=int, default=None, help="number of letters")
    ap.add_argument("--json", action="store_true", help="print a JSON object as the last line")
    args = ap.parse_args(argv)
    n = args.n or (100 if args.quick else 1000)
    path, _ = template_path("filing")
    rows = contexts(n)
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp:
        folder = Path(tmp)
        ours = sheetkit(path, rows, folder)
        base = plain(path, rows, folder)
        from sheetkit.letters.render import docx_text

        for i in (0, n // 2, n - 1):
            a = docx_text((folder / f"sheetkit_{i}.docx").read_bytes())
            b = docx_text((folder / f"plain_{i}.docx").read_bytes())
            if a != b:
                raise SystemExit(f"letter {i} differs between the two renderers")
    res = {"letters": n, "seconds": round(ours, 3), "baseline_seconds": round(base, 3),
           "letters_per_second": round(n / ours, 1), "baseline_per_second": round(n / base, 1),
           "ratio": round(base / ours, 1), "target": 5.0}
    print(f"{n} letters: sheetkit {ours:.2f} s ({n / ours:.0f}/s), plain docxtpl loop {base:.2f} s "
          f"({n / base:.1f}/s): {base / ours:.1f}× faster (target ≥ 5×)", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
