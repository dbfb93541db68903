# Sourced by tools/run-*.sh: finds Odoo 18, its
# virtualenv, PostgreSQL and the addons path, and defines `odoo [shell] ARGS` and
# `odoo_tool SCRIPT DB ARGS` (a Python tool of tools/ on a database).
# Sets: here, build, odoo_python, db_user, addons_path. Returns non-zero on failure.
# HOME may be unset (e.g. in CI): fall back to the passwd entry
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
build="$here/.build"
mkdir -p "$build"

setup_odoo() {
    odoo_python=$("$here/tools/odoo-env.sh") || return 1
    # the POS tours run in headless Chromium (Debian's package); without it Odoo skips them
    if ! command -v chromium >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "Installing Debian's chromium for the browser tests..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
            || echo "WARNING: chromium could not be installed" >&2
    fi
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
        echo "Starting PostgreSQL..."
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
        for _ in $(seq 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    fi
    pg_isready -q -h "$PGHOST" -p "$PGPORT" || { echo "ERROR: PostgreSQL is not running on $PGHOST:$PGPORT" >&2; return 1; }
    db_user=$(id -un)
    if [ "$db_user" = postgres ]; then
        echo "ERROR: Odoo refuses to run as the 'postgres' database user; run as another user" >&2; return 1
    fi
    if ! psql -h "$PGHOST" -p "$PGPORT" -U "$db_user" -d postgres -tAc "select 1" >/dev/null 2>&1; then
        psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "CREATE ROLE \"$db_user\" LOGIN SUPERUSER" || return 1
    fi
    # Odoo finds the addon by its folder name: expose the repo as pos_dukkango, from a
    # folder outside the repo (a link inside it would make Odoo's file walks loop)
    links="${XDG_CACHE_HOME:-$HOME/.cache}/pos_dukkango/addons-$(printf %s "$here" | sha1sum | cut -c1-10)"
    mkdir -p "$links"
    ln -sfn "$here" "$links/pos_dukkango"
    addons_path=""
    for dir in "$ODOO_SRC/addons" "$ODOO_SRC/odoo/addons"; do
        [ -d "$dir" ] && addons_path="$addons_path,$dir"
    done
    addons_path="${addons_path#,},$links"
}

free_port() { "$odoo_python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

odoo() {  # odoo [shell] options...
    local cmd=()
    case "${1:-}" in shell) cmd=("$1"); shift ;; esac
    "$odoo_python" "$ODOO_SRC/odoo-bin" "${cmd[@]}" --addons-path="$addons_path" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$db_user" "$@"
}

# odoo_tool SCRIPT DB OPTIONS...: tools/SCRIPT with Odoo's Python on database DB, given the
# database options every tool takes (tools/odoo_process.py, DATABASE_OPTIONS)
odoo_tool() {
    local script=$1 database=$2
    shift 2
    "$odoo_python" "$here/tools/$script" --db "$database" --addons-path "$addons_path" --odoo-src "$ODOO_SRC" \
        --db-host "$PGHOST" --db-port "$PGPORT" --db-user "$db_user" "$@"
}

fresh_database() {  # fresh_database NAME: NAME with pos_dukkango installed (no demo), dropped on exit
    fresh_db=$1
    trap 'dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "$fresh_db" 2>/dev/null' EXIT
    odoo -d "$fresh_db" -i pos_dukkango --without-demo=all --stop-after-init --no-http --log-level=warn
}
