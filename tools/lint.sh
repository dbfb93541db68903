#!/usr/bin/env bash
# make lint: ruff and pylint-odoo's mandatory checks through .pre-commit-config.yaml.
set -euo pipefail
# HOME may be unset (e.g. in CI): fall back to the passwd entry
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
cd "$(dirname "$0")/.."
venv=${LINT_VENV:-$HOME/.cache/pos_dukkango/venv-lint}
if [ ! -x "$venv/bin/pre-commit" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "pre-commit==4.0.1"
fi
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$HOME/.cache/pos_dukkango/pre-commit}
"$venv/bin/pre-commit" run --all-files
python3 tools/gen_readme.py --check
odoo_python=${ODOO_VENV:-$HOME/.cache/pos_dukkango/venv-18.0}/bin/python
if [ -x "$odoo_python" ]; then
    "$odoo_python" tools/update_po.py --check  # every msgid of the .pot translated in tr.po
fi
