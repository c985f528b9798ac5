PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pywb (interoperability tests only) pins werkzeug/redis/webassets versions tracuu's own
# environment must not be forced into: it gets a virtualenv of its own.
PYWB_VENV ?= .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed
# `make demo PORT=8080 DATA_DIR=/tmp/x`
PORT ?= 5000
DATA_DIR ?= tracuu-data

.PHONY: test demo lint install clean pywb

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	# Optional second engine: a wheel, no native build. Without it, its tests skip.
	$(BIN)/pip install -q 'tantivy>=0.22,<1' || echo "tantivy not installable here: its tests will skip"
	touch $(STAMP)

install: $(STAMP)

$(PYWB_STAMP):
	( $(PYTHON) -m venv $(PYWB_VENV) && $(PYWB_VENV)/bin/pip install -q 'pywb==2.10.*' \
	  && touch $(PYWB_STAMP) ) || echo "pywb not installable here: its interoperability test will skip"

pywb: $(PYWB_STAMP)

test: $(STAMP) $(PYWB_STAMP)
	$(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/tracuu demo --port $(PORT) --data-dir $(DATA_DIR)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) $(PYWB_VENV) tracuu-data .pytest_cache
