"""How much the read cache saves: `sheetkit validate` of an unchanged 1,000-institution
drop folder, first with an empty cache, then again, then with ``--no-cache``.

    python bench/bench_cache.py [--institutions 1000] [--per-file 10] [--keep DIR]

The folder is built here (one workbook per ``--per-file`` institutions, as submissions
arrive in a drop folder, plus a catalogue workbook), every institution complete and clean
as in tests/builders.py. Each run is a fresh process (`python -m sheetkit validate …
--format json`, interpreter start-up and imports included), timed from outside; each kind
is run ``--repeat`` times and the fastest counts. Prints the seconds of each and the
ratio cached/first; exits 1 if the reports differ or the cached run is not faster.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from sheetkit.register.model import INSTITUTIONS, PROJECTS, STAFF, VENUES  # noqa: E402
from sheetkit.rules.ids import resident_check_char, uscc_check_char  # noqa: E402

BASES = ["中式面点制作", "家政服务", "电子商务运营", "茶艺", "老年照护", "养老护理", "西式面点制作"]
PROJECTS_ALL = [f"{BASES[i % 7]}{i // 7 + 1}" for i in range(300)]  # ≤ 5 institutions per project and city
CITIES = ("济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂",
          "德州", "聊城", "滨州", "菏泽")


def uscc(n: int) -> str:
    body = f"91370100{n:09d}"[:17]
    return body + uscc_check_char(body)


def resident(n: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 1000)  # unique per person
    body = f"370102{birth:%Y%m%d}{n % 1000:03d}"
    return body + resident_check_char(body)


def institution_rows(n: int) -> dict[str, list[dict]]:
    code = uscc(n)
    projects = [PROJECTS_ALL[n % 300], PROJECTS_ALL[(n + 150) % 300]]
    inst = {"统一社会信用代码": code, "机构名称": f"第{n}职业技能培训学校", "所属市": CITIES[n % 16],
            "机构类型": "职业技能培训机构", "机构地址": f"经十路{n}号", "联系电话": "0531-88880000",
            "机构代码": f"JG{n:05d}", "备案状态": "已备案", "备案起始": dt.date(2025, 3, 1), "信用状况": "良好",
            "独立考核部门": "是", "培训考核年限": 3}
    staff = []
    k = n * 100

    def person(role, project=""):
        nonlocal k
        k += 1
        staff.append({"统一社会信用代码": code, "姓名": f"人员{k}", "身份证号": resident(k), "岗位": role,
                      "用工形式": "专职", "考核项目": project, "劳动合同起始": dt.date(2024, 1, 1),
                      "劳动合同终止": dt.date(2028, 12, 31), "社保缴纳月数": 24, "技能等级": "三级",
                      "专业技术职称": "中级", "学历": "本科", "相关工作年限": 5, "技能带头人": "否"})

    person("负责人")
    for _ in range(2):
        person("考核管理人员")
        person("考务管理人员")
        person("内部质量督导人员")
    for p in projects:
        for _ in range(3):
            person("考评人员", p)
        for _ in range(2):
            person("技术资源建设专家", p)
    venue = {"统一社会信用代码": code, "场地用途": "办公及考核", "场地地址": f"经十路{n}号", "产权类型": "租赁",
             "租赁起始": dt.date(2025, 1, 1), "租赁终止": dt.date(2030, 12, 31), "面积": 500, "监控全覆盖": "是"}
    proj = [{"统一社会信用代码": code, "考核项目": p, "卷库套数": 5, "题库道数": 300, "考核人次": 120,
             "取证人次": 100} for p in projects]
    return {"机构": [inst], "人员": staff, "场地": [venue], "考核项目": proj}


def write_workbook(path: Path, sheets: dict[str, list[dict]], specs: dict) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for kind, rows in sheets.items():
        ws = wb.add_worksheet(kind)
        header = specs[kind]
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows, 1):
            for c, name in enumerate(header):
                v = row.get(name)
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date_fmt)
                elif v is not None:
                    ws.write(r, c, v)
    wb.close()


def build_folder(folder: Path, institutions: int, per_file: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    specs = {s.kind: s.names for s in (INSTITUTIONS, STAFF, VENUES, PROJECTS)}
    specs["项目目录"] = ["考核项目", "项目代码", "征集市"]
    write_workbook(folder / "项目目录.xlsx",
                   {"项目目录": [{"考核项目": p, "项目代码": f"S{i:04d}"} for i, p in enumerate(PROJECTS_ALL, 1)]},
                   specs)
    files = 1
    for first in range(1, institutions + 1, per_file):
        sheets: dict[str, list[dict]] = {"机构": [], "人员": [], "场地": [], "考核项目": []}
        for n in range(first, min(first + per_file, institutions + 1)):
            for kind, rows in institution_rows(n).items():
                sheets[kind].extend(rows)
        write_workbook(folder / f"报送-{first:05d}.xlsx", sheets, specs)
        files += 1
    return files


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
    ap.add_argument("--per-file", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each kind; the fastest counts")
    ap.add_argument("--keep", type=Path, default=None, help="build the folder here and keep it")
    ap.add_argument("--quick", action="store_true", help="200 institutions, one run of each kind")
    ap.add_argument("--json", action="store_true", help="print a JSON object as the last line (bench/run.py)")
    args = ap.parse_args(argv)
    if args.quick:
        args.institutions, args.repeat = 200, 1
    with tempfile.TemporaryDirectory(prefix="sheetkit-bench-cache-") as tmp:
        folder = args.keep or Path(tmp) / "inbox"
        cache_dir = Path(tmp) / "cache"
        t0 = time.perf_counter()
        files = build_folder(folder, args.institutions, args.per_file)
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
