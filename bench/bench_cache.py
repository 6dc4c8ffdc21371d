"""How much the read cache saves: `sheetkit validate` of an unchanged 1,000-institution
drop folder, first with an empty cache, then again, then with ``--no-cache``.

    python bench/bench_cache.py [--institutions 1000] [--quick] [--json]

The register comes from bench/generate.py (one workbook per city plus the catalogue,
cached in bench/data/). Each run is a fresh process (`python -m sheetkit validate …
--format json`, interpreter start-up and imports included), timed from outside; each kind
is run ``--repeat`` times and the fastest counts. Prints the seconds of each and the
ratio cached/first; exits 1 if the reports differ or the cached run is not faster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402  (bench/generate.py: the synthetic registers every benchmark uses)


def build_folder(institutions: int) -> tuple[Path, int]:
    """A synthetic register of ``institutions`` (about 15 staff rows each), one workbook per
    city plus the catalogue, generated once and kept in bench/data/."""
    folder = generate.generate(institutions, institutions * 15, quiet=True)
    return folder, len(generate.workbooks(folder))


def timed_validate(folder: Path, cache_dir: Path, *extra: str) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "sheetkit", "validate", str(folder), "--format", "json", "--as-of", "2026-11-22",
           "--cache-dir", str(cache_dir), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT.parent / "src")}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"validate failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, json.loads(proc.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--institutions", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each kind; the fastest counts")
    ap.add_argument("--quick", action="store_true", help="200 institutions, one run of each kind")
    ap.add_argument("--json", action="store_true", help="print a JSON object as the last line (bench/run.py)")
    args = ap.parse_args(argv)
    if args.quick:
        args.institutions, args.repeat = 200, 1
    with tempfile.TemporaryDirectory(prefix="sheetkit-bench-cache-") as tmp:
        cache_dir = Path(tmp) / "cache"
        t0 = time.perf_counter()
        folder, files = build_folder(args.institutions)
        print(f"folder: {args.institutions} institutions in {files} workbooks ({time.perf_counter() - t0:.1f} s to build)")
        firsts, seconds, nocaches = [], [], []
        for _ in range(args.repeat):  # a shared machine is noisy: keep the best of each
            shutil.rmtree(cache_dir, ignore_errors=True)
            t, r1 = timed_validate(folder, cache_dir)
            firsts.append(t)
            t, r2 = timed_validate(folder, cache_dir)
            seconds.append(t)
            t, r3 = timed_validate(folder, cache_dir, "--no-cache")
            nocaches.append(t)
        first, second, nocache = min(firsts), min(seconds), min(nocaches)
        same = r1["findings"] == r2["findings"] == r3["findings"] and r1["summary"] == r2["summary"]
        print(f"validate, empty cache : {first:6.2f} s")
        print(f"validate, cached      : {second:6.2f} s")
        print(f"validate, --no-cache  : {nocache:6.2f} s")
        print(f"ratio cached/first    : {second / first:.2f}   (same report: {same}; summary {r2['summary']})")
        if args.json:
            print(json.dumps({"institutions": args.institutions, "workbooks": files, "first": first,
                              "cached": second, "no_cache": nocache, "ratio": second / first, "same": same}))
        return 0 if same and second < first else 1


if __name__ == "__main__":
    sys.exit(main())
