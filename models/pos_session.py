# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from .pos_config import DEFAULT_PRODUCTS


class PosSession(models.Model):
    _inherit = "pos.session"

    def write(self, vals):
        # sessions that start closing now (closing control, or closed at once)
        closing = (
            self.filtered(lambda s: s.state not in ("closing_control", "closed"))
            if vals.get("state") in ("closing_control", "closed")
            else self.browse()
        )
        res = super().write(vals)
        if vals.get("state") == "opened":
            configs = self.config_id.filtered("dukkango_account_id")
            if configs:
                # the orders that waited for a session come in the moment one opens
                self.env["dukkango.pos.import"]._import_pending(configs.dukkango_account_id, configs=configs)
                configs._dukkango_follow_session(True)
        elif closing:
            closing.config_id.filtered("dukkango_account_id")._dukkango_follow_session(False)
        return res

    # ------------------------------------------------------------------
    # Closing: unpaid Dükkango orders are never cancelled silently
    # ------------------------------------------------------------------
    def _dukkango_unpaid_orders(self):
        """The session's Dükkango orders still to be paid at the till (cash orders)."""
        return self.sudo().order_ids.filtered(lambda order: order.state == "draft" and order.dukkango_order_id)

    def _dukkango_unpaid_message(self, orders):
        rows = [
            f"• {order.dukkango_order_id.display_name}: {order.dukkango_customer_name or order.partner_id.name or ''}"
            f" ({format_amount(self.env, order.amount_total, order.currency_id)})"
            for order in orders
        ]
        return self.env._(
            "The session cannot be closed: these Dükkango cash orders are not paid.\n%(orders)s\n"
            "For each one, in Orders ▸ Dükkango: when it was delivered, Complete it on Dükkango (its cash "
            "payment is booked) or load it and take the payment; when it will not be delivered, Cancel it on "
            "Dükkango with a reason. Then close the session.",
            orders="\n".join(rows),
        )

    def _dukkango_check_unpaid(self):
        for session in self:
            unpaid = session._dukkango_unpaid_orders()
            if unpaid:
                raise UserError(session._dukkango_unpaid_message(unpaid))

    def dukkango_unpaid_orders_ui(self):
        """The till's list of the session's unpaid Dükkango orders (what blocks its closing)."""
        self.ensure_one()
        self.check_access("read")  # the caller's own session only: the list is read with sudo
        orders = self._dukkango_unpaid_orders()
        return {
            "orders": [
                {
                    "id": order.id,
                    "number": order.dukkango_number,
                    "customer": order.dukkango_customer_name or order.partner_id.name or "",
                    "amount": order.amount_total,
                }
                for order in orders
            ],
            "message": self._dukkango_unpaid_message(orders) if orders else "",
        }

    def get_closing_control_data(self):
        data = super().get_closing_control_data()
        data["dukkango_unpaid"] = self.dukkango_unpaid_orders_ui()
        return data

    def _cannot_close_session(self, bank_payment_method_diffs=None):
        # before Odoo's "orders are still in draft", whose popup offers to cancel them all
        unpaid = self._dukkango_unpaid_orders()
        if unpaid:
            return {
                "successful": False,
                "title": self.env._("Unpaid Dükkango orders"),
                "message": self._dukkango_unpaid_message(unpaid),
                "redirect": False,
                "dukkango_order_ids": unpaid.ids,
            }
        return super()._cannot_close_session(bank_payment_method_diffs)

    def update_closing_control_state_session(self, notes):
        # the session would stop taking Dükkango orders (and close the restaurant) for nothing
        self._dukkango_check_unpaid()
        return super().update_closing_control_state_session(notes)

    def action_pos_session_closing_control(
        self, balancing_account=False, amount_to_balance=0, bank_payment_method_diffs=None
    ):
        self._dukkango_check_unpaid()
        return super().action_pos_session_closing_control(
            balancing_account, amount_to_balance, bank_payment_method_diffs
        )

    def _check_if_no_draft_orders(self):
        self._dukkango_check_unpaid()
        return super()._check_if_no_draft_orders()

    # ------------------------------------------------------------------
    # The module's service products stay off the till's product grid
    # ------------------------------------------------------------------
    def _dukkango_service_products(self):
        """The products of the lines that are not dishes (fee, tip, discount, unmatched item,
        adjustment): the module's own, and the service products a point of sale uses instead."""
        products = self.env["product.product"]
        for xmlid in DEFAULT_PRODUCTS.values():
            products |= self.env.ref(xmlid, raise_if_not_found=False) or products
        configured = self.env["product.product"]
        for config in self.config_id.sudo():
            for name in DEFAULT_PRODUCTS:
                configured |= config[name]
        return products | configured.filtered(lambda product: product.type == "service")

    def _load_pos_data(self, data):
        """Odoo's "special products" are loaded (orders' lines use them) but not shown in the grid."""
        result = super()._load_pos_data(data)
        special = result["data"][0].setdefault("_pos_special_products_ids", [])
        special.extend(pid for pid in self._dukkango_service_products().ids if pid not in special)
        return result

    def _pos_has_valid_product(self):
        """Whether the point of sale has a product to sell: the module's service products do not count."""
        excluded = self._dukkango_service_products().ids + self.env["pos.config"]._get_special_products().ids
        return (
            self.env["product.product"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [("available_in_pos", "=", True), ("list_price", ">=", 0), ("id", "not in", excluded)], limit=1
            )
            > 0
        )
