"""sheetkit — checks 专项职业能力考核机构 registers kept in Excel and produces the
official documents that follow from them.

Public API (imports are lazy so `sheetkit --help` starts fast)::

    from sheetkit import validate
    report = validate(["workbooks/"], profile="shandong-2025")
    report.valid, report.findings, report.to_json()
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "validate",
    "read_register",
    "Report",
    "Finding",
    "SheetkitError",
    "render_letters",
    "write_directory",
    "load_profile",
]

_LAZY = {
    "validate": ("sheetkit.engine", "validate"),
    "read_register": ("sheetkit.register", "read_register"),
    "Report": ("sheetkit.report.model", "Report"),
    "Finding": ("sheetkit.report.model", "Finding"),
    "SheetkitError": ("sheetkit.errors", "SheetkitError"),
    "render_letters": ("sheetkit.letters", "render_letters"),
    "write_directory": ("sheetkit.directory", "write_directory"),
    "load_profile": ("sheetkit.profiles", "load_profile"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'sheetkit' has no attribute {name!r}")
