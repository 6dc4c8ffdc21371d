"""Nothing is lost: inputs are never rewritten (checked by hashing them around every
command), and a real `sheetkit` process killed with SIGINT or SIGKILL at a random moment
leaves every output either as it was or complete — never a broken file.

Temporary files: outputs are written to a hidden ``.<name>.<random>.tmp<suffix>`` beside
the target and renamed into place (sheetkit.outputs.atomic_path). On SIGINT (Ctrl-C) the
temporary file is removed. On SIGKILL nothing can run, so a hidden ``.tmp`` file may stay
behind; it is never mistaken for an output (hidden, different name, never read as an
input) and may be deleted. The test allows exactly that and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from build_corpus import build_encrypted_xlsx, build_formulas, build_strange_text  # noqa: E402
from builders import (  # noqa: E402
    AS_OF, CATALOGUE, catalogue_rows, institution, project, resident, staff_for, uscc, venues_for, write_register,
)
from sheetkit.cli import cli  # noqa: E402

CITIES = ["济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂", "德州",
          "聊城", "滨州", "菏泽"]
ISSUER = "济南市人力资源和社会保障局"


def eligible_register(n: int) -> dict:
    """``n`` applicants that all qualify: spread over the cities and projects so that no
    city has more than 5 institutions per project, every person a distinct ID number."""
    sheets = {"机构": [], "人员": [], "场地": [], "考核项目": [], "项目目录": catalogue_rows()}
    k = 0
    for i in range(1, n + 1):
        code = uscc(i)
        projects = [CATALOGUE[i % len(CATALOGUE)], CATALOGUE[(i + 1) % len(CATALOGUE)]]
        sheets["机构"].append(institution(i, 所属市=CITIES[i % len(CITIES)]))
        for row in staff_for(code, projects, start=i * 100):
            k += 1
            row["身份证号"] = resident(k % 1000, region=f"{370100 + k // 1000:06d}")
            sheets["人员"].append(row)
        sheets["场地"].extend(venues_for(code))
        sheets["考核项目"].extend(project(code, p) for p in projects)
    return sheets


def digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------- inputs untouched

@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    write_register(folder / "jinan.xlsx", eligible_register(6))
    build_strange_text(folder / "strange.xlsx")
    (folder / "sub").mkdir()
    build_formulas(folder / "sub" / "formulas.xlsx")
    build_encrypted_xlsx(folder / "locked.xlsx")
    return folder


COMMANDS = {
    "validate": lambda src, out: ["validate", src, "--report", out / "r.xlsx", "--annotate", out / "ann",
                                  "--format", "json"],
    "letters": lambda src, out: ["letters", "filing", src, "-o", out / "letters", "--date", AS_OF,
                                 "--issuer", ISSUER, "--combined"],
    "directory": lambda src, out: ["directory", src, "-o", out / "目录.xlsx", "--year", "2026", "--csv"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_inputs_are_never_rewritten(inputs, tmp_path, command):
    before = digest(inputs)
    args = [str(a) for a in COMMANDS[command](inputs, tmp_path)] + ["--as-of", str(AS_OF)]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    assert digest(inputs) == before  # same bytes, same modification times, no new files
    assert any(tmp_path.rglob("*.*")), "the command wrote nothing"


def test_annotating_into_the_input_folder_leaves_inputs_alone(inputs, tmp_path):
    """Even with the annotated copies written beside the inputs, no input changes."""
    import shutil

    folder = tmp_path / "regs"
    shutil.copytree(inputs, folder)
    before = digest(folder)
    result = CliRunner().invoke(cli, ["validate", str(folder), "--annotate", str(folder), "--as-of", str(AS_OF)])
    assert result.exit_code == 1, result.output
    after = digest(folder)
    assert {k: v for k, v in after.items() if k in before} == before


# ------------------------------------------------------------------- interrupted runs

def hidden(out: Path) -> set[Path]:
    return {p for p in out.rglob(".*") if p.is_file()}


def check_outputs(out: Path, allow_tmp: bool, context: str, before: set[Path] = frozenset()) -> None:
    """Every output present opens; temporary files left only as allowed (``before``: the
    ones earlier SIGKILLed runs left, which may stay)."""
    import docx
    import openpyxl

    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        if p.name.startswith("."):
            assert ".tmp" in p.name, f"{context}: unexpected hidden file {p.name}"
            assert allow_tmp or p in before, f"{context}: temporary file left behind: {p.name}"
            continue
        assert ".tmp" not in p.name, f"{context}: {p.name}"
        try:
            if p.suffix == ".xlsx":
                openpyxl.load_workbook(p, read_only=True).close()
            elif p.suffix == ".docx":
                docx.Document(str(p))
            elif p.suffix == ".json":
                json.loads(p.read_text(encoding="utf-8"))
            elif p.suffix == ".csv":
                p.read_text(encoding="utf-8-sig")
        except Exception as exc:  # pragma: no cover - the failure message is the point
            raise AssertionError(f"{context}: {p.relative_to(out)} is broken: {exc!r}") from exc


def start(args: list) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "sheetkit", *map(str, args), "--as-of", str(AS_OF)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    write_register(folder / "register.xlsx", eligible_register(30))
    return folder


KILL_ARGS = {
    "validate": lambda src, out, n: ["validate", src, "--report", out / "问题清单.xlsx", "--annotate", out / "标注"],
    # a different date each run changes every letter, so each run really rewrites them
    "letters": lambda src, out, n: ["letters", "filing", src, "-o", out, "--date", f"2026-11-{10 + n:02d}",
                                    "--issuer", ISSUER, "--force", "--combined"],
    "directory": lambda src, out, n: ["directory", src, "-o", out / "目录.xlsx", "--year", "2026", "--csv"],
}


@pytest.mark.slow
@pytest.mark.parametrize("command", list(KILL_ARGS))
def test_killed_runs_leave_old_or_new_outputs(big, tmp_path, command):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    out = tmp_path / "out"
    inputs_before = digest(big)

    t0 = time.monotonic()
    first = start(KILL_ARGS[command](big, out, 0))
    _, err = first.communicate(timeout=120)
    full = time.monotonic() - t0
    assert first.returncode in (0, 1), err.decode("utf-8", "replace")[-2000:]
    check_outputs(out, allow_tmp=False, context=f"{command} complete run")
    outputs = {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    assert outputs

    for n, sig in enumerate((signal.SIGKILL, signal.SIGINT), 1):
        # most of a run is starting Python and reading; the writing is at the end
        delay = rng.uniform(0.4 * full, 1.05 * full)
        left = hidden(out)
        proc = start(KILL_ARGS[command](big, out, n))
        time.sleep(delay)
        proc.send_signal(sig)
        proc.communicate(timeout=60)
        context = f"{command} {sig.name} after {delay:.2f}s of {full:.2f}s (seed {seed})"
        check_outputs(out, allow_tmp=sig == signal.SIGKILL, context=context, before=left)
        present = {p.relative_to(out) for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
        assert outputs <= present, f"{context}: lost {outputs - present}"

    # a run after the kills completes and leaves only complete outputs (and at most the
    # hidden temporary files of killed runs)
    left = hidden(out)
    last = start(KILL_ARGS[command](big, out, 9))
    _, err = last.communicate(timeout=120)
    assert last.returncode in (0, 1), err.decode("utf-8", "replace")[-2000:]
    check_outputs(out, allow_tmp=False, context=f"{command} run after kills", before=left)
    assert digest(big) == inputs_before
