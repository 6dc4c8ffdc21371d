"""`make bench`: how sheetkit's cost compares with the floor (python-calamine just reading
the workbooks) and with the naive way (pandas + openpyxl + pandera), at province scale.

    python bench/run.py            # 20,000 institutions / 300,000 staff rows; the 1,048,576-row sheet
    python bench/run.py --quick    # small sizes, a minute
    python bench/run.py --readme   # also write the table into README.md's "Performance" section
    python bench/run.py --from-results --readme   # rewrite README's table from the last results

Every measurement runs in a fresh process (`bench/measure.py`); every figure is a ratio of
two measurements taken in this run. Registers are generated once and cached under
`bench/data/` (`bench/generate.py`); results go to `bench/results/latest.json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402

PY = sys.executable
FULL = {"main": (20_000, 300_000), "scale": (50_000, 150_000, 300_000), "memory": 1_048_575}
QUICK = {"main": (2_000, 30_000), "scale": (10_000, 20_000, 30_000), "memory": 100_000}
FLOOR_TARGET, NAIVE_TARGET, LETTERS_TARGET, MEMORY_TARGET_MB = 1.5, 5.0, 5.0, 3 * 1024


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = round(kb / 1024 / 1024, 1)
    except (OSError, AttributeError):
        pass
    import pandas

    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": ram, "python": platform.python_version(),
            "pandas": pandas.__version__, "python_calamine": _version("python-calamine")}


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def measure(what: str, folder: Path, repeat: int = 1) -> dict:
    """Run `measure.py what folder` in fresh processes; the fastest of ``repeat`` runs."""
    best = None
    for _ in range(repeat):
        proc = subprocess.run([PY, str(ROOT / "measure.py"), what, str(folder)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{what} failed on {folder}:\n{proc.stderr[-3000:]}")
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        if best is None or out["seconds"] < best["seconds"]:
            best = out
    return best


def measure_pair(a: str, b: str, folder: Path, repeat: int) -> tuple[dict, dict]:
    """``a`` and ``b`` measured in turns (a, b, a, b, …), the fastest of each: on a shared
    machine a burst of load then weighs on both sides of the ratio alike."""
    best: dict[str, dict] = {}
    for _ in range(repeat):
        for what in (a, b):
            out = measure(what, folder)
            if what not in best or out["seconds"] < best[what]["seconds"]:
                best[what] = out
    return best[a], best[b]


def startup() -> dict:
    """Wall time of `sheetkit --help` and of `import sheetkit.engine` (best of 3)."""
    sheetkit = str(Path(PY).with_name("sheetkit"))
    out = {}
    for key, args in (("help", [sheetkit, "--help"]), ("import_engine", [PY, "-c", "import sheetkit.engine"])):
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(args, capture_output=True, check=True)
            took = time.perf_counter() - t0
            best = took if best is None else min(best, took)
        out[key] = best
    return out


def external(script: str, quick: bool) -> dict | None:
    """A benchmark another module owns (`bench_letters.py`, `bench_cache.py`): run with
    ``--json`` (and ``--quick``); its last stdout line is a JSON object."""
    path = ROOT / script
    if not path.exists():
        return None
    args = [PY, str(path), "--json"] + (["--quick"] if quick else [])
    proc = subprocess.run(args, capture_output=True, text=True)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": (proc.stderr or proc.stdout)[-500:].strip() or f"exit {proc.returncode}"}


def _generate(spec: tuple[int, int, bool]) -> Path:
    institutions, staff, single = spec
    return generate.generate(institutions, staff, single=single)


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(quick: bool, skip_naive: bool = False, skip_memory: bool = False) -> dict:
    sizes = QUICK if quick else FULL
    started = time.perf_counter()
    inst, staff = sizes["main"]
    _log(f"generating / reusing registers in {generate.DATA} …")
    wanted = [(0, sizes["memory"], True)] if not skip_memory else []  # the longest first
    wanted += [(inst, staff, False)] + [(0, s, False) for s in reversed(sizes["scale"]) if s != staff]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:  # first run only
        folders = dict(zip(wanted, pool.map(_generate, wanted)))
    main = folders[(inst, staff, False)]
    scale = [folders[(0, s, False)] if s != staff else main for s in sizes["scale"]]
    memory = None if skip_memory else folders[(0, sizes["memory"], True)]
    res: dict = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "quick": quick,
                 "machine": machine(), "main": generate.meta(main)}

    _log("floor (python-calamine alone, one workbook per thread on every core) and validate --no-cache, "
         "taken in turns …")
    floor, val = measure_pair("calamine", "validate", main, repeat=3)
    res["floor"], res["validate"] = floor, val
    res["ratio_floor"] = val["seconds"] / floor["seconds"]
    res["floor_one_thread"] = measure("calamine-1", main)
    _log("sheetkit validate, timed by phase …")
    res["breakdown"] = measure("breakdown", main)
    _log("sheetkit validate, parse in process (no isolation) …")
    res["validate_in_process"] = measure("validate-in-process", main, repeat=2)
    res["ratio_isolation"] = val["seconds"] / res["validate_in_process"]["seconds"]
    try:
        res["guard"] = measure("guard", main)
    except SystemExit as exc:  # the pre-scan is another module's: its absence is not fatal here
        _log(str(exc))

    if not skip_naive:
        _log("naive: pandas read_excel (openpyxl) + pandera …")
        naive = measure("naive", main)
        res["naive"] = naive
        res["ratio_naive"] = naive["seconds"] / val["seconds"]

    res["scale"] = []
    for folder in scale:
        m = val if folder == main else measure("validate", folder)
        rows = generate.meta(folder)["rows"]["人员"]
        res["scale"].append({"staff_rows": rows, "seconds": m["seconds"], "us_per_row": m["seconds"] / rows * 1e6,
                             "peak_rss_mb": m["peak_rss_mb"]})

    if memory is not None:
        _log("the 1,048,576-row staff sheet …")
        mem = measure("validate", memory)
        mem_floor = measure("calamine", memory)
        res["memory"] = {"staff_rows": generate.meta(memory)["rows"]["人员"], "seconds": mem["seconds"],
                         "peak_rss_mb": mem["peak_rss_mb"], "floor_seconds": mem_floor["seconds"],
                         "floor_peak_rss_mb": mem_floor["peak_rss_mb"], "findings": mem["findings"]}

    res["startup"] = startup()
    _log("letters …")
    res["letters"] = external("bench_letters.py", quick)
    res["cache"] = external("bench_cache.py", quick)
    res["seconds"] = time.perf_counter() - started
    return res


def _fmt_s(s: float) -> str:
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def table(res: dict) -> str:
    """The figures as a Markdown table."""
    m = res["main"]["rows"]
    size = f"{m['机构']:,} institutions / {m['人员']:,} staff rows"
    rows = [("figure", "measured", "target", "met")]
    rf = res["ratio_floor"]
    rows.append((f"validate --no-cache ÷ calamine read on {res['floor'].get('threads', 1)} threads ({size})",
                 f"{rf:.2f} ({_fmt_s(res['validate']['seconds'])} ÷ {_fmt_s(res['floor']['seconds'])})",
                 f"≤ {FLOOR_TARGET}", _yes(rf <= FLOOR_TARGET)))
    bd = res.get("breakdown")
    if bd:
        rows.append(("… where validate's time goes, as shares of the threaded floor",
                     _breakdown(bd, res["floor"]["seconds"]), "", ""))
        rows.append(("… the slowest policy rules (seconds)",
                     ", ".join(f"{r['rule']} {r['seconds']:.2f}" for r in bd["top_rules"][:5]), "", ""))
    fc, vc = res["floor"].get("cpu_seconds"), res["validate"].get("cpu_seconds")
    if fc and vc:
        rows.append(("… CPU time (all threads and reader processes) of validate ÷ of the floor",
                     f"{vc / fc:.2f} ({_fmt_s(vc)} ÷ {_fmt_s(fc)}): less sensitive to other load on the machine",
                     "", ""))
    if res.get("floor_one_thread"):
        f1 = res["floor_one_thread"]["seconds"]
        rows.append(("… the floor on one thread (before issue 14) ÷ on every core",
                     f"{f1 / res['floor']['seconds']:.2f} ({_fmt_s(f1)} ÷ {_fmt_s(res['floor']['seconds'])}); "
                     f"validate ÷ one-thread floor {res['validate']['seconds'] / f1:.2f}", "", ""))
    if res.get("validate_in_process"):
        vi = res["validate_in_process"]["seconds"]
        rows.append(("… isolating the parse (a child process per workbook) ÷ parsing in process",
                     f"{res['ratio_isolation']:.2f} ({_fmt_s(res['validate']['seconds'])} ÷ {_fmt_s(vi)}); "
                     f"in process ÷ calamine read {vi / res['floor']['seconds']:.2f}", "", ""))
    if res.get("guard"):
        g = res["guard"]["seconds"]
        rows.append(("… the hostile-input pre-scan alone (`register.guard.inspect`, same threads as the floor)",
                     f"{_fmt_s(g)} = {g / res['floor']['seconds']:.2f} × the calamine read", "", ""))
    if "ratio_naive" in res:
        rn = res["ratio_naive"]
        rows.append(("naive (pandas+openpyxl+pandera) ÷ validate",
                     f"{rn:.1f}× ({_fmt_s(res['naive']['seconds'])} ÷ {_fmt_s(res['validate']['seconds'])})",
                     f"≥ {NAIVE_TARGET:g}×", _yes(rn >= NAIVE_TARGET)))
    else:
        rows.append(("naive (pandas+openpyxl+pandera) ÷ validate", "not measured (--skip-naive)", f"≥ {NAIVE_TARGET:g}×", "—"))
    letters = res.get("letters")
    if letters and "ratio" in letters:
        rows.append(("letters/s ÷ plain docxtpl loop/s", f"{letters['ratio']:.1f}×" + _letters_detail(letters),
                     f"≥ {LETTERS_TARGET:g}×", _yes(letters["ratio"] >= LETTERS_TARGET)))
    else:
        why = "not measured" + (f" ({letters['error'][:60]})" if letters and "error" in letters else
                                " (bench/bench_letters.py absent)")
        rows.append(("letters/s ÷ plain docxtpl loop/s", why, f"≥ {LETTERS_TARGET:g}×", "—"))
    mem = res.get("memory")
    if mem:
        rows.append((f"peak memory, validate of a {mem['staff_rows'] + 1:,}-row staff sheet",
                     f"{mem['peak_rss_mb'] / 1024:.2f} GB in {_fmt_s(mem['seconds'])} "
                     f"(calamine alone: {mem['floor_peak_rss_mb'] / 1024:.2f} GB, {_fmt_s(mem['floor_seconds'])})",
                     "< 3 GB", _yes(mem["peak_rss_mb"] < MEMORY_TARGET_MB)))
    sc = res["scale"]
    growth = sc[-1]["us_per_row"] / sc[0]["us_per_row"]
    rows.append(("validate time at " + " / ".join(f"{s['staff_rows'] // 1000}k" for s in sc) + " staff rows",
                 " / ".join(_fmt_s(s["seconds"]) for s in sc) + " = "
                 + " / ".join(f"{s['us_per_row']:.0f}" for s in sc) + " µs per row",
                 "per-row cost not growing", _yes(growth <= 1.25)))
    st = res.get("startup")
    if st:
        rows.append(("start-up: `sheetkit --help` / `import sheetkit.engine`",
                     f"{st['help']:.2f} s / {st['import_engine']:.2f} s", "fast (lazy imports)", ""))
    cache = res.get("cache")
    if cache and "ratio" in cache:
        rows.append((f"second validate of an unchanged folder ÷ first ({cache['institutions']:,} institutions, "
                     f"{cache['workbooks']} workbooks, read cache)",
                     f"{cache['ratio']:.2f} ({_fmt_s(cache['cached'])} ÷ {_fmt_s(cache['first'])})",
                     "a fraction", _yes(cache["ratio"] < 1 and cache.get("same", False))))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["| " + " | ".join(r[i] for i in range(4)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("---" for _ in widths) + "|")
    mc = res["machine"]
    lines.append("")
    lines.append(f"Machine: {mc['nproc']} cores, {mc['cpu']}, {mc['ram_gb']} GB RAM; Python {mc['python']}, "
                 f"pandas {mc['pandas']}, python-calamine {mc['python_calamine']}. "
                 f"Run {res['date'][:10]}{' (--quick)' if res['quick'] else ''}, {res['seconds']:.0f} s in all.")
    return "\n".join(lines)


PHASES = (("guard", "guard"), ("parse", "parse"), ("columns", "columns"), ("transfer", "pickling"),
          ("read_other", "fork+wait+unpickle"), ("normalise", "normalise"), ("tables", "tables"),
          ("schemas", "schemas"), ("rules", "policy rules"), ("assessment", "assessment"), ("other", "other"))


def _breakdown(bd: dict, floor: float) -> str:
    """The phases of `bench/breakdown.py` as shares of the floor; those in the reader
    children are summed over children ÷ the workers that ran at once."""
    ph = bd["phases"]
    parts = [f"{label} {ph[key] / floor:.2f}" for key, label in PHASES if key in ph]
    return " · ".join(parts) + f" (timed run {_fmt_s(bd['seconds'])})"


def _letters_detail(letters: dict) -> str:
    a, b = letters.get("letters_per_second"), letters.get("baseline_per_second")
    return f" ({a:.1f}/s ÷ {b:.1f}/s)" if isinstance(a, (int, float)) and isinstance(b, (int, float)) else ""


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_readme(text: str) -> bool:
    """Replace the table between the markers in README.md's Performance section."""
    readme = ROOT.parent / "README.md"
    body = readme.read_text(encoding="utf-8")
    if README_START not in body or README_END not in body:
        return False
    head, rest = body.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    tmp = readme.with_name(".README.md.tmp")
    tmp.write_text(f"{head}{README_START}\n{text}\n{README_END}{tail}", encoding="utf-8")
    tmp.replace(readme)
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    ap.add_argument("--skip-naive", action="store_true", help="skip the slow pandas+openpyxl baseline")
    ap.add_argument("--skip-memory", action="store_true", help="skip the 1,048,576-row sheet")
    ap.add_argument("--readme", action="store_true", help="write the table into README.md (Performance)")
    ap.add_argument("--from-results", action="store_true",
                    help="measure nothing: print (and with --readme, write) the table of bench/results/latest.json")
    args = ap.parse_args(argv)
    if args.from_results:
        res = json.loads((ROOT / "results" / "latest.json").read_text(encoding="utf-8"))
        text = table(res)
        print(text)
        if args.readme and not write_readme(text):
            _log("README.md has no bench markers; table not written")
        return 0
    res = run(args.quick, args.skip_naive, args.skip_memory)
    text = table(res)
    res["table"] = text
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    tmp = out / ".latest.json.tmp"
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out / "latest.json")
    print(text)
    if args.readme and not write_readme(text):
        _log("README.md has no bench markers; table not written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
