# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command


def post_init_hook(env):
    """Create the "Dükkango Online" payment method (and its journal) of every company
    that has a chart of accounts (other companies get theirs when a POS is linked), give
    the delivery fee product each company's default sales tax (a delivery is a taxed
    service; the tip stays untaxed), and give the existing points of sale the module's
    products."""
    fee = env.ref("pos_dukkango.product_dukkango_fee", raise_if_not_found=False)
    for company in env["res.company"].search([]):
        env["pos.payment.method"]._dukkango_online_method(company)
        if fee and company.account_sale_tax_id:
            fee.taxes_id = [Command.link(company.account_sale_tax_id.id)]
    env["pos.config"].with_context(active_test=False).search([])._dukkango_fill_products()
