# policygraph — the README's quick start: `make up` runs it, `make test` tests it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP    := $(VENV)/.installed-app
TEST   := $(VENV)/.installed-test
BENCH  := $(VENV)/.installed-bench

.PHONY: up test lint bench fuzz readme-schema console-editor clean

# pip's and setuptools' output goes to this log, never to the terminal: `make up` prints the
# URL, the login link and progress; on a failure, the log's last lines and its path
INSTALL_LOG := $(VENV)/install.log
# a literal comma inside $(call …), which splits its arguments on commas
comma := ,

# install STEP, PIP ARGS: one progress line, the output logged, the log's tail on a failure
define pip_install
	@echo "policygraph: $(1) (pip output: $(INSTALL_LOG)) …"
	@$(BIN)/pip install $(2) >>$(INSTALL_LOG) 2>&1 || { status=$$?; tail -n 30 $(INSTALL_LOG) >&2; \
	  echo "policygraph: $(1) failed (pip exit $$status); the whole output is in $(INSTALL_LOG)" >&2; \
	  exit $$status; }
endef

$(VENV)/bin/python:
	@echo "policygraph: creating $(VENV) …"
	@$(PYTHON) -m venv $(VENV)
	$(call pip_install,updating pip,-q --upgrade pip)

$(APP): pyproject.toml | $(VENV)/bin/python
	$(call pip_install,installing the app,-q -e .)
	@touch $@

$(TEST): pyproject.toml | $(VENV)/bin/python
	$(call pip_install,installing the app with its test tools,-q -e '.[test]')
	@touch $@ $(APP)

$(BENCH): pyproject.toml | $(VENV)/bin/python
	$(call pip_install,installing the app with its test and bench tools,-q -e '.[test$(comma)bench]')
	@touch $@ $(TEST) $(APP)

## up: install, start the embedded store, load the bundled dataset if empty, serve on 127.0.0.1
up: $(APP)
	@$(BIN)/policygraph up

## test: install with test extras and run the whole suite (bytecode cached even where the
## environment says PYTHONDONTWRITEBYTECODE: without it every worker and every CLI the tests
## start recompiles, and pytest rewrites every test module again, about 4 s a process)
test: $(TEST) queries/lint/node_modules
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest

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
