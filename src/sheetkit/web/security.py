"""Safety of the local page (docs/web.md, docs/security.md):

- **Host**: without a token the page answers only requests addressed to the loopback
  names (127.0.0.1, localhost, [::1]), so a web site cannot reach it by DNS rebinding.
- **Token**: with ``--token`` (required for any ``--host`` other than loopback), every
  request but the static files must carry it: once as ``?token=…`` (the page then sets
  an HttpOnly, SameSite=Strict cookie and drops it from the address), or as the cookie.
- **CSRF**: every POST carries the per-process secret (header ``X-CSRF-Token``, sent by
  htmx, or form field ``csrf``) and an ``Origin`` (or ``Referer``) equal to the page's own.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode, urlsplit

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
COOKIE = "sheetkit_token"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"


def is_loopback(host: str) -> bool:
    return host.strip("[]") in LOOPBACK_NAMES or host.startswith("127.")


def host_name(host_header: str) -> str:
    """``127.0.0.1:8765`` → ``127.0.0.1``; ``[::1]:8765`` → ``::1``."""
    h = host_header.strip()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


class Guard:
    """The checks above, for one server process."""

    def __init__(self, token: str | None = None):
        self.token = token or None
        self.csrf = secrets.token_urlsafe(32)

    def host_ok(self, host_header: str) -> bool:
        return self.token is not None or is_loopback(host_name(host_header or ""))

    def token_ok(self, cookie: str | None) -> bool:
        return self.token is None or (cookie is not None and secrets.compare_digest(cookie, self.token))

    def token_in_query(self, value: str | None) -> bool:
        return self.token is not None and value is not None and secrets.compare_digest(value, self.token)

    def same_origin(self, headers, scheme: str) -> bool:
        """The POST comes from the page itself: Origin (or Referer) is this host."""
        host = headers.get("host", "")
        origin = headers.get("origin")
        if origin and origin != "null":
            return origin == f"{scheme}://{host}"
        referer = headers.get("referer")
        if referer:
            parts = urlsplit(referer)
            return f"{parts.scheme}://{parts.netloc}" == f"{scheme}://{host}"
        return False

    def csrf_ok(self, value: str | None) -> bool:
        return value is not None and secrets.compare_digest(value, self.csrf)


def without_token(path: str, query: dict) -> str:
    rest = {k: v for k, v in query.items() if k != "token"}
    return path + ("?" + urlencode(rest) if rest else "")
