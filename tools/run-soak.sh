#!/usr/bin/env bash
# make soak: the fault soak at full size (default 10,000 orders over 30 minutes) on a
# fresh database. SOAK_ORDERS and SOAK_MINUTES change the size; LATENCY_MS and JITTER_MS
# give every request to the simulator that round trip (default 0); 20 % of the orders come
# in PHP-style shapes (tools/soak.py --variants). Exit 0 only when duplicates, lost orders,
# early acknowledgements and money mismatches are all 0.
set -uo pipefail
# shellcheck source=tools/odoo-common.sh
source "$(dirname "$0")/odoo-common.sh"
setup_odoo && fresh_database "pos_dukkango_soak_$$" || exit 1
odoo_tool soak.py "$fresh_db" --orders "${SOAK_ORDERS:-10000}" --minutes "${SOAK_MINUTES:-30}" 2>"$build/soak.log"
