# Two entry points that work on a fresh machine with Python 3.11:
#   make run   - set up .venv, build the bundled article into out/, print a summary
#   make test  - set up .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench score spin-report stories-report clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build -o out/meta-2023.trig
	$(BIN)/kg build -o out/meta-2023.ttl --quiet
	$(BIN)/kg corpus out/meta-2023.trig -o out/meta-2023-corpus.trig
	$(BIN)/kg validate out/meta-2023.trig out/meta-2023-corpus.trig
	$(BIN)/kg view out/meta-2023.trig out/meta-2023-corpus.trig -o out/meta-2023.html

test: $(STAMP)
	@test -x /usr/bin/chromium || echo "note: /usr/bin/chromium is missing, so the viewer's browser tests are skipped (apt-get install chromium)"
	$(BIN)/python -m pytest

score: run
	$(BIN)/python ../shared/eval/score.py --gold ../shared/eval/gold/meta-2023.toml --ontology ontology/ out/meta-2023.trig -v

spin-report: $(STAMP)
	$(BIN)/python tests/spin_report.py

stories-report: $(STAMP)
	$(BIN)/python tests/stories_report.py
	$(BIN)/python tests/stories_report.py --heavy --no-originals --copies 2

bench: $(STAMP)
	$(BIN)/python -m graph.bench
	$(BIN)/python -m graph.bench_sizes
	$(BIN)/python tests/bench_corpus.py
	$(BIN)/python tests/bench_view.py
	$(BIN)/python -m graph.query.loadbench

clean:
	rm -rf out $(VENV) *.egg-info
