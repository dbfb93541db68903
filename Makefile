# pos_dukkango developer commands (see README.rst)
ODOO_SRC ?= /opt/odoo/18.0
export ODOO_SRC

.PHONY: test test-pure lint run pot soak bench

## Run every test: dukkango/ with pytest, then the addon on real Odoo 18 + PostgreSQL
test:
	bash tools/run-tests.sh

## Only the pure-Python dukkango/ tests (no Odoo needed)
test-pure:
	python3 -m pytest -q dukkango/tests

## ruff and pylint-odoo's mandatory checks (pre-commit)
lint:
	bash tools/lint.sh

## Simulator + Odoo on http://127.0.0.1:8069 with a demo database wired to it
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
