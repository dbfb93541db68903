# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def post_init_hook(env):
    """Create the "Dükkango Online" payment method (and its journal) of every company
    that has a chart of accounts; other companies get theirs when a POS is linked."""
    for company in env["res.company"].search([]):
        env["pos.payment.method"]._dukkango_online_method(company)
