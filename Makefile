PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test bench docs pages screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The sample registers in workbooks/ are dated around this day; pass AS_OF=... to move it.
AS_OF ?= 2026-11-24
DEMO_OPTS = --as-of $(AS_OF)

# validate exits 1 when it finds problems (the samples have planted ones); 2 or a crash fails.
demo: $(STAMP)
	mkdir -p out
	$(BIN)/sheetkit validate workbooks/ $(DEMO_OPTS) --annotate out/标注 --report out/问题清单.xlsx || test $$? -eq 1
	$(BIN)/sheetkit validate workbooks/ $(DEMO_OPTS) --format json > out/report.json || test $$? -eq 1
	for k in filing adjust renewal revoke feedback; do \
	  $(BIN)/sheetkit letters $$k workbooks/ $(DEMO_OPTS) -o out/letters --force || exit 1; done
	$(BIN)/sheetkit directory workbooks/ $(DEMO_OPTS) --year 2026 -o out/目录.xlsx --csv
	@echo "输出在 out/：report.json、问题清单.xlsx、标注/、letters/、目录.xlsx"
	@echo "检查页面（见 docs/web.md）：mkdir -p out/收件 && cp workbooks/*.xlsx out/收件/ && $(BIN)/sheetkit serve out/收件 $(DEMO_OPTS)，浏览器打开 http://127.0.0.1:8765/"

# Every test, the `slow` ones included (a plain `pytest` leaves those out: pyproject.toml).
test: $(TSTAMP)
	$(BIN)/python -m pytest -q -m "slow or not slow"

bench: $(TSTAMP)
	$(BIN)/python bench/run.py

# docs/img/web.png, the page in README: needs Chromium at /usr/bin/chromium (apt-get install chromium)
screenshot: $(TSTAMP)
	$(BIN)/python docs/screenshot.py

docs: $(STAMP)
	$(BIN)/python -m sheetkit.docs

# One rendered page of each letter kind, shown in docs/letters.md (needs LibreOffice, poppler).
pages: $(STAMP)
	$(BIN)/python letter_templates/render_pages.py --as-of $(AS_OF)

clean:
	rm -rf out .pytest_cache
