# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pos_dukkango_account_id = fields.Many2one(related="pos_config_id.dukkango_account_id", readonly=False)
    pos_dukkango_last_poll_error = fields.Char(related="pos_config_id.dukkango_account_id.last_poll_error")
    pos_dukkango_restaurant_id = fields.Many2one(related="pos_config_id.dukkango_restaurant_id", readonly=False)
    pos_dukkango_auto_accept = fields.Boolean(related="pos_config_id.dukkango_auto_accept", readonly=False)
    pos_dukkango_store_status = fields.Selection(related="pos_config_id.dukkango_store_status")
    pos_dukkango_store_follows_session = fields.Boolean(
        related="pos_config_id.dukkango_store_follows_session", readonly=False
    )
    pos_dukkango_preparing_time = fields.Integer(related="pos_config_id.dukkango_preparing_time", readonly=False)
    pos_dukkango_calendar_id = fields.Many2one(related="pos_config_id.dukkango_calendar_id", readonly=False)
    pos_dukkango_watchdog_close = fields.Boolean(related="pos_config_id.dukkango_watchdog_close", readonly=False)
    pos_dukkango_accept_minutes = fields.Integer(related="pos_config_id.dukkango_accept_minutes", readonly=False)
    pos_dukkango_online_payment_method_id = fields.Many2one(
        related="pos_config_id.dukkango_online_payment_method_id", readonly=False
    )
    pos_dukkango_cash_payment_method_id = fields.Many2one(
        related="pos_config_id.dukkango_cash_payment_method_id", readonly=False
    )
    pos_dukkango_fee_product_id = fields.Many2one(related="pos_config_id.dukkango_fee_product_id", readonly=False)
    pos_dukkango_tip_product_id = fields.Many2one(related="pos_config_id.dukkango_tip_product_id", readonly=False)
    pos_dukkango_discount_product_id = fields.Many2one(
        related="pos_config_id.dukkango_discount_product_id", readonly=False
    )
    pos_dukkango_fallback_product_id = fields.Many2one(
        related="pos_config_id.dukkango_fallback_product_id", readonly=False
    )
    pos_dukkango_adjustment_product_id = fields.Many2one(
        related="pos_config_id.dukkango_adjustment_product_id", readonly=False
    )
    # one setting for the database (a system parameter); the stock counted is that of the warehouse
    # of the restaurant's point of sale
    dukkango_sold_out_on_stock = fields.Boolean(
        string="Sold out when out of stock",
        config_parameter="pos_dukkango.sold_out_on_stock",
        help="A dish whose product tracks its inventory goes off Dükkango when its on-hand quantity in "
        "the warehouse of the restaurant's point of sale reaches zero, and back on sale when it is "
        "restocked. Switched off, the dishes it took off go back on sale.",
    )

    def set_values(self):
        Food = self.env["dukkango.food"]
        stock_option_was_on = Food._stock_option_on()
        result = super().set_values()
        if stock_option_was_on and not Food._stock_option_on():
            Food._stock_option_switched_off()
        return result

    def _dukkango_account(self):
        self.ensure_one()
        account = self.pos_dukkango_account_id
        if not account:
            raise UserError(self.env._("Choose a Dükkango account first."))
        return account

    def action_dukkango_test_connection(self):
        """Test the chosen account and refresh its list of restaurants."""
        return self._dukkango_account().action_test_connection()

    def action_dukkango_fetch_orders(self):
        """Run one poll cycle of the chosen account now."""
        return self._dukkango_account().action_fetch_orders()

    def action_dukkango_open_store(self):
        return self.pos_config_id.action_dukkango_open_store()

    def action_dukkango_close_store(self):
        return self.pos_config_id.action_dukkango_close_store()

    def action_dukkango_import_menu(self):
        return self.pos_config_id.action_dukkango_import_menu()
