"""The office page without a browser (Starlette's test client): uploads are named safely,
guarded and never overwrite without asking; every POST needs the CSRF token and the
page's own origin; a token gates everything when set; runs of one folder are serialised;
a failed run keeps the last good result; 身份证号 never appear unmasked."""

from __future__ import annotations

import io
import threading
import time

import pytest
from builders import AS_OF, resident, uscc, write_register
from web_fixture import BAD_ID, jinan

from starlette.testclient import TestClient

from sheetkit.errors import SheetkitError, UsageError
from sheetkit.web import view
from sheetkit.web.app import create_app
from sheetkit.web.office import folder_lock, safe_name
from sheetkit.web.serve import check_address

BASE = "http://127.0.0.1:8765"
ORIGIN = {"origin": BASE}


def _xlsx(tmp_path, bad: bool = True) -> bytes:
    return write_register(tmp_path / f"build-{bad}.xlsx", jinan(bad)).read_bytes()


@pytest.fixture
def app(tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    app = create_app(inbox, as_of=AS_OF, run_at_start=False)
    yield app
    app.state.office.wait(60)


@pytest.fixture
def client(app):
    return TestClient(app, base_url=BASE)


def _post(client, app, url, files=None, **data):
    return client.post(url, data={"csrf": app.state.guard.csrf, **data}, files=files, headers=ORIGIN)


def _upload(client, app, name, content):
    r = _post(client, app, "/upload", files=[("files", (name, io.BytesIO(content), "application/octet-stream"))])
    assert r.status_code == 200, r.text
    app.state.office.wait(60)
    return r


@pytest.mark.parametrize("given, expected", [
    ("济南.xlsx", "济南.xlsx"), ("../../etc/济南.xlsx", "济南.xlsx"), ("C:\\Users\\x\\青岛.XLSX", "青岛.XLSX"),
    ("~$锁定.xlsx", "锁定.xlsx"), (".隐藏.xlsx", "隐藏.xlsx"), ('a<b>:"c|?*.xlsx', "a_b___c___.xlsx"),
    ("<>:.xlsx", "工作簿.xlsx"),
])
def test_safe_name(given, expected):
    assert safe_name(given) == expected


@pytest.mark.parametrize("given", ["报告.docx", "x.xlsx.exe", "a.标注.xlsx", "", "..xlsx"])
def test_safe_name_refuses(given):
    with pytest.raises(UsageError):
        safe_name(given)


def test_upload_runs_and_shows_findings_masked(tmp_path, app, client):
    r = _upload(client, app, "../济南.xlsx", _xlsx(tmp_path))
    assert "已添加：济南.xlsx" in r.text
    assert (app.state.office.folder / "济南.xlsx").is_file()
    assert not (tmp_path / "济南.xlsx").exists()  # the "../" did not escape the folder
    page = client.get("/").text
    assert "id.resident" in page and "济南第2职业技能培训学校" in page
    assert BAD_ID not in page and BAD_ID[:4] + "*" * 10 + BAD_ID[-4:] in page
    for n in range(200, 240):  # no 身份证号 of the register appears in full
        assert resident(n) not in page
    # filters: by severity and by search on a name
    assert "id.resident" not in client.get("/status", params={"severity": "warning"}).text
    hit = client.get("/status", params={"q": "济南第2"}).text
    assert "济南第2职业技能培训学校" in hit and "济南第1职业技能培训学校" not in hit


def test_refused_upload_is_not_added(tmp_path, app, client):
    r = _upload(client, app, "假的.xlsx", b"<html><body>not a workbook</body></html>")
    assert "未添加" in r.text and "假的.xlsx" in r.text
    assert list(app.state.office.folder.iterdir()) == [app.state.office.folder / ".sheetkit-上传中"]
    assert list((app.state.office.folder / ".sheetkit-上传中").iterdir()) == []


def test_refused_lock_file_is_named_as_dropped(tmp_path, app, client):
    """Dropping a whole folder brings Excel's lock file ``~$济南.xlsx`` along: its refusal
    names that file and says what it is, not 「“济南.xlsx”未添加」 next to the real 济南.xlsx
    just added."""
    r = _upload(client, app, "~$济南.xlsx", b"\x0cclerk\x00" * 20)
    assert "“~$济南.xlsx”未添加" in r.text and "锁定文件" in r.text
    assert "“济南.xlsx”" not in r.text


def test_same_name_asks_before_replacing(tmp_path, app, client):
    _upload(client, app, "济南.xlsx", _xlsx(tmp_path, bad=True))
    first = (app.state.office.folder / "济南.xlsx").read_bytes()
    fixed = _xlsx(tmp_path, bad=False)
    r = _upload(client, app, "济南.xlsx", fixed)
    assert "要替换它吗" in r.text
    assert (app.state.office.folder / "济南.xlsx").read_bytes() == first  # not yet
    token = next(iter(app.state.office._pending))
    r = _post(client, app, "/upload/resolve", id=token, action="keep")
    assert "已添加：济南（2）.xlsx" in r.text
    assert (app.state.office.folder / "济南（2）.xlsx").read_bytes() == fixed
    _upload(client, app, "济南.xlsx", fixed)
    token = next(iter(app.state.office._pending))
    r = _post(client, app, "/upload/resolve", id=token, action="replace")
    app.state.office.wait(60)
    assert (app.state.office.folder / "济南.xlsx").read_bytes() == fixed
    assert "已经处理过" in _post(client, app, "/upload/resolve", id=token, action="replace").text


def test_post_needs_csrf_and_origin(tmp_path, app, client):
    csrf = app.state.guard.csrf
    assert client.post("/run", data={}, headers=ORIGIN).status_code == 403
    assert client.post("/run", data={"csrf": "guess"}, headers=ORIGIN).status_code == 403
    assert client.post("/run", data={"csrf": csrf}, headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post("/run", data={"csrf": csrf}).status_code == 403  # neither Origin nor Referer
    assert client.post("/run", data={}, headers={**ORIGIN, "x-csrf-token": csrf}).status_code == 200
    assert client.post("/run", data={"csrf": csrf}, headers={"referer": BASE + "/"}).status_code == 200
    assert client.get("/", headers={"host": "evil.example"}).status_code == 403  # DNS rebinding
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_token(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    app = create_app(inbox, as_of=AS_OF, token="correct-horse-battery", run_at_start=False)
    c = TestClient(app, base_url="http://192.0.2.10:8765")
    assert c.get("/").status_code == 401
    assert c.get("/?token=wrong").status_code == 401
    r = c.get("/?token=correct-horse-battery&q=x", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?q=x" and "httponly" in r.headers["set-cookie"].lower()
    assert c.get("/").status_code == 200  # the cookie now
    assert c.get("/static/htmx.min.js").status_code == 200
    with pytest.raises(UsageError):
        check_address("0.0.0.0", None)
    with pytest.raises(UsageError):
        check_address("0.0.0.0", "short")
    check_address("127.0.0.1", None)
    check_address("0.0.0.0", "correct-horse-battery")


def test_failed_run_keeps_last_good(tmp_path, app, client, monkeypatch):
    _upload(client, app, "济南.xlsx", _xlsx(tmp_path))
    good = app.state.office.current
    assert good is not None and app.state.office.failed is None

    def broken(*a, **k):
        raise SheetkitError("配置文件损坏（测试）")

    monkeypatch.setattr("sheetkit.engine.validate", broken)
    app.state.office.run_now()
    assert app.state.office.current is good and app.state.office.failed.error == "配置文件损坏（测试）"
    page = client.get("/").text
    assert "最近一次检查失败：配置文件损坏（测试）" in page and "上一次成功检查的结果" in page
    assert "济南第2职业技能培训学校" in page and "id.resident" in page


def test_runs_of_one_folder_are_serialised(app, monkeypatch):
    office = app.state.office
    active, most, calls = [0], [0], [0]
    real = office.watcher.run

    def slow_run():
        active[0] += 1
        most[0] = max(most[0], active[0])
        calls[0] += 1
        time.sleep(0.2)
        try:
            return real()
        finally:
            active[0] -= 1

    monkeypatch.setattr(office.watcher, "run", slow_run)
    threads = [threading.Thread(target=office.run_now) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(3):
        office.start_run()  # while running: one more run afterwards, not three
    for t in threads:
        t.join()
    assert office.wait(60)
    assert most[0] == 1
    assert 4 <= calls[0] <= 5
    assert folder_lock(office.folder) is office.lock
    assert folder_lock(office.folder / ".." / office.folder.name) is office.lock


def test_letters_zip_and_manifest(tmp_path, app, client):
    import zipfile

    _upload(client, app, "济南.xlsx", _xlsx(tmp_path))
    r = _post(client, app, "/letters", kind="filing", issuer="济南市人力资源和社会保障局", date="2026-12-01",
              directory="1", year="2026")
    assert r.status_code == 200 and "已生成 1 份文书" in r.text, r.text
    assert "济南第2职业技能培训学校" in r.text and "校验码错误" in r.text  # skipped, with why
    name = r.text.split('href="/downloads/')[1].split('"')[0]
    z = client.get(f"/downloads/{name}")
    assert z.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(z.content))
    names = zf.namelist()
    assert any(n.startswith("filing/filing_") and "济南第1" in n for n in names)
    assert "filing/letters.json" in names and "考核机构目录2026.xlsx" in names
    assert client.get("/downloads/..%2F..%2Fetc%2Fpasswd").status_code == 404
    bad = _post(client, app, "/letters", date="2026-13-01", kind="filing")
    assert "日期、年份或起始序号格式不对" in bad.text


def test_view_mask_ids():
    code = uscc(5)
    text = f"身份证号 {resident(3)} 与 {resident(4)} 重复；机构 {code}"
    masked = view.mask_ids(text)
    assert resident(3) not in masked and resident(3)[:4] + "*" * 10 + resident(3)[-4:] in masked
    assert code in masked  # a credit code is not a 身份证号
    assert view.mask_value("身份证号", "123") == "***"


def test_serve_command_starts_and_honours_the_cache_options(tmp_path, monkeypatch):
    """`sheetkit serve FOLDER` as docs/web.md gives it: it starts the page (uvicorn.run is
    replaced here, so nothing listens); --no-cache reads without a cache, --cache-dir gives
    the runs one. It used to stop with a TypeError traceback on every start."""
    import uvicorn
    from click.testing import CliRunner

    from sheetkit.cli import cli

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append((app, kw)))
    inbox = tmp_path / "收件"
    inbox.mkdir()
    res = CliRunner().invoke(cli, ["serve", str(inbox), "--no-browser", "--port", "18765", "--no-cache"])
    assert res.exit_code == 0, res.output
    (app, kw), = started
    assert kw["port"] == 18765 and kw["host"] == "127.0.0.1"
    assert app.state.office.watcher.cache is None
    assert "检查页面：http://127.0.0.1:18765/" in res.stderr
    res = CliRunner().invoke(cli, ["serve", str(inbox), "--no-browser", "--cache-dir", str(tmp_path / "缓存")])
    assert res.exit_code == 0, res.output
    assert started[-1][0].state.office.watcher.cache is not None


def test_verdicts_read_as_the_terminal_says_them(tmp_path, app, client):
    """A 终止备案 institution is neither 符合 nor 不符合条件 (the terminal counts it apart and
    lists no reason); a reason is the rule's Chinese title with its id, never the bare id."""
    from builders import clean_register

    sheets = jinan(bad=True)
    ended = clean_register(3)
    code = uscc(3)
    for kind, rows in ended.items():
        if kind != "项目目录":
            sheets[kind] += [r for r in rows if r.get("统一社会信用代码") == code]
    row = next(r for r in sheets["机构"] if r["统一社会信用代码"] == code)
    row.update(备案状态="终止备案", 机构代码="JN2024002")
    _upload(client, app, "济南.xlsx", write_register(tmp_path / "j.xlsx", sheets).read_bytes())
    page = client.get("/").text
    block = page[page.index(f'data-uscc="{code}"'):]
    block = block[:block.index("</details>")]
    assert '<span class="badge ended">终止备案</span>' in block and "不符合条件" not in block
    assert "letters.status" not in page
    assert "3 家机构，1 家符合条件，1 家终止备案" in page
    assert "不符合的规则：身份证号格式或校验码错误（id.resident）" in page


def test_a_document_change_reads_yes_no(tmp_path, app, client):
    """「出具备案回执：否 → 是」 as in the 变更 sheet, not 「不符合 → 符合」 (that is eligibility's)."""
    _upload(client, app, "济南.xlsx", _xlsx(tmp_path, bad=True))
    (app.state.office.folder / "济南.xlsx").write_bytes(_xlsx(tmp_path, bad=False))
    app.state.office.run_now()
    page = client.get("/").text
    assert "是否符合条件：不符合 → 符合" in page
    assert "出具备案回执：否 → 是" in page and "出具备案回执：不符合" not in page


def test_the_policy_is_named_by_its_title(tmp_path, app, client):
    _upload(client, app, "济南.xlsx", _xlsx(tmp_path))
    page = client.get("/").text
    assert "政策：山东省专项职业能力考核机构备案管理（鲁人社函〔2025〕23号）" in page
    assert "shandong-2025" not in page


def test_every_download_link_opens_whatever_the_workbook_is_called(tmp_path, app, client):
    """「青岛 #2 登记表.xlsx」: the annotated copy's link was cut at the # (a URL fragment) and
    answered 「文件不存在」; the links are percent-encoded."""
    import re
    from urllib.parse import unquote

    for name in ("青岛 #2 登记表.xlsx", "100%合格 (副本)&.xlsx"):
        _upload(client, app, name, _xlsx(tmp_path))
    hrefs = re.findall(r'href="(/files/[^"]+)"', client.get("/").text)
    annotated = [h for h in hrefs if "%E6%A0%87%E6%B3%A8/" in h]  # 标注/
    assert {unquote(h).rsplit("/", 1)[-1] for h in annotated} >= {"青岛 #2 登记表.标注.xlsx",
                                                                   "100%合格 (副本)&.标注.xlsx"}, hrefs
    for h in hrefs:
        r = client.get(h)
        assert r.status_code == 200, (h, r.text)


def test_letters_numbered_from_the_page_in_one_sequence(tmp_path, app, client):
    """发文字号 from the page (the terminal had --number, the page had none): the numbered
    kinds share one sequence from the start given; a form (核查表) gets none."""
    import json
    import zipfile

    from builders import clean_register, person, project

    sheets = clean_register(3)
    code = uscc(3)
    row = next(r for r in sheets["机构"] if r["统一社会信用代码"] == code)
    row.update(备案状态="已备案", 机构代码="JN2025001", 备案起始=AS_OF.replace(year=2025, month=6, day=1))
    sheets["场地"] = [dict(v, 租赁起始=AS_OF.replace(year=2020)) for v in sheets["场地"]]
    for p in sheets["考核项目"]:
        if p["统一社会信用代码"] == code:
            p.update(考核人次=120, 取证人次=100)
    sheets["考核项目"].append(project(code, "茶艺", 变更="新增"))
    sheets["人员"] += [person(code, 900 + k, role, project="茶艺")
                     for k, role in enumerate(["考评人员"] * 3 + ["技术资源建设专家"] * 2)]
    _upload(client, app, "济南.xlsx", write_register(tmp_path / "n.xlsx", sheets).read_bytes())
    r = client.post("/letters", headers=ORIGIN, data={"csrf": app.state.guard.csrf, "kind": ["filing", "adjust", "checklist"],
                    "issuer": "济南市人力资源和社会保障局", "number": "临人社函〔2026〕{n}号", "number_start": "7"})
    assert r.status_code == 200 and "已生成" in r.text, r.text
    z = zipfile.ZipFile(io.BytesIO(client.get("/downloads/" + r.text.split('href="/downloads/')[1].split('"')[0]).content))
    numbers = {}
    for kind in ("filing", "adjust", "checklist"):
        numbers[kind] = [g.get("number") for g in json.loads(z.read(f"{kind}/letters.json"))["generated"]]
    assert numbers["filing"] == ["临人社函〔2026〕7号", "临人社函〔2026〕8号"], (numbers, r.text[r.text.find("未出具"):])
    assert numbers["adjust"] == ["临人社函〔2026〕9号"], r.text[r.text.find("未出具"):]
    assert set(numbers["checklist"]) == {None}, numbers
    assert "临人社函〔2026〕9号" in r.text
    # 未出具 lists what a clerk can fix; the statuses another letter serves are counted, as in the terminal
    listed = r.text[r.text.index("未出具（"):]
    assert "未出具（0）" in listed and "备案状态为" not in listed, listed
    assert "另有 1 家机构不涉及备案回执，2 家机构不涉及范围调整回执，1 家机构不涉及遴选评估核查表" in listed
    bad = _post(client, app, "/letters", kind="filing", number="临人社函〔2026〕号")
    assert "未生成：发文字号“临人社函〔2026〕号”中没有 {n}" in bad.text
