"""Starting the page: checks the address and token, then runs uvicorn (blocking)."""

from __future__ import annotations

import secrets
import threading

from sheetkit.errors import UsageError
from sheetkit.web.security import is_loopback

MIN_TOKEN = 12


def check_address(host: str, token: str | None) -> None:
    """Only loopback without a token; any other address needs a token of some length."""
    if not is_loopback(host) and not token:
        raise UsageError(f"监听 {host} 会让其他电脑也能打开本页面：必须同时用 --token 设置访问口令"
                         f"（例如 --token {secrets.token_urlsafe(12)}）")
    if token is not None and len(token) < MIN_TOKEN:
        raise UsageError(f"访问口令太短：至少 {MIN_TOKEN} 个字符")


def url_for(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(folder, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None, reports=None,
          profile=None, as_of=None, browser: bool = True, echo=print, cache=None) -> None:
    check_address(host, token)
    try:
        import uvicorn

        from sheetkit.web.app import create_app
    except ModuleNotFoundError as exc:
        raise UsageError(f"检查页面需要 web 组件（缺少 {exc.name}）：请运行 pip install 'sheetkit[web]'") from exc
    from sheetkit.profiles import load_profile

    load_profile(profile)  # a bad profile is a usage error now
    app = create_app(folder, reports=reports, profile=profile, as_of=as_of, token=token, log=echo, cache=cache)
    url = url_for(host, port, token)
    echo(f"检查页面：{url}  （收件文件夹 {folder}；报告写入 {app.state.office.reports}；按 Ctrl-C 停止）")
    if browser:
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)


class ServerThread:
    """The page served from a background thread on a free loopback port (browser tests,
    `make screenshot`): ``with ServerThread(app) as url: …``."""

    def __init__(self, app, host: str = "127.0.0.1"):
        self.app, self.host = app, host
        self.server = None
        self.thread = None

    def __enter__(self) -> str:
        import socket
        import time

        import uvicorn

        with socket.socket() as s:
            s.bind((self.host, 0))
            port = s.getsockname()[1]
        config = uvicorn.Config(self.app, host=self.host, port=port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="sheetkit-serve", daemon=True)
        self.thread.start()
        end = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > end or not self.thread.is_alive():
                raise RuntimeError("检查页面未能启动")
            time.sleep(0.02)
        return f"http://{self.host}:{port}/"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
