#!/usr/bin/env bash
# Create (or reuse) the virtualenv that runs Odoo 18 for this addon's tests.
# It lives outside the repo (default ~/.cache/pos_dukkango/venv-18.0) and is
# rebuilt only when Odoo's requirements.txt or this script change.
# Prints the venv's python path on stdout; everything else goes to stderr.
set -euo pipefail
# HOME may be unset (e.g. in CI): fall back to the passwd entry
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}

ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
ODOO_VENV=${ODOO_VENV:-$HOME/.cache/pos_dukkango/venv-18.0}
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/requirements.txt" ]; then
    cat >&2 <<MSG
ERROR: Odoo 18.0 source not found at ODOO_SRC=$ODOO_SRC
Provide an Odoo 18.0 Community source tree (the folder holding odoo-bin and
requirements.txt), e.g. a checkout of https://github.com/odoo/odoo branch 18.0,
at /opt/odoo/18.0 or point ODOO_SRC at it:  make test ODOO_SRC=/path/to/odoo
MSG
    exit 3
fi

stamp_src=$(cat "$ODOO_SRC/requirements.txt" "$here/odoo-env.sh" | sha256sum | cut -c1-16)
if [ -x "$ODOO_VENV/bin/python" ] && [ "$(cat "$ODOO_VENV/.stamp" 2>/dev/null)" = "$stamp_src" ]; then
    echo "$ODOO_VENV/bin/python"
    exit 0
fi

echo "Building Odoo virtualenv in $ODOO_VENV (one time, a few minutes)..." >&2
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    missing=""
    for pkg in libldap2-dev libsasl2-dev libpq-dev; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
    done
    if [ -n "$missing" ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >&2
    fi
fi
python3 -m venv "$ODOO_VENV" >&2
constraint=$(mktemp)
# cbor2 5.4.2 does not build with setuptools >= 81
echo "setuptools<81" > "$constraint"
"$ODOO_VENV/bin/pip" install -q --upgrade pip >&2
"$ODOO_VENV/bin/pip" install -q --build-constraint "$constraint" -r "$ODOO_SRC/requirements.txt" >&2 \
  || PIP_CONSTRAINT="$constraint" "$ODOO_VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt" >&2
"$ODOO_VENV/bin/pip" install -q pytest websocket-client >&2
rm -f "$constraint"
echo "$stamp_src" > "$ODOO_VENV/.stamp"
echo "$ODOO_VENV/bin/python"
