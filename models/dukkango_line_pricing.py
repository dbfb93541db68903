# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import float_compare

from ..dukkango.mapping import spread


class DukkangoLinePricing(models.AbstractModel):
    """The order lines of an imported order: the unit price that makes Odoo's own tax
    computation give Dükkango's VAT-included amount, whatever the product's taxes."""

    _name = "dukkango.line.pricing"
    _description = "Dükkango Line Pricing"

    @api.model
    def _prepare_line_vals(
        self, product, config, qty, amount, name, note="", attribute_values=None, untaxed=False, taxes=None
    ):
        """One order line of ``product`` whose tax-included total is ``amount``; ``taxes``
        replace the product's own (a discount spread over the dishes' taxes)."""
        company, currency = config.company_id, config.currency_id
        qty = float(qty)
        if taxes is None:
            taxes = product.taxes_id
        taxes = taxes.filtered_domain(self.env["account.tax"]._check_company_domain(company))
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
    def _prepare_discount_lines(self, amount, dish_vals, config):
        """The order's discount (``amount``, negative) lowers the tax base of the dishes it
        applies to (``dish_vals``, the line vals made so far): one line per set of taxes of
        the dishes, each the share of the discount of the dishes so taxed (to the kuruş,
        the shares add up to the discount). Without priced dishes, one line on the discount
        product with its own taxes."""
        Tax = self.env["account.tax"]
        product = config.dukkango_discount_product_id
        by_taxes = {}
        for vals in dish_vals:
            tax_ids = tuple(sorted(vals["tax_ids"][0][2]))
            by_taxes[tax_ids] = by_taxes.get(tax_ids, 0.0) + vals["price_subtotal_incl"]
        groups = [(tax_ids, subtotal) for tax_ids, subtotal in by_taxes.items() if subtotal > 0]
        if not groups:
            return [self._prepare_line_vals(product, config, qty=1, amount=amount, name=product.display_name)]
        shares = spread(Decimal(str(amount)), [Decimal(str(subtotal)) for _tax_ids, subtotal in groups])
        result = []
        for (tax_ids, _subtotal), share in zip(groups, shares, strict=True):
            taxes = Tax.browse(tax_ids)
            name = product.display_name
            if len(groups) > 1 and taxes:
                name = f"{name} ({', '.join(taxes.mapped('name'))})"
            result.append(self._prepare_line_vals(product, config, qty=1, amount=share, name=name, taxes=taxes))
        return result

    @api.model
    def _price_for_total(self, product, taxes, qty, amount, company, currency):
        """Find the unit price that makes Odoo's own tax computation give ``amount``.

        Returns ``(price_unit, total_excluded, total_included)``, the unit price to the
        "Product Price" precision; the included total may still be some kuruş off when no
        such unit price reaches the amount exactly (the caller books that residue).
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

        # the till rounds unit prices to the "Product Price" precision (as the database
        # stores them): only such unit prices give the same totals on both sides
        digits = self.env["decimal.precision"].precision_get("Product Price")
        if taxes:
            # Odoo's tax computation is affine in the unit price (percent, fixed,
            # division...): two evaluations give the unit price of the wanted total
            at_zero, at_one = compute(0.0)[2], compute(1.0)[2]
            slope = at_one - at_zero
            candidate = (amount - at_zero) / slope if slope else amount / qty
        else:
            candidate = amount / qty
        best = None
        # rounding may leave the exact total between two unit prices: try the neighbours;
        # when none gives it, the closest is kept and the caller books the kuruş left
        for step in (0, 1, -1, 2, -2, 3, -3):
            price_unit = round(round(candidate, digits) + step * 10**-digits, digits)
            if taxes:
                excluded, included = compute(price_unit)[:2]
            else:
                excluded = included = currency.round(price_unit * qty)
            if float_compare(included, amount, precision_rounding=currency.rounding) == 0:
                return price_unit, excluded, included
            if best is None or abs(included - amount) < abs(best[2] - amount):
                best = (price_unit, excluded, included)
        return best
