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

# find_odoo: true when ODOO_SRC holds Odoo (odoo-bin and requirements.txt). When it does
# not, prints the one command that gets it and, with ODOO_AUTO_CLONE=1, runs it (the network
# allowing); false when Odoo is still missing then.
find_odoo() {
    local url=${ODOO_GIT_URL:-https://github.com/odoo/odoo}
    local clone="git clone --depth 1 --branch 18.0 $url \"$ODOO_SRC\""
    odoo_present() { [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/requirements.txt" ]; }
    odoo_present && return 0
    if [ "${ODOO_AUTO_CLONE:-}" = 1 ]; then
        if [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
            echo "ODOO_AUTO_CLONE=1, but $ODOO_SRC exists and is not empty: not cloning into it" >&2
        elif ! command -v git >/dev/null; then
            echo "ODOO_AUTO_CLONE=1, but git is not installed" >&2
        else
            echo "Odoo 18.0 is not at ODOO_SRC=$ODOO_SRC; ODOO_AUTO_CLONE=1, so running (~300 MB):" >&2
            echo "    $clone" >&2
            mkdir -p "$(dirname "$ODOO_SRC")"
            git clone --quiet --depth 1 --branch 18.0 "$url" "$ODOO_SRC" >&2 \
                || { echo "The clone failed (no network?)." >&2; rm -rf "$ODOO_SRC"; }
        fi
        odoo_present && return 0
    fi
    cat >&2 <<MSG
ERROR: Odoo 18.0 source not found at ODOO_SRC=$ODOO_SRC
It needs an Odoo 18.0 Community source tree (the folder holding odoo-bin and
requirements.txt). This one command gets it:

    $clone

Run it, or run again with ODOO_AUTO_CLONE=1 (e.g. make run ODOO_AUTO_CLONE=1) to let
this script run it, or point ODOO_SRC at a checkout you have: make test ODOO_SRC=/path/to/odoo
MSG
    return 1
}

setup_odoo() {
    find_odoo || return 1
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

# a TCP port of 127.0.0.1 nothing listens on
free_port() { "$odoo_python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

# With ODOO_EXEC=1 (e.g. `ODOO_EXEC=1 odoo ... &`), odoo and odoo_tool replace the shell
# they run in: $! of a background call is then Odoo's own process id
odoo() {  # odoo [shell] options...
    local cmd=()
    case "${1:-}" in shell) cmd=("$1"); shift ;; esac
    ${ODOO_EXEC:+exec} "$odoo_python" "$ODOO_SRC/odoo-bin" "${cmd[@]}" --addons-path="$addons_path" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$db_user" "$@"
}

# odoo_tool SCRIPT DB OPTIONS...: tools/SCRIPT with Odoo's Python on database DB, given the
# database options every tool takes (tools/odoo_process.py, DATABASE_OPTIONS)
odoo_tool() {
    local script=$1 database=$2
    shift 2
    ${ODOO_EXEC:+exec} "$odoo_python" "$here/tools/$script" --db "$database" --addons-path "$addons_path" --odoo-src "$ODOO_SRC" \
        --db-host "$PGHOST" --db-port "$PGPORT" --db-user "$db_user" "$@"
}

port_busy() {  # port_busy PORT: true when something listens on 127.0.0.1:PORT
    "$odoo_python" -c "import socket, sys; s = socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', $1)) == 0 else 1)"
}

fresh_database() {  # fresh_database NAME: NAME with pos_dukkango installed (no demo), dropped on exit
    fresh_db=$1
    trap 'dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "$fresh_db" 2>/dev/null' EXIT
    odoo -d "$fresh_db" -i pos_dukkango --without-demo=all --stop-after-init --no-http --log-level=warn
}
