# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..dukkango import schedule

_logger = logging.getLogger(__name__)

#: pos.config field -> product installed by this module
DEFAULT_PRODUCTS = {
    "dukkango_fee_product_id": "pos_dukkango.product_dukkango_fee",
    "dukkango_tip_product_id": "pos_dukkango.product_dukkango_tip",
    "dukkango_discount_product_id": "pos_dukkango.product_dukkango_discount",
    "dukkango_fallback_product_id": "pos_dukkango.product_dukkango_item",
    "dukkango_adjustment_product_id": "pos_dukkango.product_dukkango_adjustment",
}
#: the lengths of a pause offered to managers (minutes)
PAUSE_MINUTES = (15, 30, 60)


class PosConfig(models.Model):
    _inherit = "pos.config"

    dukkango_account_id = fields.Many2one(
        "dukkango.account",
        check_company=True,
        string="Dükkango Account",
        index=True,
        ondelete="restrict",
        help="Dükkango account whose orders for the restaurant below arrive in this point of sale.",
    )
    dukkango_restaurant_id = fields.Many2one(
        "dukkango.restaurant",
        string="Dükkango Restaurant",
        domain="[('account_id', '=', dukkango_account_id)]",
        index="btree_not_null",
        ondelete="restrict",
        help="Restaurant (branch) of the Dükkango account whose orders arrive in this point of sale, "
        "as listed by Test connection.",
    )
    dukkango_store_status = fields.Selection(related="dukkango_restaurant_id.platform_status")
    dukkango_attention_count = fields.Integer(
        string="Dükkango Orders Needing Attention",
        compute="_compute_dukkango_attention_count",
        help="Orders of this point of sale, and of no point of sale of its account, that need a person.",
    )
    dukkango_store_follows_session = fields.Boolean(
        string="Open and close on Dükkango with the session",
        help="Open the restaurant on Dükkango when a session opens and close it when the session closes.",
    )
    dukkango_calendar_id = fields.Many2one(
        "resource.calendar",
        check_company=True,
        string="Dükkango Opening Hours",
        help="Weekly opening hours: the restaurant is opened and closed on Dükkango at their start and end. "
        "A pause, or a close by a manager inside opening hours, holds until it ends.",
    )
    dukkango_paused_until = fields.Datetime(related="dukkango_restaurant_id.paused_until")
    dukkango_watchdog_close = fields.Boolean(
        string="Close on Dükkango when polling stops",
        help="Close the restaurant on Dükkango after 10 minutes without a successful poll while a session is "
        "open (so customers cannot order into a void), and open it again when polling is back.",
    )
    dukkango_poll_age = fields.Char(string="Last Dükkango Poll", compute="_compute_dukkango_poll")
    dukkango_poll_alarm = fields.Boolean(string="Dükkango Polling Stopped", compute="_compute_dukkango_poll")
    dukkango_auto_accept = fields.Boolean(
        string="Accept Dükkango Orders Automatically",
        help="Accept every new order on Dükkango right after it is imported.",
    )
    dukkango_preparing_time = fields.Integer(
        string="Dükkango Preparation Time (min)",
        default=30,
        help="Preparation time sent to Dükkango when an order is accepted.",
    )
    dukkango_accept_minutes = fields.Integer(
        string="Acceptance Deadline (min)",
        default=8,
        help="Minutes the staff have to accept a new Dükkango order, counted from the time it was placed "
        "(for a scheduled order, from the time to start preparing it). The till counts down, rings more "
        "often in the last two minutes and shows a banner once it is overdue.",
    )
    dukkango_online_payment_method_id = fields.Many2one(
        "pos.payment.method",
        check_company=True,
        string="Dükkango Online Payment",
        domain="[('company_id', '=', company_id)]",
        help="Payment method of the orders paid online on Dükkango (card).",
    )
    dukkango_cash_payment_method_id = fields.Many2one(
        "pos.payment.method",
        check_company=True,
        string="Dükkango Cash Payment",
        domain="[('company_id', '=', company_id)]",
        help="Payment method booked for a cash order marked delivered on Dükkango. "
        "Defaults to the cash payment method of this point of sale.",
    )
    dukkango_fee_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        string="Dükkango Delivery Fee Product",
        default=lambda self: self._dukkango_default_product("dukkango_fee_product_id"),
    )
    dukkango_tip_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        string="Dükkango Tip Product",
        default=lambda self: self._dukkango_default_product("dukkango_tip_product_id"),
    )
    dukkango_discount_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        string="Dükkango Discount Product",
        default=lambda self: self._dukkango_default_product("dukkango_discount_product_id"),
    )
    dukkango_fallback_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        string="Dükkango Fallback Product",
        default=lambda self: self._dukkango_default_product("dukkango_fallback_product_id"),
        help="Product of the lines whose Dükkango item matches no product of the point of sale.",
    )
    dukkango_adjustment_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        string="Dükkango Adjustment Product",
        default=lambda self: self._dukkango_default_product("dukkango_adjustment_product_id"),
        help="Product of the line that makes the order total equal to Dükkango's total.",
    )

    _sql_constraints = [
        (
            "dukkango_restaurant_unique",
            "UNIQUE(dukkango_account_id, dukkango_restaurant_id)",
            "A Dükkango restaurant can feed only one point of sale.",
        ),
        (
            "dukkango_preparing_time_positive",
            "CHECK(dukkango_preparing_time > 0)",
            "The Dükkango preparation time must be a positive number of minutes.",
        ),
    ]

    def _dukkango_opening_intervals(self, start, stop):
        """The merged UTC-naive ``(start, stop)`` opening intervals between two UTC-naive datetimes
        (calendar's time zone and public holidays applied), or None without opening hours."""
        self.ensure_one()
        calendar = self.dukkango_calendar_id
        if not calendar:
            return None
        intervals = calendar._work_intervals_batch(pytz.utc.localize(start), pytz.utc.localize(stop))[False]
        return schedule.merge(
            (begin.astimezone(pytz.utc).replace(tzinfo=None), end.astimezone(pytz.utc).replace(tzinfo=None))
            for begin, end, _records in intervals
        )

    def _dukkango_next_opening(self, after):
        """The next UTC-naive datetime at or after ``after`` when the till's opening hours
        begin, or False when the till has no opening hours (or none in the next 4 weeks)."""
        self.ensure_one()
        # from a day before: an interval that began before ``after`` is not cut at ``after``
        intervals = self._dukkango_opening_intervals(after - timedelta(days=1), after + timedelta(days=28))
        return (intervals and schedule.next_opening(intervals, after)) or False

    def _compute_dukkango_poll(self):
        """How long ago the last poll succeeded, and whether the watchdog raised an alarm."""
        for config in self:
            account = config.sudo().dukkango_account_id
            config.dukkango_poll_age = self.env["dukkango.watchdog"]._age_text(account.last_success_at)
            config.dukkango_poll_alarm = bool(account.outage_since)

    def _dukkango_attention_domain(self):
        self.ensure_one()
        return [
            ("account_id", "=", self.dukkango_account_id.id),
            ("attention", "=", True),
            "|",
            ("config_id", "=", self.id),
            ("config_id", "=", False),
        ]

    def _compute_dukkango_attention_count(self):
        Order = self.env["dukkango.order"].sudo()
        for config in self:
            config.dukkango_attention_count = (
                Order.search_count(config._dukkango_attention_domain()) if config.dukkango_account_id else 0
            )

    def action_dukkango_attention(self):
        """The Dükkango orders of this point of sale that need a person."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dükkango orders needing attention"),
            "res_model": "dukkango.order",
            "view_mode": "list,form",
            "domain": self._dukkango_attention_domain(),
        }

    def dukkango_attention_ui(self):
        """For the till's banner: how many Dükkango orders of this point of sale need a person."""
        self.ensure_one()
        return self.dukkango_attention_count

    @api.constrains("dukkango_account_id", "dukkango_restaurant_id")
    def _check_dukkango_restaurant(self):
        for config in self.filtered("dukkango_restaurant_id"):
            restaurant = config.dukkango_restaurant_id
            if restaurant.account_id != config.dukkango_account_id:
                raise ValidationError(
                    self.env._(
                        "The Dükkango restaurant of %(config)s must be one of its account's (%(account)s).",
                        config=config.display_name,
                        account=config.dukkango_account_id.display_name or "-",
                    )
                )
            # one restaurant reached by two accounts (a chain key and a branch key) would
            # book each of its orders twice
            twin = self.sudo().search(
                [("id", "!=", config.id), ("dukkango_restaurant_id.uuid", "=", restaurant.uuid)], limit=1
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "The Dükkango restaurant %(restaurant)s already feeds %(config)s.",
                        restaurant=restaurant.display_name,
                        config=twin.display_name,
                    )
                )

    @api.onchange("dukkango_account_id")
    def _onchange_dukkango_account_id(self):
        if self.dukkango_restaurant_id.account_id != self.dukkango_account_id:
            self.dukkango_restaurant_id = False

    @api.model_create_multi
    def create(self, vals_list):
        configs = super().create(vals_list)
        configs.filtered("dukkango_account_id")._dukkango_setup()
        return configs

    def write(self, vals):
        if {"dukkango_calendar_id", "dukkango_watchdog_close"} & set(vals) and not self.env.su:
            message = self.env._("Only Point of Sale managers change the Dükkango opening hours and watchdog.")
            self.env.user._dukkango_check_manager(message)
        res = super().write(vals)
        if {"dukkango_account_id", "dukkango_restaurant_id"} & set(vals):
            self.filtered("dukkango_account_id")._dukkango_setup()
        return res

    @api.model
    def _dukkango_default_product(self, field_name):
        return self.env.ref(DEFAULT_PRODUCTS[field_name], raise_if_not_found=False)

    def _dukkango_fill_products(self):
        """Give configs (e.g. created before this module) the module's products where unset."""
        for config in self:
            missing = {
                name: self._dukkango_default_product(name).id
                for name in DEFAULT_PRODUCTS
                if not config[name] and self._dukkango_default_product(name)
            }
            if missing:
                config.write(missing)

    def _dukkango_setup(self):
        """Give linked configs their products and online payment method, and route waiting orders to them."""
        self._dukkango_fill_products()
        for config in self:
            if not config.dukkango_online_payment_method_id:
                method = self.env["pos.payment.method"]._dukkango_online_method(config.company_id)
                if method:
                    config.dukkango_online_payment_method_id = method
            method = config.dukkango_online_payment_method_id
            # Odoo forbids changing payment methods during a session: added at the next link
            if method and method not in config.payment_method_ids and not config.current_session_id:
                config.payment_method_ids = [fields.Command.link(method.id)]
        self.env["dukkango.order"]._route_pending(self.dukkango_account_id)

    def _dukkango_cash_method(self):
        self.ensure_one()
        return self.dukkango_cash_payment_method_id or self.payment_method_ids.filtered("is_cash_count")[:1]

    def _dukkango_restaurant(self):
        self.ensure_one()
        restaurant = self.dukkango_restaurant_id
        if not restaurant:
            raise UserError(
                self.env._("Point of sale %(config)s serves no Dükkango restaurant.", config=self.display_name)
            )
        return restaurant

    def _dukkango_check_manager(self):
        message = self.env._("Only Point of Sale managers open and close the restaurant on Dükkango.")
        self.env.user._dukkango_check_manager(message)

    def action_dukkango_open_store(self):
        """Open the restaurant on Dükkango (it takes orders again); a pause ends, and the
        opening hours act again at their next start or end."""
        self._dukkango_check_manager()
        for config in self:
            config._dukkango_restaurant()._set_platform_status(True)
            config.dukkango_restaurant_id.sudo()._settle_schedule()
        return True

    def action_dukkango_close_store(self):
        """Close the restaurant on Dükkango (it takes no new orders); inside opening hours it
        stays closed until they end."""
        self._dukkango_check_manager()
        for config in self:
            config._dukkango_restaurant()._set_platform_status(False)
            config.dukkango_restaurant_id.sudo()._settle_schedule()
        return True

    def action_dukkango_pause(self, minutes):
        """Busy mode: close the restaurant on Dükkango now and open it again after ``minutes``
        (15, 30 or 60). Odoo keeps the time: Dükkango only knows open and closed."""
        self.env.user._dukkango_check_manager(self.env._("Only Point of Sale managers pause Dükkango orders."))
        if minutes not in PAUSE_MINUTES:
            message = self.env._("Pause Dükkango orders for 15, 30 or 60 minutes, not %(minutes)s.", minutes=minutes)
            raise UserError(message)
        until = fields.Datetime.now() + timedelta(minutes=minutes)
        for config in self:
            config._dukkango_restaurant().sudo()._pause(until, config.current_session_id)
        return fields.Datetime.to_string(until)

    def action_dukkango_resume(self):
        """End a pause now: the restaurant opens on Dükkango again (unless outside opening hours)."""
        self.env.user._dukkango_check_manager(self.env._("Only Point of Sale managers resume Dükkango orders."))
        for config in self:
            config._dukkango_restaurant().sudo()._resume(session=config.current_session_id)
        return True

    def dukkango_busy_ui(self):
        """For the till's top bar: the pause, the last successful poll and the watchdog's alarm."""
        config = self.sudo()
        to_string = fields.Datetime.to_string
        return {
            "now": to_string(fields.Datetime.now()),
            "paused_until": to_string(config.dukkango_paused_until) or False,
            "last_success_at": to_string(config.dukkango_account_id.last_success_at) or False,
            "alarm": config.dukkango_poll_alarm,
            "status": config.dukkango_store_status or False,
        }

    def action_dukkango_import_menu(self):
        """Preview, then import, the Dükkango menu of the restaurant this point of sale serves."""
        self.ensure_one()
        return self._dukkango_restaurant().action_import_menu()

    def action_dukkango_refresh_store_status(self):
        self._dukkango_check_manager()
        self.dukkango_restaurant_id._refresh_platform_status()
        return True

    def dukkango_store_status_ui(self):
        """The restaurant's state on Dükkango for the POS app: ``"open"``, ``"closed"`` or False."""
        self.ensure_one()
        return self.sudo().dukkango_store_status

    def _dukkango_follow_session(self, opened):
        """Open (or close) the restaurant with the session, when the config asks for it.

        The session's transaction may still roll back, and the till never waits on the
        platform: the change is asked for here and sent after the commit
        (``dukkango.restaurant._cron_send_requested``); a failure is written on the session.
        """
        for config in self.filtered(lambda c: c.dukkango_store_follows_session and c.dukkango_restaurant_id):
            restaurant = config.dukkango_restaurant_id.sudo()
            if opened and not restaurant._may_open():
                continue  # paused, or outside opening hours: the schedule opens it at the right time
            restaurant._request_platform_status(opened, config.current_session_id)

    def _dukkango_open_session(self):
        """The session orders can be imported into: opened, not closing or closed."""
        self.ensure_one()
        session = self.current_session_id
        return session if session.state == "opened" else self.env["pos.session"]

    def _dukkango_check_products(self):
        self.ensure_one()
        missing = [self._fields[name].string for name in DEFAULT_PRODUCTS if not self[name]]
        if missing:
            raise UserError(
                self.env._(
                    "Point of sale %(config)s lacks Dükkango products: %(fields)s.",
                    config=self.display_name,
                    fields=", ".join(missing),
                )
            )
