# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


def post_init_hook(env):
    """Create the "Dükkango Online" payment method (and its journal) of every company
    that has a chart of accounts (other companies get theirs when a POS is linked), and
    give the existing points of sale the module's products."""
    for company in env["res.company"].search([]):
        env["pos.payment.method"]._dukkango_online_method(company)
    env["pos.config"].with_context(active_test=False).search([])._dukkango_fill_products()
