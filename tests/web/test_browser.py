"""The office page in a real browser: the system Chromium (Debian's `chromium`, installed
by .ci/run) driven by Playwright; nothing downloads a browser. The server runs in a
thread on a free loopback port. Skipped, with the reason, when Chromium is absent."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import docx
import pytest
from builders import AS_OF, clean_register, uscc, write_register
from web_fixture import BAD_ID, jinan

from sheetkit.web.app import create_app
from sheetkit.web.serve import ServerThread

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
TIMEOUT = 60_000

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium "
                                                               "(apt-get install chromium; .ci/run installs it)")]


def _qingdao() -> dict:
    """青岛: institution 3 with one 专职 内部质量督导人员 too few (staff.supervisor)."""
    sheets = clean_register(3)
    code = uscc(3)
    out = {kind: [r for r in rows if r.get("统一社会信用代码") == code] for kind, rows in sheets.items()
           if kind != "项目目录"}
    out["机构"][0].update({"所属市": "青岛", "机构名称": "青岛海韵职业技能培训学校"})
    sup = next(r for r in out["人员"] if r["岗位"] == "内部质量督导人员")
    out["人员"].remove(sup)
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def served(tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    app = create_app(inbox, as_of=AS_OF)
    app.state.office.wait(60)
    with ServerThread(app) as url:
        yield app, url
    app.state.office.wait(60)


def _drop(page, files: dict[str, bytes]) -> None:
    """Drop ``files`` onto the drop zone as a user dragging them from the desktop would."""
    payload = [{"name": n, "b64": base64.b64encode(b).decode()} for n, b in files.items()]
    page.evaluate("""(files) => {
        const dt = new DataTransfer();
        for (const f of files) {
            const bytes = Uint8Array.from(atob(f.b64), c => c.charCodeAt(0));
            dt.items.add(new File([bytes], f.name));
        }
        const zone = document.getElementById("drop-zone");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", payload)


def test_drop_fix_and_letters(tmp_path, browser, served):
    app, url = served
    jinan_bad = write_register(tmp_path / "src" / "济南.xlsx", jinan(bad=True)).read_bytes()
    qingdao = write_register(tmp_path / "src" / "青岛.xlsx", _qingdao()).read_bytes()
    fixed = write_register(tmp_path / "fix" / "济南.xlsx", jinan(bad=False))
    page = browser.new_page(locale="zh-CN", accept_downloads=True)
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    assert "还没有检查结果" in page.inner_text("#run-panel")

    # 1. drop two workbooks: both are added, a run starts and its results appear
    _drop(page, {"济南.xlsx": jinan_bad, "青岛.xlsx": qingdao})
    page.wait_for_selector("text=已添加：青岛.xlsx")
    page.wait_for_selector(f"details.inst[data-uscc='{uscc(3)}']")
    jinan2 = page.inner_text(f"details.inst[data-uscc='{uscc(2)}']")
    assert "不符合条件" in jinan2 and "id.resident" in jinan2 and "人员" in jinan2
    assert BAD_ID[:4] + "*" * 10 + BAD_ID[-4:] in jinan2 and BAD_ID not in page.content()
    qd = page.inner_text(f"details.inst[data-uscc='{uscc(3)}']")
    assert "staff.supervisor" in qd and "青岛.xlsx" in qd and "鲁人社函〔2025〕23号" in qd
    assert "符合条件" in page.inner_text(f"details.inst[data-uscc='{uscc(1)}'] summary")
    # the city filter narrows the page to 青岛
    page.select_option("#filters select[name=city]", "青岛")
    page.wait_for_function("() => !document.querySelector(`#status details.inst[data-uscc='%s']`)" % uscc(2))
    assert page.locator(f"#status details.inst[data-uscc='{uscc(3)}']").count() == 1

    # 2. a corrected 济南.xlsx: asked before replacing; then the fix is listed under 已修复
    page.set_input_files("#file-input", str(fixed))
    page.click("#upload-result button[value=replace]")
    page.wait_for_selector("#changes-fixed li .sev.fixed")
    fixed_list = page.inner_text("#changes-fixed")
    assert "已修复（1）" in fixed_list and "济南第2职业技能培训学校" in fixed_list
    assert "（无）" in page.inner_text("#changes-new")
    assert "符合条件" in page.inner_text(f"details.inst[data-uscc='{uscc(2)}'] summary")
    assert "不符合 → 符合" in page.inner_text("#changes")

    # 3. filing letters with date and issuer: a zip, and the page names who was skipped and why
    page.check("input[name=kind][value=filing]")
    page.fill("input[name=issuer]", "山东省人力资源和社会保障厅")
    page.fill("input[name=date]", "2026-12-01")
    page.click("#letters-form button[type=submit]")
    page.wait_for_selector("#letters-zip")
    skipped = page.inner_text("#letters-skipped")
    assert "青岛海韵职业技能培训学校" in skipped and "督导" in skipped
    with page.expect_download() as info:
        page.click("#letters-zip")
    data = Path(info.value.path()).read_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    letters = sorted(n for n in zf.namelist() if n.endswith(".docx"))
    assert [n.split("_")[1] for n in letters] == [uscc(1), uscc(2)]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(zf.read(letters[0]))).paragraphs)
    assert "济南第1职业技能培训学校" in text and "山东省人力资源和社会保障厅" in text and "2026年12月1日" in text
    assert "filing/letters.json" in zf.namelist()
    page.close()


def test_problem_list_download_has_changes_sheet(tmp_path, browser, served):
    import openpyxl

    app, url = served
    page = browser.new_page(locale="zh-CN", accept_downloads=True)
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.set_input_files("#file-input", str(write_register(tmp_path / "a" / "济南.xlsx", jinan(bad=True))))
    page.wait_for_selector(f"details.inst[data-uscc='{uscc(2)}']")
    page.set_input_files("#file-input", str(write_register(tmp_path / "b" / "青岛.xlsx", _qingdao())))
    page.wait_for_selector("#changes-new li .sev")
    assert "新增机构" in page.inner_text("#changes")
    with page.expect_download() as info:
        page.click("#downloads a:has-text('问题清单.xlsx')")
    assert info.value.suggested_filename == "问题清单.xlsx"
    info.value.save_as(tmp_path / "问题清单.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "问题清单.xlsx")
    rows = [[c.value for c in r] for r in wb["变更"].iter_rows(min_row=3)]
    assert ["新增机构", "青岛", "青岛海韵职业技能培训学校", uscc(3)] == rows[0][:4]
    assert any(r[0] == "新问题" and r[5] == "staff.supervisor" for r in rows)
    page.close()


def test_tab_shows_where_the_keyboard_is(browser, served):
    """The first Tab lands on the file input, which is invisible: the drop box shows the
    focus instead (it showed nothing, so a clerk without a mouse could not see where to
    press Enter); the next Tabs reach 重新检查 and the filters."""
    app, url = served
    page = browser.new_page()
    page.goto(url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "file-input"
    outline = page.evaluate("getComputedStyle(document.getElementById('drop-zone')).outlineStyle")
    assert outline not in ("none", ""), outline
    pick = page.evaluate("getComputedStyle(document.querySelector('#drop-zone .pick')).backgroundColor")
    assert pick != "rgb(255, 255, 255)"
    seen = []
    for _ in range(4):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.name || document.activeElement.innerText || ''"))
    assert "重新检查" in seen and "severity" in seen, seen
    page.close()


def test_a_failed_request_is_said_on_the_page(browser, served):
    """After `sheetkit serve` restarts (a new security token) or stops, 重新检查 and 生成
    did nothing at all (htmx swaps nothing on an error): the page now says why, in Chinese."""
    app, url = served
    page = browser.new_page()
    page.goto(url)
    banner = page.locator("#page-error")
    assert banner.is_hidden()
    app.state.guard.csrf = "another-process"  # as after a restart: the page holds the old token
    page.click("#run-panel button")
    banner.wait_for(state="visible", timeout=TIMEOUT)
    assert "安全令牌" in banner.inner_text() and "刷新页面" in banner.inner_text()
    page.route("**/letters", lambda route: route.abort())  # the server is gone
    page.evaluate("document.querySelector('#letters-form button[type=submit]').disabled = false")
    page.click("#letters-form button[type=submit]")
    page.wait_for_function("document.getElementById('page-error').innerText.includes('连接不上')", timeout=TIMEOUT)
    assert "sheetkit serve" in banner.inner_text()
    page.close()
