"""`sheetkit rules` — list every rule: id, severity, switch, thresholds, clause, title."""

from __future__ import annotations

import json

import click

from sheetkit.cli.options import handle_errors, profile_option


@click.command("rules")
@profile_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 供人阅读，json 供程序读取。")
@click.option("--coverage", is_flag=True,
              help="列出政策文件的每一条件条款及其覆盖方式：规则、现场核验、文书或不适用。")
@handle_errors
def command(profile, fmt, coverage):
    """列出全部规则：编号、严重程度、是否启用、阈值、政策条款和说明。

    Lists every rule under the profile (default shandong-2025): id, severity, enabled,
    thresholds, clause and title. With --coverage: every clause of the profile's notice
    that states a condition, count, period, score rule or document, and how it is covered."""
    from sheetkit.profiles import load_profile
    from sheetkit.rules.doc import rules_table, thresholds_text

    prof = load_profile(profile)
    if coverage:
        from sheetkit.coverage import coverage_lines, coverage_table

        if fmt == "json":
            click.echo(json.dumps({"profile": prof.id, "document": prof.document, "clauses": coverage_table(prof)},
                                  ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(coverage_lines(prof)))
        return
    rows = rules_table(prof)
    if fmt == "json":
        click.echo(json.dumps({"profile": prof.id, "title": prof.title, "rules": rows}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{prof.id} — {prof.title}")
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        state = r["severity"] if r["enabled"] else "off"
        click.echo(f"{r['id']:<{width}}  {state:<9}  {r['title']}")
        details = [x for x in (thresholds_text(r["thresholds"]), r["clause"]) if x]
        if details:
            click.echo(f"{'':<{width}}  {'':<9}  " + " · ".join(details))
