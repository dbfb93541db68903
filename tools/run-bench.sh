#!/usr/bin/env bash
# make bench: tools/bench.py on a fresh database; prints a table, writes .build/bench.json.
set -uo pipefail
# HOME may be unset (e.g. in CI): fall back to the passwd entry
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
setup_odoo || exit 1
db="pos_dukkango_bench_$$"
trap 'dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "$db" 2>/dev/null' EXIT
odoo -d "$db" -i pos_dukkango --without-demo=all --stop-after-init --no-http --log-level=warn || exit 1
"$odoo_python" "$here/tools/bench.py" --db "$db" --addons-path "$addons_path" --db-host "$PGHOST" \
    --db-port "$PGPORT" --db-user "$db_user" "$@" 2>"$build/bench.log"
