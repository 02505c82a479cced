# Two commands: `make run` opens the app on a bundled example; `make test` runs the whole suite offscreen.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/user_report_triage.flow.json

.PHONY: run test lint screenshot sample-report benchmark clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Flowmodel needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock 2>&1 \
	  | { grep -v '^WARNING: Location' || true; }
	@touch $(STAMP)

run: $(STAMP)
	@scripts/install_qt_system_libs.sh window
	$(PY) main.py $(EXAMPLE)

test: $(STAMP)
	@scripts/install_qt_system_libs.sh offscreen
	$(PY) -m ruff check .
	status=0; QT_QPA_PLATFORM=offscreen $(PY) -m pytest || status=$$?; \
	  if [ $$status -eq 5 ]; then echo "no tests were collected: failing" >&2; exit 1; fi; exit $$status

# The screens of docs/, rendered under a virtual X server: the main window on an example (docs/screenshot.png),
# results and comparison of a run, the scenario editor, a run in progress and an item trace.
screenshot: $(STAMP)
	@scripts/install_qt_system_libs.sh window
	@command -v xvfb-run >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xauth >/dev/null; } \
	  || { echo "make screenshot needs xvfb-run: install the xvfb package" >&2; exit 1; }
	xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m ui.screenshot $(EXAMPLE) docs/screenshot.png
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) -m ui.results.screenshot docs
	xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m ui.docs_screens docs --size 1600x1000

# The sample PDF report (and a picture of its first page) under docs/, from the hate-speech example.
sample-report: $(STAMP)
	@scripts/install_qt_system_libs.sh offscreen
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.report.sample docs

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
