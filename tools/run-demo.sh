#!/usr/bin/env bash
# make run: the one-command demo (readme/QUICKSTART.rst).
#   1. creates the database pos_dukkango_demo the first time (a Turkish restaurant:
#      Odoo's Turkish localization l10n_tr, lira, KDV; pos_dukkango with demo data), or
#      updates pos_dukkango in it;
#   2. starts the Dükkango simulator on 127.0.0.1:8765 for the demo's restaurant only
#      (--restaurant), with its state in .build/simulator-state.json (--state: the orders
#      not yet over and the next number survive a restart; a new database starts a new
#      state), numbering after the highest number the database knows (--first-order-id),
#      and making a new order every ORDER_EVERY seconds (--order-every), printed here;
#   3. wires it (tools/demo_setup.py setup): Dükkango account tested (restaurants and
#      their open/closed state known), the demo point of sale serving the first
#      restaurant with its menu imported, a session open, two new orders fetched;
#   4. serves Odoo on http://127.0.0.1:8069 (login admin / admin) and prints the links,
#      the till's first.
# Ctrl-C stops everything. Environment: DEMO_DB, SIM_PORT, ODOO_PORT (a busy default port
# is replaced by a free one), ORDER_EVERY (default 60; 0: no new orders), DEMO_RESET=1
# (start from a new database), ODOO_SRC, ODOO_AUTO_CLONE=1.
set -euo pipefail
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
DEMO_DB=${DEMO_DB:-pos_dukkango_demo}
ORDER_EVERY=${ORDER_EVERY:-60}
setup_odoo

# choose_port NAME DEFAULT: $NAME when set (it must be free), else DEFAULT or, when
# something listens there, a free port
choose_port() {
    local name=$1 default=$2 port
    port=${!name:-}
    if [ -n "$port" ]; then
        if port_busy "$port"; then
            echo "ERROR: $name=$port, but something listens on 127.0.0.1:$port" >&2
            return 1
        fi
        echo "$port"
    elif port_busy "$default"; then
        port=$(free_port)
        echo "Port $default is in use: using $port instead ($name=... to choose)" >&2
        echo "$port"
    else
        echo "$default"
    fi
}
SIM_PORT=$(choose_port SIM_PORT 8765)
ODOO_PORT=$(choose_port ODOO_PORT 8069)
sim_url="http://127.0.0.1:$SIM_PORT/api/integrations"
odoo_url="http://127.0.0.1:$ODOO_PORT"

pids=()
stop_all() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'echo; echo "Stopping Odoo and the simulator..."; exit 130' INT TERM

# wait_http URL SECONDS: until URL answers (any HTTP status)
wait_http() {
    "$odoo_python" - "$1" "$2" <<'PY'
import sys, time, urllib.error, urllib.request
url, deadline = sys.argv[1], time.time() + float(sys.argv[2])
while time.time() < deadline:
    try:
        urllib.request.urlopen(url, timeout=2)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except OSError:
        time.sleep(0.3)
sys.exit(1)
PY
}

# ---------------------------------------------------------------- database
# odoo_step OPTIONS...: odoo without its warning about root (the usual user of a container)
odoo_step() {
    local rc
    set +e
    odoo "$@" 2>&1 | grep -v "Running as user 'root' is a security risk"
    rc=${PIPESTATUS[0]}
    set -e
    return "$rc"
}
new_database=
sql() { psql -h "$PGHOST" -p "$PGPORT" -U "$db_user" -d "$1" -tAc "$2" 2>/dev/null; }
if [ "${DEMO_RESET:-}" = 1 ]; then
    echo "DEMO_RESET=1: dropping the database $DEMO_DB"
    dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "$DEMO_DB"
fi
if [ "$(sql postgres "select 1 from pg_database where datname='$DEMO_DB'")" = 1 ] \
    && [ "$(sql "$DEMO_DB" "select 1 from res_company c join ir_model_data d on d.model = 'res.company'
            and d.res_id = c.id and d.module = 'base' and d.name = 'main_company' where c.chart_template = 'tr'")" != 1 ]; then
    # not the Turkish restaurant: an older make run's demo, or a first run cut short, is
    # made again; any other database is left alone
    if [ "$(sql "$DEMO_DB" "select count(*) from pg_tables where tablename = 'res_company'")" = 1 ] \
        && [ "$(sql "$DEMO_DB" "select count(*) from dukkango_account where name = 'Dükkango simülatörü'")" != 1 ] \
        && [ "$(sql "$DEMO_DB" "select count(*) from res_company where name = 'Lezzet Sofrası Kebap'")" != 1 ]; then
        echo "ERROR: the database $DEMO_DB is not make run's demo: choose another DEMO_DB, or DEMO_RESET=1 to replace it" >&2
        exit 1
    fi
    echo "The database $DEMO_DB is not the Turkish demo restaurant (an older make run's, or cut short): making it again"
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$db_user" "$DEMO_DB"
fi
if [ "$(sql postgres "select 1 from pg_database where datname='$DEMO_DB'")" != 1 ]; then
    echo "Creating the database $DEMO_DB: a Turkish restaurant with pos_dukkango and demo data (two minutes, once)..."
    new_database=1
    odoo_step -d "$DEMO_DB" -i base --stop-after-init --no-http --log-level=warn
    odoo_tool demo_setup.py "$DEMO_DB" company
    # the chart of accounts first: the point of sale's demo data needs its journals
    odoo_step -d "$DEMO_DB" -i l10n_tr --stop-after-init --no-http --log-level=warn
    odoo_step -d "$DEMO_DB" -i pos_dukkango --stop-after-init --no-http --log-level=warn
else
    echo "Updating pos_dukkango in $DEMO_DB..."
    odoo_step -d "$DEMO_DB" -u pos_dukkango --stop-after-init --no-http --log-level=warn
fi
# ---------------------------------------------------------------- simulator
sim_log="$build/simulator.log"
sim_state="$build/simulator-state.json"
[ -n "$new_database" ] && rm -f "$sim_state"  # a new database: the simulator's orders of the last one are gone
# the restaurant the demo's point of sale serves (tools/odoo_process.py RESTAURANT)
restaurant=$(cd "$here" \
    && "$odoo_python" -c 'from dukkango.testing.simulator import DEFAULT_RESTAURANTS as r; print(r[0]["id"])')
# after the highest number the database knows (the state's own number wins when higher)
first_id=$(sql "$DEMO_DB" "select coalesce(max(dukkango_id), 1030) + 1 from dukkango_order")
# the simulator's new orders are printed here too (its whole output is in $sim_log)
(cd "$here" && exec "$odoo_python" -m dukkango.testing.simulator --port "$SIM_PORT" --cooldown 30 \
    --restaurant "$restaurant" --state "$sim_state" --first-order-id "${first_id:-1031}" \
    --orders 0 --order-every "$ORDER_EVERY") \
    > >(tee "$sim_log" | sed -u -n 's/^  new order /  Dükkango: new order /p') 2>&1 &
pids+=($!)
for _ in $(seq 150); do  # until its banner ends
    grep -q '^  next order:' "$sim_log" 2>/dev/null && break
    sleep 0.1
done
if ! grep -q '^  next order:' "$sim_log" 2>/dev/null; then
    echo "ERROR: the simulator did not start on port $SIM_PORT:" >&2
    tail -5 "$sim_log" >&2
    exit 1
fi
sed -n 's/^  state: *\(.*\)$/Simulator state: \1/p; s/^  next order: *\(.*\)$/Next Dükkango order: \1/p' "$sim_log"

echo "Setting up the restaurant..."
odoo_tool demo_setup.py "$DEMO_DB" setup --sim-url "$sim_url" --orders 2 | tee "$build/demo-setup.out" | grep -v '^POS_CONFIG_ID='
read -r config_id restaurant < <(sed -n 's/^POS_CONFIG_ID=\([0-9]*\) RESTAURANT=\(.*\)$/\1 \2/p' \
    "$build/demo-setup.out") || true
[ -n "${config_id:-}" ] || { echo "ERROR: the demo setup did not finish (see above)" >&2; exit 1; }

# ---------------------------------------------------------------- Odoo and the orders
odoo_log="$build/odoo-demo.log"
: >"$odoo_log"
ODOO_EXEC=1 odoo -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-interface=127.0.0.1 --http-port="$ODOO_PORT" \
    --logfile="$odoo_log" 2>>"$odoo_log" &
odoo_pid=$!
pids+=("$odoo_pid")
if ! wait_http "$odoo_url/web/health" 60; then
    echo "ERROR: Odoo did not start; the end of its log ($odoo_log):" >&2
    tail -20 "$odoo_log" >&2
    exit 1
fi
if [ "$ORDER_EVERY" != 0 ]; then
    arrivals="a new one reaches the simulator
every $ORDER_EVERY s and the till within 30 s more (Dükkango lets Odoo ask every 30 s)."
else
    arrivals="ORDER_EVERY=0: no new ones (add some with
curl -X POST http://127.0.0.1:$SIM_PORT/_sim/orders -d '{\"count\": 1}')."
fi

cat <<MSG

Ready. Log in as admin, password admin (database $DEMO_DB):

  Point of Sale (the till):  $odoo_url/pos/ui?config_id=$config_id&from_backend=True
  Backend:                   $odoo_url/odoo

The till shows the Dükkango orders already fetched; $arrivals
The simulator: $sim_url (keys sim-app-secret / sim-rest-secret),
for the restaurant $restaurant only; its state: $sim_state.
Odoo's log: $odoo_log. Ctrl-C stops Odoo and the simulator.

MSG
set +e
wait "$odoo_pid"
rc=$?
set -e
echo "Odoo stopped (exit code $rc); the end of its log ($odoo_log):" >&2
tail -20 "$odoo_log" >&2
exit "$rc"
