# policygraph — the README's quick start: `make up` runs it, `make test` tests it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP    := $(VENV)/.installed-app
TEST   := $(VENV)/.installed-test
BENCH  := $(VENV)/.installed-bench

.PHONY: up test lint bench fuzz readme-schema console-editor clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(APP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(APP)

$(BENCH): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@ $(TEST) $(APP)

## up: install, start the embedded store, load the bundled dataset if empty, serve on 127.0.0.1
up: $(APP)
	$(BIN)/policygraph up

## test: install with test extras and run the whole suite
test: $(TEST) queries/lint/node_modules
	$(BIN)/pytest

## lint: ruff over the code, the import directions (pyproject's contracts), Neo4j's own Cypher
## linter over the named queries
lint: $(TEST) queries/lint/node_modules
	$(BIN)/ruff check graph loaders api queries cli tests benchmarks
	$(BIN)/lint-imports
	node queries/lint/lint.mjs

## bench: national-scale figures and ratios in one run (BENCH_ARGS=--quick for a tenth of it)
bench: $(BENCH)
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

## fuzz: a schemathesis campaign of at least 1,000 generated cases against every endpoint
fuzz: $(TEST)
	$(BIN)/python -m benchmarks.fuzz_api --cases $(or $(FUZZ_CASES),1000)

queries/lint/node_modules: queries/lint/package-lock.json
	npm ci --prefix queries/lint --no-audit --no-fund
	touch $@

## console-editor: rebuild the /cypher console's editor (Neo4j's CodeMirror 6 Cypher support) from
## web/console into api/workbench/static/cypher-editor.{js,css} and its LICENSES.txt (committed)
console-editor: web/console/node_modules
	cd web/console && npm run build

web/console/node_modules: web/console/package-lock.json
	npm ci --prefix web/console --no-audit --no-fund
	touch $@

## readme-schema: regenerate the README's schema tables from graph/schema.yaml
readme-schema: $(APP)
	$(BIN)/python -m graph.schema_doc --write

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
