# Maintainer tasks. `make help` lists them; each runs inside .venv when it exists
# (made by `make setup`), otherwise with the python and gfmd on your PATH.

VENV ?= .venv
BIN := $(if $(wildcard $(VENV)/bin/python),$(VENV)/bin/,)
PYTHON := $(BIN)python
GFMD := $(BIN)gfmd

.DEFAULT_GOAL := help
.PHONY: help setup test check fmt serve docs export bench

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Create .venv and install the project with its test dependencies (HermiT also needs Java)
	python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[test]"

test: ## Run the test suite (add ARGS='-m "not slow"' to skip the slow tests)
	$(PYTHON) -m pytest -q $(ARGS)

check: ## Run the gate: parse, SHACL, quality rules, OWL reasoning (exit 1 on any ERROR)
	$(GFMD) check

fmt: ## Rewrite every Turtle file in the canonical layout
	$(GFMD) fmt

serve: ## Serve the SPARQL endpoint, linked-data pages and query editor (GFMD_PORT, default 8000)
	$(GFMD) serve

docs: ## Write the ontology documentation to build/docs/index.html
	$(GFMD) docs --out build/docs

export: ## Write the graph in every RDF format, plus its VoID description, to dist/
	$(GFMD) export --out dist

bench: ## Benchmark the service against Oxigraph on the bundled and synthetic data
	$(PYTHON) bench/run.py
