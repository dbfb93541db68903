# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid

from odoo import api, fields, models
from odoo.tools import float_compare


class DukkangoLinePricing(models.AbstractModel):
    """The order lines of an imported order: the unit price that makes Odoo's own tax
    computation give Dükkango's VAT-included amount, whatever the product's taxes."""

    _name = "dukkango.line.pricing"
    _description = "Dükkango Line Pricing"

    @api.model
    def _prepare_line_vals(self, product, config, qty, amount, name, note="", attribute_values=None, untaxed=False):
        """One order line of ``product`` whose tax-included total is ``amount``."""
        company, currency = config.company_id, config.currency_id
        qty = float(qty)
        taxes = product.taxes_id.filtered_domain(self.env["account.tax"]._check_company_domain(company))
        line_taxes = self.env["account.tax"] if untaxed else config.default_fiscal_position_id.map_tax(taxes)
        price_unit, excluded, included = self._price_for_total(
            product, line_taxes, qty, float(amount), company, currency
        )
        return {
            "product_id": product.id,
            "qty": qty,
            "price_unit": price_unit,
            "price_subtotal": excluded,
            "price_subtotal_incl": included,
            "discount": 0.0,
            "tax_ids": [fields.Command.set([] if untaxed else taxes.ids)],
            "full_product_name": name,
            "attribute_value_ids": [fields.Command.set(attribute_values.ids if attribute_values else [])],
            "note": note,
            "customer_note": "",
            "price_type": "manual",
            "uuid": str(uuid.uuid4()),
            "pack_lot_ids": [],
        }

    @api.model
    def _price_for_total(self, product, taxes, qty, amount, company, currency):
        """Find the unit price that makes Odoo's own tax computation give ``amount``.

        Returns ``(price_unit, total_excluded, total_included)``; the included total
        may still be a kuruş off when no unit price reaches the amount exactly (the
        caller books that residue).
        """

        def compute(price_unit):
            """(rounded excluded, rounded included, raw included) totals of the line."""
            AccountTax = self.env["account.tax"]
            line = AccountTax._prepare_base_line_for_taxes_computation(
                None, product_id=product, tax_ids=taxes, price_unit=price_unit, quantity=qty, currency_id=currency
            )
            AccountTax._add_tax_details_in_base_lines([line], company)
            AccountTax._round_base_lines_tax_details([line], company)
            details = line["tax_details"]
            return (
                details["total_excluded_currency"],
                details["total_included_currency"],
                details["raw_total_included_currency"],
            )

        if not taxes:
            return amount / qty, currency.round(amount), currency.round(amount)
        # Odoo's tax computation is affine in the unit price (percent, fixed, division...):
        # two evaluations give the unit price of the wanted total
        at_zero, at_one = compute(0.0)[2], compute(1.0)[2]
        slope = at_one - at_zero
        candidate = (amount - at_zero) / slope if slope else amount / qty
        best = None
        # rounding may leave the exact total between two unit prices: try tiny steps around it
        for step in (0, *(sign * k for k in range(1, 11) for sign in (1, -1))):
            price_unit = candidate + step * currency.rounding / (10 * slope if slope else 10 * qty)
            excluded, included = compute(price_unit)[:2]
            if float_compare(included, amount, precision_rounding=currency.rounding) == 0:
                return price_unit, excluded, included
            if best is None:
                best = (price_unit, excluded, included)
        return best
