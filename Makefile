# pos_dukkango developer commands (see README.rst)
ODOO_SRC ?= /opt/odoo/18.0
export ODOO_SRC
# ODOO_AUTO_CLONE=1: when ODOO_SRC holds no Odoo, clone Odoo 18.0 there (make run, make test)
export ODOO_AUTO_CLONE

.PHONY: test test-pure wheel lint run pot soak bench

## Run every test: dukkango/ with pytest, the pip wheel, then the addon on real Odoo 18 + PostgreSQL
test:
	bash tools/run-tests.sh

## Only the pure-Python dukkango/ tests (no Odoo needed)
test-pure:
	python3 -m pytest -q dukkango/tests

## Build the pip wheel with whool (pyproject.toml) into .build/dist/ and check its files and metadata
wheel:
	python3 tools/check_wheel.py

## ruff and pylint-odoo's mandatory checks (pre-commit)
lint:
	bash tools/lint.sh

## The demo: a Turkish restaurant on the Dükkango simulator, Odoo on http://127.0.0.1:8069 (admin/admin)
run:
	bash tools/run-demo.sh

## Regenerate i18n/pos_dukkango.pot from the code
pot:
	bash tools/export-pot.sh

## Fault soak at full size (10,000 orders, two pollers, random faults); prints a table
soak:
	bash tools/run-soak.sh

## Benchmarks of the pipeline; prints a table and writes .build/bench.json
bench:
	bash tools/run-bench.sh
