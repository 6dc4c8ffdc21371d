"""Synthetic registers at province and national scale, for `bench/run.py`.

    python bench/generate.py --institutions 20000 --staff 300000          # one workbook per city
    python bench/generate.py --staff 1048575 --single                      # one sheet at Excel's limit

A register is one workbook per city (机构, 人员, 场地, 考核项目) plus a catalogue workbook
(项目目录), built from the rows of `sheetkit.testing.builders` (the builder the tests and
the sample workbooks use). Check characters are valid; about 85 % of institutions
are clean and 15 % carry one realistic fault each (a wrong check character, a short lease,
a missing supervisor, a blank required cell, an impossible date, a wrong ID check digit,
bad credit, a short contract). Dates are mostly real Excel dates, some typed as text.

Workbooks are written by the builder's `ListWriter` (xlsxwriter in ``constant_memory``
mode, row by row, to a temporary file per sheet), and cached under ``bench/data/<key>/`` keyed by the
parameters; a finished register has a ``DONE`` marker, so an interrupted run is redone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from sheetkit.register.model import INSTITUTIONS, PROJECTS, STAFF, VENUES  # noqa: E402
from sheetkit.testing import builders as b  # noqa: E402

VERSION = 2  # bump when the generated content changes: it is part of the cache key
DATA = ROOT / "data"
CITIES = ("济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂",
          "德州", "聊城", "滨州", "菏泽")
CITY_REGION = {c: f"37{i + 1:02d}" for i, c in enumerate(CITIES)}
PROJECT_BASES = ("中式面点制作", "家政服务", "电子商务运营", "茶艺", "老年照护", "西式面点制作", "汽车美容",
                 "网络直播营销", "母婴护理", "农产品电商", "手工编织", "保健按摩", "咖啡制作", "插花",
                 "小儿推拿", "整理收纳", "无人机驾驶", "民宿管理", "鲁菜制作", "剪纸")
N_PROJECTS = 3000  # catalogue size: enough that no project exceeds 5 institutions per city
FAULTS = ("uscc", "lease", "supervisor", "blank", "date", "resident", "credit", "contract")
FAULT_RATE = 0.15
EPOCH = b.ListWriter.EPOCH
Writer = b.ListWriter  # one workbook, rows as lists in the model's column order
wrong_uscc, wrong_resident = b.wrong_uscc, b.wrong_resident


def serial(d: dt.date) -> int:
    return (d - EPOCH).days


def project_names() -> list[str]:
    return [f"{PROJECT_BASES[i % len(PROJECT_BASES)]}（{i // len(PROJECT_BASES) + 1:03d}）" for i in range(N_PROJECTS)]


def uscc(n: int, region: str) -> str:
    return b.uscc(n, prefix=f"91{region}")


_BIRTH0 = dt.date(1965, 1, 1)


def resident(n: int, region: str) -> str:
    return b.resident(n, _BIRTH0 + dt.timedelta(days=(n // 1000) % 12000), f"{region}02")


def _date(rng: random.Random, d: dt.date):
    """Mostly a real Excel date; 5 % typed as text the way staff type dates."""
    x = rng.random()
    if x < 0.02:
        return f"{d.year}年{d.month}月{d.day}日"
    if x < 0.04:
        return f"{d.year}/{d.month}/{d.day}"
    if x < 0.05:
        return f"{d:%Y%m%d}"
    return d


def institution_rows(n: int, city: str, local: int, projects: list[str], rng: random.Random, person0: int):
    """(机构 row, 人员 rows, 场地 rows, 考核项目 rows, fault or None) of institution ``n``."""
    region = CITY_REGION[city]
    code = uscc(n, region)
    status = "已备案" if n % 4 == 0 else ("终止备案" if n % 20 == 1 else "申请中")
    start = dt.date(2024, 3 + n % 6, 1) if status != "申请中" else dt.date(2026, 12, 1)
    faulty = rng.random() < FAULT_RATE / 0.95 and status != "终止备案"  # a removed institution is not judged
    fault = rng.choice(FAULTS) if faulty else None
    ref = wrong_uscc(code) if fault == "uscc" else code
    address = f"{city}市市中区经十路{n}号"
    inst = b.values("机构", b.institution(
        n, 统一社会信用代码=ref, 机构名称=f"{city}市第{n}职业技能培训学校", 所属市=city if n % 3 else f"{city}市",
        机构地址="" if fault == "blank" else address, 机构代码=f"JG{n:07d}" if status != "申请中" else None,
        备案状态=status, 备案起始=_date(rng, start), 信用状况="不良" if fault == "credit" else "良好"))
    staff = []
    p = person0
    for role, mode, proj in b.staffing(projects, part_time=True, support=None):
        contract = {}
        if mode == "专职":  # typed dates drawn in this order: the register stays the same for a seed
            contract = {"劳动合同起始": _date(rng, dt.date(2024, 1, 1)), "劳动合同终止": _date(rng, dt.date(2027, 12, 31))}
        staff.append(b.values("人员", b.person(
            ref, p, role, mode=mode, project=proj or None, 姓名=f"人员{p}", 身份证号=resident(p, region),
            考评员证书编号=f"KP{p:08d}" if role == "考评人员" else None, **contract)))
        p += 1
    if fault == "supervisor":
        staff = [r for r in staff if r[3] != "内部质量督导人员"][:] + [r for r in staff if r[3] == "内部质量督导人员"][:1]
    elif fault == "date":
        staff[1][6] = "2024-02-30"
    elif fault == "resident":
        staff[2][2] = wrong_resident(staff[2][2])
    elif fault == "contract":
        staff[3][6], staff[3][7] = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    lease_end = dt.date(start.year + 2, start.month, 1) if fault == "lease" else dt.date(2030, 12, 31)
    venues = [b.values("场地", b.venue(ref, address=address, start=dt.date(2024, 1, 1), end=lease_end, 不动产权证号=None))]
    projs = [b.values("考核项目", b.project(ref, proj, 变更=None, 首次考核日期=dt.date(2024, 6, 1))) for proj in projects]
    return inst, staff, venues, projs, fault


def generate(institutions: int, staff: int, single: bool = False, seed: int = 8, quiet: bool = False) -> Path:
    """Generate (or reuse) a register; returns its folder. ``staff`` is the target number
    of 人员 rows: institutions get one or two projects (12 or 17 staff rows) and, when
    ``institutions`` is 0, as many institutions as that target needs."""
    if institutions <= 0:
        institutions = max(1, round(staff / 15))
    key = f"{'single' if single else 'cities'}-i{institutions}-s{staff}-seed{seed}-v{VERSION}"
    folder = DATA / key
    if (folder / "DONE").exists():
        return folder
    t0 = time.perf_counter()
    tmp = DATA / f".{key}.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    rng = random.Random(seed)
    names = project_names()
    specs = (INSTITUTIONS, STAFF, VENUES, PROJECTS)
    writers: dict[str, Writer] = {}
    if single:
        w = Writer(tmp / "山东省.xlsx", specs)
        writers = {c: w for c in CITIES}
    else:
        for i, c in enumerate(CITIES):
            writers[c] = Writer(tmp / f"{i + 1:02d}_{c}.xlsx", specs)
    counts = {"机构": 0, "人员": 0, "场地": 0, "考核项目": 0}
    faults = {f: 0 for f in FAULTS}
    local = {c: 0 for c in CITIES}
    person = 1
    # 40 % of institutions have one project (12 staff rows), 60 % two (17): 15 on average.
    for n in range(1, institutions + 1):
        remaining = staff - counts["人员"]
        if remaining <= 0:
            break
        city = CITIES[n % len(CITIES)]
        k = local[city]
        local[city] += 1
        n_proj = 1 if rng.random() < 0.4 else 2
        projects = [names[(k * 2 + j) % N_PROJECTS] for j in range(n_proj)]
        inst, rows, venues, projs, fault = institution_rows(n, city, k, projects, rng, person)
        if n == institutions or len(rows) > remaining:
            # the last institution takes exactly the rows left (extra 技术支持人员 or fewer)
            while len(rows) < remaining:
                extra = list(rows[-1])
                extra[1], extra[3], extra[5] = f"人员{person + len(rows)}", "技术支持人员", None
                extra[2] = resident(person + len(rows), CITY_REGION[city])
                rows.append(extra)
            rows = rows[:remaining]
        person += len(rows)
        if fault:
            faults[fault] += 1
        w = writers[city]
        w.row("机构", inst)
        for r in rows:
            w.row("人员", r)
        for r in venues:
            w.row("场地", r)
        for r in projs:
            w.row("考核项目", r)
        counts["机构"] += 1
        counts["人员"] += len(rows)
        counts["场地"] += len(venues)
        counts["考核项目"] += len(projs)
    for w in {id(w): w for w in writers.values()}.values():
        w.close()
    _catalogue(tmp / "00_项目目录.xlsx", names)
    meta = {"key": key, "institutions": institutions, "staff": staff, "single": single, "seed": seed,
            "rows": counts, "faults": faults, "seconds": round(time.perf_counter() - t0, 1)}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    (folder / "DONE").write_text("")
    if not quiet:
        print(f"generated {folder.name}: {counts} in {meta['seconds']} s", file=sys.stderr)
    return folder


def _catalogue(path: Path, names: list[str]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("项目目录")
    ws.write_row(0, 0, ["考核项目", "项目代码", "征集市"])
    for i, name in enumerate(names, 1):
        ws.write_row(i, 0, [name, f"S{i:05d}"])
    wb.close()


def workbooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".xlsx")


def meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--institutions", type=int, default=0, help="number of institutions (0: staff ÷ 15)")
    ap.add_argument("--staff", type=int, default=300_000, help="number of 人员 rows")
    ap.add_argument("--single", action="store_true", help="one workbook with one sheet per kind")
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args(argv)
    print(generate(args.institutions, args.staff, args.single, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
