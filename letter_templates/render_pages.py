"""Render one page of each letter kind, and of a 公示 list, to docs/img/ (`make pages`).

    .venv/bin/python letter_templates/render_pages.py [--as-of 2026-11-24]

Renders the sample registers in workbooks/ with the built-in templates (one LibreOffice
call for all kinds), then `pdftoppm` at 80 dpi in grey: docs/img/letter-<kind>.png (page 1) and
docs/img/letter-filing-attachment.png (page 2 of a filing letter). Needs LibreOffice
and poppler-utils.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
NUMBER = "鲁人社函〔2026〕{n}号"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2026-11-24")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    from sheetkit.letters import KINDS, UNNUMBERED, render_letters
    from sheetkit.letters.pdf import convert

    if not shutil.which("pdftoppm"):
        print("需要 poppler-utils（pdftoppm）", file=sys.stderr)
        return 1
    as_of = dt.date.fromisoformat(args.as_of)
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sheetkit-pages-") as tmp:
        firsts = {}
        for n, kind in enumerate(KINDS):
            result = render_letters([ROOT / "workbooks"], kind, Path(tmp) / kind, as_of=as_of,
                                    number=None if kind in UNNUMBERED else NUMBER, number_start=15 + n)
            if result.generated:
                firsts[kind] = Path(result.generated[0]["path"])
        from sheetkit.publicity import write_publicity

        posted = write_publicity([ROOT / "workbooks"], Path(tmp) / "publicity", as_of, as_of=as_of)
        docx = [p for p in posted.written if p.suffix == ".docx"]
        if docx:
            firsts["publicity"] = docx[0]
        pdfs = dict(zip(firsts, convert(list(firsts.values()))))
        shots = [(kind, pdf, 1, f"letter-{kind}") for kind, pdf in pdfs.items()]
        if "filing" in pdfs:
            shots.append(("filing", pdfs["filing"], 2, "letter-filing-attachment"))
        for kind, pdf, page, stem in shots:
            subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(args.dpi), "-f", str(page), "-l", str(page),
                            "-singlefile", str(pdf), str(IMG / stem)], check=True)
            print(IMG / f"{stem}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
