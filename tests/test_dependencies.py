"""What src/ imports is declared in pyproject.toml, with a lower bound: a module imported
outside sheetkit/web/ is a core dependency; one imported only by the web page may be in the
`web` extra. Nothing is declared that nothing imports, except what is named below."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sheetkit"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# declared without a direct import, and why
INDIRECT = {
    "python-multipart": "starlette needs it to read uploaded files (web extra)",
}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _declared(group: list[str]) -> dict[str, str]:
    return {_name(r): r for r in group if not r.startswith("sheetkit")}


CORE = _declared(PYPROJECT["project"]["dependencies"])
WEB = _declared(PYPROJECT["project"]["optional-dependencies"]["web"])


def _imports() -> dict[str, set[str]]:
    """Top-level module → the files under src/sheetkit importing it (absolute imports,
    the standard library and sheetkit itself left out)."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "sheetkit":
                    found.setdefault(top, set()).add(path.relative_to(SRC).as_posix())
    return found


IMPORTS = _imports()
DISTRIBUTIONS = packages_distributions()


def _distribution(module: str) -> str:
    names = DISTRIBUTIONS.get(module)
    assert names, f"{module} is imported by {sorted(IMPORTS[module])} but not installed"
    return names[0].lower().replace("_", "-")


def test_every_import_is_declared_where_it_is_needed():
    problems = []
    for module, files in sorted(IMPORTS.items()):
        dist = _distribution(module)
        web_only = all(f.startswith(("web/", "cli/serve")) for f in files)
        if dist in CORE or (web_only and dist in WEB):
            continue
        where = "the web extra or the dependencies" if web_only else "the dependencies"
        problems.append(f"{dist} (import {module} in {sorted(files)}) is not in {where}")
    assert not problems, "\n".join(problems)


def test_every_declared_dependency_is_imported_and_bounded_below():
    imported = {_distribution(m) for m in IMPORTS}
    for name, requirement in {**CORE, **WEB}.items():
        assert ">=" in requirement, f"{requirement}: give it a lower bound"
        assert name in imported or name in INDIRECT, f"{name} is declared but src/ never imports it"
    test = PYPROJECT["project"]["optional-dependencies"]["test"]
    assert all(">=" in r for r in test if not r.startswith("sheetkit")), test
