"""`sheetkit serve`: the office's local web page over a drop folder (docs/web.md).

`office` holds the state (runs, uploads, downloads) and calls the library; `view` turns
a report into what the page shows; `app` is the Starlette application; `security` the
host, token and CSRF checks. Needs the ``web`` extra (starlette, jinja2, uvicorn,
python-multipart)."""
