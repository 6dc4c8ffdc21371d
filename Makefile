PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	mkdir -p out
	-$(BIN)/sheetkit validate workbooks/ --annotate out/标注 --report out/问题清单.xlsx
	$(BIN)/sheetkit validate workbooks/ --format json > out/report.json || test $$? -eq 1

test: $(TSTAMP)
	$(BIN)/python -m pytest -q

bench: $(TSTAMP)
	$(BIN)/python bench/run.py

docs: $(STAMP)
	$(BIN)/python -m sheetkit.docs

clean:
	rm -rf out .pytest_cache
