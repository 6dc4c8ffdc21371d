"""The layers of `src/sheetkit` run one way (STYLE.md: files → register → rules →
assessment → outputs). The import graph is read from the source with `ast`, every
import counted wherever it is written (a function-local import is an arrow like any
other), and checked for circles and for arrows from a lower layer to a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Lowest first. A module belongs to the layer of the longest prefix naming it (the root
# package `sheetkit`, the public API, names only itself: a new module must be placed).
LAYERS = [
    # the bottom: the Finding record, errors, dates and working days, atomic writes
    # and the leaves: cell addresses, the kinds of document
    ("base", ["sheetkit.errors", "sheetkit.report.model", "sheetkit.report", "sheetkit.periods",
              "sheetkit.workdays", "sheetkit.outputs", "sheetkit.cells", "sheetkit.documents"]),
    ("register", ["sheetkit.register"]),
    ("rules", ["sheetkit.rules"]),
    # a profile is checked against the rules' declarations, so it sits above them; a rule
    # sees the profile only as the Context hands it over
    ("profiles", ["sheetkit.profiles", "sheetkit.coverage"]),
    ("assessment", ["sheetkit.assessment", "sheetkit.engine", "sheetkit.cache"]),
    # everything that renders an assessment, a rule list or a blank form
    ("outputs", ["sheetkit.report.terminal", "sheetkit.report.annotate", "sheetkit.report.workbook",
                 "sheetkit.report.changes_sheet", "sheetkit.report.text", "sheetkit.report.summary_tables",
                 "sheetkit.report.layout", "sheetkit.rules.doc",
                 "sheetkit.register.template", "sheetkit.letters", "sheetkit.directory", "sheetkit.due",
                 "sheetkit.changes", "sheetkit.scoresheet", "sheetkit.docs", "sheetkit.watch",
                 "sheetkit.testing", "sheetkit.publicity"]),  # the fixture builder: registers in, checked assessments out
    ("interface", ["sheetkit.cli", "sheetkit.web", "sheetkit.__main__", "sheetkit"]),
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "sheetkit").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict) -> set[str]:
    """The sheetkit modules ``name`` imports: ``from a import b`` is an import of ``a.b``
    when ``b`` is a module, else of ``a``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                stem = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*stem, base] if base else stem)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("sheetkit") and target != name:
                out.add(target)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _layer(module: str) -> int:
    best, level = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            under = module.startswith(prefix + ".") and prefix != "sheetkit"
            if (module == prefix or under) and len(prefix) > best:
                best, level = len(prefix), i
    assert level is not None, f"{module} is in no layer: add it to LAYERS in {__file__}"
    return level


def test_every_module_has_a_layer():
    for module in _graph():
        _layer(module)


def test_no_import_from_a_lower_layer_to_a_higher_one():
    upward = [f"{m} ({LAYERS[_layer(m)][0]}) imports {t} ({LAYERS[_layer(t)][0]})"
              for m, targets in _graph().items() for t in sorted(targets) if _layer(t) > _layer(m)]
    assert not upward, "\n".join(upward)


def test_no_import_circle():
    graph = _graph()
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not circles, circles


def test_the_checker_sees_function_local_imports_and_a_planted_circle(tmp_path):
    """The graph reader itself: a function-local import is an arrow, and `from a import b`
    of a submodule points at the submodule."""
    modules = {"sheetkit.a": tmp_path / "a.py", "sheetkit.a.b": tmp_path / "b.py", "sheetkit.c": tmp_path / "c.py"}
    (tmp_path / "a.py").write_text("def f():\n    from sheetkit.c import x\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from sheetkit.a import b\n", encoding="utf-8")
    assert _imports("sheetkit.a", modules["sheetkit.a"], modules) == {"sheetkit.c"}
    assert _imports("sheetkit.c", modules["sheetkit.c"], modules) == {"sheetkit.a.b"}
    assert _layer("sheetkit.rules.doc") > _layer("sheetkit.profiles") > _layer("sheetkit.rules.staff")
