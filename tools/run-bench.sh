#!/usr/bin/env bash
# make bench: tools/bench.py on a fresh database; prints a table, writes .build/bench.json.
# Two columns: the platform at 0 ms and at 80 ± 20 ms a request; LATENCY_MS (and JITTER_MS)
# measure one column at that round trip instead. About 20 minutes for both columns.
set -uo pipefail
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
setup_odoo && fresh_database "pos_dukkango_bench_$$" || exit 1
: >"$build/bench-server.log"
odoo_tool bench.py "$fresh_db" "$@" 2>"$build/bench.log"
