"""`make screenshot`: docs/img/web.png — the office page over the sample registers, after
a second workbook was dropped (so the 变更 section has something to show). Uses the
system Chromium (/usr/bin/chromium) through Playwright; downloads nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def main(out: Path = ROOT / "docs" / "img" / "web.png", as_of: str = "2026-11-24") -> int:
    from playwright.sync_api import sync_playwright

    from sheetkit.web.app import create_app
    from sheetkit.web.serve import ServerThread

    if not Path(CHROMIUM).exists():
        print(f"需要 {CHROMIUM}（apt-get install chromium）", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "收件"
        inbox.mkdir()
        for name in ("济南市登记表.xlsx", "项目目录.xlsx"):
            shutil.copy(ROOT / "workbooks" / name, inbox / name)
        app = create_app(inbox, as_of=dt.date.fromisoformat(as_of))
        app.state.office.wait(120)
        with ServerThread(app) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1500}, locale="zh-CN")
            page.goto(url)
            page.set_input_files("#file-input", str(ROOT / "workbooks" / "青岛市登记表.xlsx"))
            page.wait_for_selector("#changes-new li .sev", timeout=120_000)
            page.select_option("select[name=city]", "青岛")
            page.wait_for_timeout(800)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
            browser.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
