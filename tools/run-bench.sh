#!/usr/bin/env bash
# make bench: tools/bench.py on a fresh database; prints a table, writes .build/bench.json.
set -uo pipefail
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
setup_odoo && fresh_database "pos_dukkango_bench_$$" || exit 1
odoo_tool bench.py "$fresh_db" "$@" 2>"$build/bench.log"
