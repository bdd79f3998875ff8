# The two commands of this repository (see README.md):
#   make run   serve the whole suite with demo data on http://localhost:8069
#   make test  linters, a fresh database with every module, all tests
PYTHON ?= $(shell sh tools/find_python.sh)
MODULES ?=
DB ?= gov_test
PYTEST_ARGS ?=
BENCH ?= exception

ADDONS := $(sort $(patsubst %/__manifest__.py,%,$(wildcard */__manifest__.py)))

.PHONY: run test setup lint format bench interop

run:
	$(PYTHON) tools/serve_demo.py

test: setup lint
	$(PYTHON) tools/run_tests.py --db "$(DB)" --modules "$(MODULES)" -- $(PYTEST_ARGS)

bench: setup
	$(PYTHON) bench/run.py $(BENCH)

# On demand, never in make test: the shipped n8n workflows in a real n8n 2.x
# (installed once from npm into ~/.cache/gov-suite/n8n), results in
# bench/results/n8n.json.
interop: setup
	$(PYTHON) bench/run.py n8n --db gov_interop

setup:
	$(PYTHON) tools/setup_env.py

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pylint --rcfile=.pylintrc-mandatory $(ADDONS)
	$(PYTHON) tools/gen_readme.py --check

format:
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .
