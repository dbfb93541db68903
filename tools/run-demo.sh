#!/usr/bin/env bash
# make run: the one-command demo. Starts the Dükkango simulator on 127.0.0.1:8765
# (a new order every 60 s), creates or reuses the database pos_dukkango_demo with
# the addon and demo data installed and a Dükkango account pointing at the
# simulator, then serves Odoo on http://127.0.0.1:8069 (login admin / admin).
# Ctrl-C stops both. Environment: DEMO_DB, SIM_PORT, ODOO_PORT, ORDER_EVERY.
set -euo pipefail
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
DEMO_DB=${DEMO_DB:-pos_dukkango_demo}
SIM_PORT=${SIM_PORT:-8765}
ODOO_PORT=${ODOO_PORT:-8069}
setup_odoo

(cd "$here" && exec "$odoo_python" -m dukkango.testing.simulator --port "$SIM_PORT" --order-every "${ORDER_EVERY:-60}" --cooldown 30) &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true' EXIT
sleep 1
kill -0 "$sim_pid" || { echo "the simulator did not start (is port $SIM_PORT free?)" >&2; exit 1; }

if ! psql -h "$PGHOST" -p "$PGPORT" -U "$db_user" -d postgres -tAc "select 1 from pg_database where datname='$DEMO_DB'" | grep -q 1; then
    echo "Creating database $DEMO_DB with pos_dukkango and demo data (about a minute)..."
    odoo -d "$DEMO_DB" -i pos_dukkango --stop-after-init --no-http --log-level=warn
else
    echo "Updating pos_dukkango in $DEMO_DB..."
    odoo -d "$DEMO_DB" -u pos_dukkango --stop-after-init --no-http --log-level=warn
fi
odoo_tool demo_setup.py "$DEMO_DB" --sim-url "http://127.0.0.1:$SIM_PORT/api/integrations"

echo
echo "Odoo: http://127.0.0.1:$ODOO_PORT  (database $DEMO_DB, login admin, password admin)"
echo "Open a session of the point of sale above; orders appear in Point of Sale > Orders > Dükkango Orders"
odoo -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-interface=127.0.0.1 --http-port="$ODOO_PORT"
