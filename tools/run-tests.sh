#!/usr/bin/env bash
# Run every test of pos_dukkango (this is what `make test` calls):
#   (a) the pure-Python dukkango/ tests with pytest (no Odoo needed);
#   (a2) the pip wheel: built with whool (pyproject.toml), its files and metadata checked
#        (tools/check_wheel.py; pip fetches whool from the package index);
#   (b) the addon's tests on real Odoo 18 + PostgreSQL in a throwaway database;
#   (c) install without demo data, then uninstall, on a second throwaway database;
#   (d) the crash-safety test (tools/crash_test.py) on a third one;
#   (e) a small fault soak (tools/soak.py) on that third database.
# Fails when a test fails, when Odoo logs an ERROR, when no Odoo test ran, or when
# Odoo is missing. Ends with one summary line per suite, "<suite>: N passed, N failed",
# and a last line "total: N passed, N failed".
#
# Environment: ODOO_SRC (default /opt/odoo/18.0), ODOO_VENV, PGHOST/PGPORT
# (default 127.0.0.1:5432), TEST_TAGS (default /pos_dukkango), KEEP_DB=1,
# SKIP_UNINSTALL=1 (skip step c).
set -uo pipefail
# HOME may be unset (e.g. in CI): fall back to the passwd entry
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}

TEST_TAGS=${TEST_TAGS:-/pos_dukkango}
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
summary=()
status=0

fail() { echo "FAIL: $*" >&2; status=1; }

# ---------------------------------------------------------------- (a) pytest
pure_python=python3
if ! python3 -c "import pytest, requests" 2>/dev/null; then
    pure_venv=${PURE_VENV:-$HOME/.cache/pos_dukkango/venv-pure}
    [ -x "$pure_venv/bin/python" ] || python3 -m venv "$pure_venv"
    "$pure_venv/bin/pip" install -q pytest requests
    pure_python="$pure_venv/bin/python"
fi
echo "=== (a) dukkango/ tests (pytest, no Odoo)"
(cd "$here" && "$pure_python" -m pytest -q dukkango/tests) 2>&1 | tee "$build/pytest.log"
pytest_rc=${PIPESTATUS[0]}
last=$(grep -E "^[0-9]+ (passed|failed)|(passed|failed|error).* in [0-9.]+s" "$build/pytest.log" | tail -1)
p_passed=$(grep -oE "[0-9]+ passed" <<<"$last" | grep -oE "[0-9]+" || echo 0)
p_failed=$(( $(grep -oE "[0-9]+ failed" <<<"$last" | grep -oE "[0-9]+" || echo 0) + $(grep -oE "[0-9]+ errors?" <<<"$last" | grep -oE "[0-9]+" || echo 0) ))
summary+=("pytest: ${p_passed:-0} passed, ${p_failed} failed")
[ "$pytest_rc" = 0 ] || fail "pytest exited with $pytest_rc"
[ "${p_passed:-0}" -gt 0 ] || fail "pytest ran no test"

# ---------------------------------------------------------------- (a2) wheel
echo "=== (a2) the pip wheel (whool, pyproject.toml): build it and check its files and metadata"
# and, when Odoo and its virtualenv are there already, that Odoo finds the addon pip installed
wheel_odoo=()
odoo_venv_python="${ODOO_VENV:-$HOME/.cache/pos_dukkango/venv-18.0}/bin/python"
if [ -x "$odoo_venv_python" ] && [ -f "$ODOO_SRC/odoo-bin" ]; then
    wheel_odoo=(--odoo-src "$ODOO_SRC" --odoo-python "$odoo_venv_python")
fi
(cd "$here" && "$pure_python" tools/check_wheel.py "${wheel_odoo[@]}") 2>&1 | tee "$build/wheel.log"
wheel_rc=${PIPESTATUS[0]}
line=$(grep -E "^wheel: [0-9]+ passed, [0-9]+ failed$" "$build/wheel.log" | tail -1)
summary+=("${line:-wheel: 0 passed, 1 failed}")
[ "$wheel_rc" = 0 ] && [ -n "$line" ] || fail "the wheel did not build or is not right (see $build/wheel.log)"

print_summary() {
    local passed=0 failed=0 line
    echo
    for line in "${summary[@]}"; do
        echo "$line"
        passed=$((passed + $(grep -oE "[0-9]+ passed" <<<"$line" | grep -oE "[0-9]+")))
        failed=$((failed + $(grep -oE "[0-9]+ failed" <<<"$line" | grep -oE "[0-9]+")))
    done
    echo "total: $passed passed, $failed failed"
}

# ---------------------------------------------------------------- Odoo setup
echo "=== (b) addon tests on real Odoo 18 ($ODOO_SRC)"
if ! setup_odoo; then
    fail "Odoo 18 is missing, or its virtualenv or PostgreSQL could not be set up (see above)"
    summary+=("odoo: 0 passed, 0 failed")
    print_summary
    exit 1
fi
test_odoo() { odoo "$@" --http-interface=127.0.0.1 --http-port="$(free_port)" --max-cron-threads=0; }

# ---------------------------------------------------------------- (b) tests
db="pos_dukkango_test_$$"
log="$build/odoo-test.log"
trap '[ "${KEEP_DB:-}" = 1 ] || { dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "$db"; dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "${db}_nodemo"; dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "${db}_crash"; } 2>/dev/null' EXIT
test_odoo -d "$db" -i pos_dukkango --test-tags "$TEST_TAGS" --stop-after-init --log-level=info >"$log" 2>&1
odoo_rc=$?
grep -E " (ERROR|CRITICAL) |FAIL:|tests when loading" "$log" | cut -c1-400
report=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading" "$log" | tail -1)
o_failed=$(awk '{print $1}' <<<"$report"); o_errors=$(awk '{print $3}' <<<"$report"); o_run=$(awk '{print $6}' <<<"$report")
o_failed=$(( ${o_failed:-0} + ${o_errors:-0} ))
o_passed=$(( ${o_run:-0} - o_failed ))
errors=$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$log")
echo "Odoo exit code $odoo_rc; $errors ERROR line(s), $(grep -c " WARNING " "$log") WARNING line(s); full log: $log"
[ "$odoo_rc" = 0 ] || fail "Odoo exited with $odoo_rc"
[ "$errors" = 0 ] || fail "Odoo logged $errors ERROR line(s)"
skipped=$(grep -cE " INFO [^ ]+ odoo\.addons\.pos_dukkango\.tests\.[^ ]*: skipped " "$log")
[ "$skipped" = 0 ] || fail "$skipped test(s) skipped (a browser test without chromium?): $(grep -m1 ': skipped ' "$log" | cut -c1-300)"
[ -n "$report" ] && [ "${o_run:-0}" -gt 0 ] || fail "no Odoo test ran"
# WARNING lines about this addon while it installs (tests may log warnings on purpose;
# the database name, which holds "dukkango", is cut off)
module_warnings() {
    awk '/odoo\.addons\.pos_dukkango\.tests/ { exit } $4 == "WARNING" { $1 = $2 = $3 = $4 = $5 = ""; print }' "$1" \
        | grep -ic "dukkango" || true
}
dukkango_warnings=$(module_warnings "$log")
[ "$dukkango_warnings" = 0 ] || fail "pos_dukkango logged $dukkango_warnings WARNING line(s) while installing"
summary+=("odoo: ${o_passed} passed, ${o_failed} failed")

# ---------------------------------------------------------------- (c) uninstall
if [ "${SKIP_UNINSTALL:-}" != 1 ]; then
    echo "=== (c) install without demo data, then uninstall"
    ulog="$build/odoo-uninstall.log"
    test_odoo -d "${db}_nodemo" -i pos_dukkango --without-demo=all --stop-after-init >"$ulog" 2>&1
    printf '%s\n' \
            "module = env['ir.module.module'].search([('name', '=', 'pos_dukkango')])" \
            "assert module.state == 'installed', module.state" \
            "module.button_immediate_uninstall()" \
            "env.cr.commit()" \
            "module.invalidate_recordset()" \
            "assert module.state == 'uninstalled', module.state" \
            "assert 'dukkango.account' not in env.registry, 'model left behind'" \
            "print('UNINSTALLED-OK')" \
        | test_odoo shell -d "${db}_nodemo" >>"$ulog" 2>&1
    uerrors=$(grep -cE " (ERROR|CRITICAL) |^Traceback" "$ulog")
    uwarn=$(module_warnings "$ulog")
    grep -E " (WARNING|ERROR|CRITICAL) |^Traceback|UNINSTALLED-OK" "$ulog" | grep -v "Running as user 'root'" | cut -c1-400
    if grep -q "UNINSTALLED-OK" "$ulog" && [ "$uerrors" = 0 ] && [ "$uwarn" = 0 ]; then
        summary+=("install-uninstall: 1 passed, 0 failed")
    else
        fail "install without demo / uninstall was not clean (see $ulog)"
        summary+=("install-uninstall: 0 passed, 1 failed")
    fi
fi

# ---------------------------------------------------------------- (d), (e) tools on ${db}_crash
# tool_suite SUITE LOG NEEDS SCRIPT [OPTIONS...]: when NEEDS (the exit code of what the suite
# needs) is 0, runs tools/SCRIPT on ${db}_crash (its stderr appended to LOG, its output also in
# .build/SUITE.out). Adds its last line "SUITE: N passed, N failed" to the summary, or a failure
# when it did not run, exited non-zero or printed no such line. Returns its exit code.
tool_suite() {
    local suite=$1 log=$2 needs=$3 script=$4 out="$build/$1.out" rc=1 line
    shift 4
    rm -f "$out"
    if [ "$needs" = 0 ]; then
        odoo_tool "$script" "${db}_crash" "$@" 2>>"$log" | tee "$out"
        rc=${PIPESTATUS[0]}
    fi
    line=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed$" "$out" 2>/dev/null | tail -1)
    if [ "$rc" = 0 ] && [ -n "$line" ]; then
        summary+=("$line")
    else
        fail "$suite: $script failed (see $log)"
        summary+=("${line:-$suite: 0 passed, 1 failed}")
    fi
    return "$rc"
}

echo "=== (d) crash safety: SIGKILL at the worst moments, restart, poll"
clog="$build/crash-test.log"
test_odoo -d "${db}_crash" -i pos_dukkango --without-demo=all --stop-after-init >"$clog" 2>&1
tool_suite crash-safety "$clog" $? crash_test.py
crash_rc=$?

echo "=== (e) fault soak, small: ${SOAK_ORDERS:-200} orders in ${SOAK_MINUTES:-1} minute(s), two pollers, random faults"
: >"$build/soak.log"
tool_suite soak "$build/soak.log" "$crash_rc" soak.py --orders "${SOAK_ORDERS:-200}" --minutes "${SOAK_MINUTES:-1}" --seed 2026

print_summary
exit $status
