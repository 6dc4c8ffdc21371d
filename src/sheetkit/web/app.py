"""The office page: a Starlette application over `Office` (the state) and `view` (what is
shown). Routes only parse the request, call one thing and render a template."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from sheetkit.errors import SheetkitError
from sheetkit.web import view
from sheetkit.web.office import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, Office
from sheetkit.web.security import COOKIE, CSRF_FIELD, CSRF_HEADER, Guard, without_token

HERE = Path(__file__).parent
FORBIDDEN = "请求被拒绝：{}。请从本机打开的检查页面操作（刷新页面后重试）。"


class _Security(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        guard: Guard = request.app.state.guard
        if not guard.host_ok(request.headers.get("host", "")):
            return PlainTextResponse("请求被拒绝：只接受发往本机（127.0.0.1 / localhost）的请求。", status_code=403)
        if request.url.path.startswith("/static/"):
            return await call_next(request)
        query_token = request.query_params.get("token")
        if guard.token_in_query(query_token):
            response = RedirectResponse(without_token(request.url.path, dict(request.query_params)), status_code=303)
            response.set_cookie(COOKIE, guard.token, httponly=True, samesite="strict")
            return response
        if not guard.token_ok(request.cookies.get(COOKIE)):
            return PlainTextResponse("需要访问口令：请使用启动 sheetkit serve 时显示的完整地址（含 ?token=…）打开。",
                                     status_code=401)
        if request.method not in ("GET", "HEAD") and not guard.same_origin(request.headers, request.url.scheme):
            return PlainTextResponse(FORBIDDEN.format("来源不是本页面"), status_code=403)
        return await call_next(request)


async def _csrf(request, form=None) -> bool:
    guard: Guard = request.app.state.guard
    value = request.headers.get(CSRF_HEADER)
    if value is None and form is not None:
        value = form.get(CSRF_FIELD)
    return guard.csrf_ok(value if isinstance(value, str) else None)


def _denied() -> Response:
    return PlainTextResponse(FORBIDDEN.format("缺少或错误的安全令牌"), status_code=403)


def _policy(current, report) -> str:
    """The run's profile as a clerk knows it: its title (「山东省专项职业能力考核机构备案管理
    （鲁人社函〔2025〕23号）」), not its id."""
    profile = getattr(getattr(current, "report", None), "profile", None)
    return getattr(profile, "title", None) or (report or {}).get("profile") or ""


def create_app(folder, *, reports=None, profile=None, as_of: dt.date | None = None, token: str | None = None,
               run_at_start: bool = True, log=None, cache=None) -> Starlette:
    """The application for drop folder ``folder``. ``app.state.office`` is the `Office`;
    ``cache`` (a `sheetkit.cache.ReadCache`, or None) is passed on to its runs."""
    office = Office(folder, reports, profile=profile, as_of=as_of, log=log, cache=cache)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["mask"] = view.mask_ids
    guard = Guard(token)

    def context(request, **extra) -> dict:
        from sheetkit.letters import KINDS
        from sheetkit.letters.context import KIND_ZH

        with office._state:
            current, report, failed, running = office.current, office.current_dict, office.failed, office.running
            runs = office.runs
        filters = {k: request.query_params.get(k, "") for k in ("severity", "family", "city", "q")}
        changes = (current.changes.to_dict() if current is not None and current.changes is not None else None)
        return {
            "request": request, "csrf": guard.csrf, "folder": str(office.folder), "reports": str(office.reports),
            "current": current, "report": report, "failed": failed, "running": running, "runs": runs,
            "progress": office.progress, "filters": filters,
            "status": view.status_view(report, folder=str(office.folder), severity=filters["severity"],
                                       fam=filters["family"], city=filters["city"], q=filters["q"]),
            "changes": view.changes_view(changes, report, str(office.folder)),
            "first_run": current is not None and current.changes is None,
            "workbooks": office.workbooks(), "outputs": office.outputs(),
            "kinds": [(k, KIND_ZH.get(k, k)) for k in KINDS], "kind_zh": KIND_ZH, "severities": view.SEVERITY_ZH,
            "today": dt.date.today().isoformat(), "year": (report or {}).get("as_of", dt.date.today().isoformat())[:4],
            "max_mb": MAX_UPLOAD_BYTES >> 20, "policy": _policy(current, report), **extra,
        }

    async def index(request):
        return templates.TemplateResponse(request, "index.html", context(request))

    async def status(request):
        return templates.TemplateResponse(request, "_status.html", context(request))

    async def panel(request):
        seen = request.query_params.get("seen", "")
        ctx = context(request)
        response = templates.TemplateResponse(request, "_panel.html", ctx)
        if not ctx["running"] and seen != str(ctx["runs"]):
            response.headers["HX-Refresh"] = "true"  # a run finished: show its results
        return response

    async def run(request):
        if not await _csrf(request, await request.form()):
            return _denied()
        seen = office.runs
        office.start_run()
        return templates.TemplateResponse(request, "_panel.html", context(request, running=True, runs=seen))

    async def upload(request):
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return PlainTextResponse("请求缺少长度（Content-Length）", status_code=411)
        if int(length) > MAX_UPLOAD_BYTES * 2:
            return PlainTextResponse(f"上传太大：一次最多 {MAX_UPLOAD_BYTES >> 20} MB", status_code=413)
        form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=20)
        if not await _csrf(request, form):
            return _denied()
        results = []
        for item in form.getlist("files"):
            if not hasattr(item, "filename") or not item.filename:
                continue
            results.append(office.add(item.filename, item.file, getattr(item, "size", None)))
        seen = office.runs
        if any(u.saved for u in results):
            office.start_run()
        return templates.TemplateResponse(request, "_upload.html",
                                          context(request, results=results, started=any(u.saved for u in results),
                                                  runs=seen))

    async def resolve(request):
        form = await request.form()
        if not await _csrf(request, form):
            return _denied()
        up = office.resolve(str(form.get("id", "")), str(form.get("action", "")))
        seen = office.runs
        if up.saved:
            office.start_run()
        return templates.TemplateResponse(request, "_upload.html",
                                          context(request, results=[up], started=bool(up.saved), runs=seen))

    async def letters(request):
        form = await request.form()
        if not await _csrf(request, form):
            return _denied()
        try:
            date = dt.date.fromisoformat(form["date"]) if form.get("date") else None
            year = int(form["year"]) if form.get("directory") and form.get("year") else None
            start = int(form.get("number_start") or 1)
        except ValueError:
            return templates.TemplateResponse(request, "_letters.html",
                                              context(request, error="日期、年份或起始序号格式不对（日期如 2026-12-01）"))
        only = [s for s in re.split(r"[\s,，、;；]+", str(form.get("only") or "")) if s]
        try:
            bundle = office.letters(form.getlist("kind"), date=date, issuer=str(form.get("issuer") or "").strip(),
                                    only=only, city=str(form.get("city") or ""), directory_year=year,
                                    number=str(form.get("number") or "").strip() or None, number_start=start)
        except SheetkitError as exc:
            return templates.TemplateResponse(request, "_letters.html", context(request, error=str(exc)))
        return templates.TemplateResponse(request, "_letters.html", context(request, bundle=bundle))

    async def run_file(request):
        path = office.run_file(request.path_params["rel"])
        if path is None:
            return PlainTextResponse("文件不存在（可能已有新的检查结果，请刷新页面）", status_code=404)
        return FileResponse(path, filename=path.name)

    async def download(request):
        path = office.download(request.path_params["name"])
        if path is None:
            return PlainTextResponse("文件不存在", status_code=404)
        return FileResponse(path, filename=path.name, media_type="application/zip")

    async def favicon(request):
        return Response(status_code=204)

    app = Starlette(routes=[
        Route("/", index), Route("/status", status), Route("/panel", panel),
        Route("/run", run, methods=["POST"]), Route("/upload", upload, methods=["POST"]),
        Route("/upload/resolve", resolve, methods=["POST"]), Route("/letters", letters, methods=["POST"]),
        Route("/files/{rel:path}", run_file), Route("/downloads/{name}", download),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ], middleware=[Middleware(_Security)])
    app.state.office, app.state.guard = office, guard
    if run_at_start and office.workbooks():  # an empty folder waits for the first drop
        office.start_run()
    return app

