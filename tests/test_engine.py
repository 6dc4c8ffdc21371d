"""The engine: a crashing rule stops the run with a clear line naming it, never a partial report."""

from __future__ import annotations

import pytest
from builders import AS_OF
from click.testing import CliRunner

from sheetkit.cli import cli
from sheetkit.engine import validate
from sheetkit.errors import SheetkitError
from sheetkit.rules import RULES


@pytest.fixture
def broken_rule(monkeypatch):
    import dataclasses

    def boom(ctx):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(RULES, "inst.credit", dataclasses.replace(RULES["inst.credit"], check=boom))


def test_a_crashing_rule_is_a_sheetkit_error_naming_it(clean, broken_rule):
    with pytest.raises(SheetkitError, match="规则 inst.credit 运行出错"):
        validate([clean], as_of=AS_OF)


def test_cli_reports_the_crash_in_one_line_and_exits_2(clean, broken_rule):
    result = CliRunner().invoke(cli, ["validate", str(clean)])
    assert result.exit_code == 2
    assert "规则 inst.credit 运行出错" in result.output and "Traceback" not in result.output


def test_clean_register_is_valid(clean):
    report = validate([clean], as_of=AS_OF)
    assert report.valid and report.exit_code == 0 and report.summary["error"] == 0
    assert [i["eligible"] for i in report.to_dict(personal=True)["institutions"]] == [True]


def test_validate_leaves_the_collector_as_it_found_it(clean, monkeypatch):
    """`validate` quiets Python's cyclic collector while it runs (engine.fewer_collections):
    a program that calls it gets its collector back unchanged, also when the run fails."""
    import dataclasses
    import gc

    before = gc.get_threshold()
    assert validate([clean], as_of=AS_OF).valid
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()
    monkeypatch.setitem(RULES, "inst.credit", dataclasses.replace(RULES["inst.credit"], check=lambda ctx: 1 / 0))
    with pytest.raises(SheetkitError):
        validate([clean], as_of=AS_OF)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
