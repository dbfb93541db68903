#!/usr/bin/env bash
# make pot: regenerate i18n/pos_dukkango.pot from the code, on a throwaway database.
set -euo pipefail
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
setup_odoo
db="pos_dukkango_pot_$$"
trap 'dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$db_user" "$db" 2>/dev/null' EXIT
odoo -d "$db" -i pos_dukkango --without-demo=all --stop-after-init --no-http --log-level=warn
odoo -d "$db" --modules=pos_dukkango --i18n-export="$here/i18n/pos_dukkango.pot" --stop-after-init --no-http --log-level=warn
echo "wrote i18n/pos_dukkango.pot"
