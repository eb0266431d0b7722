# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test chat lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "salonbot needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,postgres,bench]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/salonbot demo

chat: install
	$(BIN)/salonbot chat

lint: install
	$(BIN)/ruff check .

test: install
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-browser.sh
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/roundtrip.py
	$(BIN)/python benchmarks/summary/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
