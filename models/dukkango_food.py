# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import datetime, time, timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import str2bool

_logger = logging.getLogger(__name__)

MAX_SOLD_OUT_MINUTES = 24 * 60


class DukkangoFood(models.Model):
    """A dish of a restaurant's Dükkango menu and the POS product it is sold as."""

    _name = "dukkango.food"
    _description = "Dükkango Menu Item"
    _order = "restaurant_id, sequence, id"

    food_id = fields.Integer(string="Dükkango Food ID", required=True, readonly=True, index=True)
    name = fields.Char(required=True, readonly=True)
    restaurant_id = fields.Many2one("dukkango.restaurant", required=True, readonly=True, ondelete="cascade", index=True)
    account_id = fields.Many2one(related="restaurant_id.account_id", store=True)
    company_id = fields.Many2one(related="restaurant_id.company_id", store=True)
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", required=True, readonly=True, ondelete="cascade", index=True
    )
    price = fields.Float(string="Price on Dükkango", digits="Product Price", readonly=True)
    category_name = fields.Char(string="Dükkango Category", readonly=True)
    sequence = fields.Integer(readonly=True)
    available = fields.Boolean(
        string="Available on Dükkango",
        default=True,
        readonly=True,
        help="Whether customers can order the dish on Dükkango; changes only when Dükkango confirms.",
    )
    modifiers = fields.Text(readonly=True, help="The modifier groups imported last (JSON).")
    last_error = fields.Char(readonly=True)
    passive_requested = fields.Boolean(
        readonly=True, help="To be taken off Dükkango after the commit that archived its product."
    )
    active = fields.Boolean(default=True, readonly=True)
    sold_out_until = fields.Datetime(
        readonly=True,
        index="btree_not_null",
        help="When the dish goes back on sale on Dükkango by itself (a scheduled action does it).",
    )
    sold_out_reason = fields.Selection(
        [("manual", "Stopped by hand"), ("timer", "Sold out for a while"), ("stock", "Out of stock")],
        readonly=True,
        help="Why the dish is off Dükkango: a dish taken off because its stock ran out comes back when "
        "restocked, one sold out for a while comes back at its time, one stopped by hand stays off.",
    )

    _sql_constraints = [
        ("food_unique", "UNIQUE(restaurant_id, food_id)", "A Dükkango dish is linked once per restaurant."),
    ]

    @api.depends("name", "restaurant_id")
    def _compute_display_name(self):
        for food in self:
            food.display_name = f"{food.name} ({food.restaurant_id.name})" if food.restaurant_id else food.name

    def _set_available(self, available):
        """Make the dishes orderable (or not) on Dükkango; the flag follows only a confirmation.

        A refusal or network error raises a UserError and changes nothing.
        """
        method = "set_food_active" if available else "set_food_passive"
        for food in self:
            food.account_id.sudo()._call_platform(method, food.food_id)
            vals = {"available": available, "last_error": False}
            if available:  # on sale again: no timer and no reason left
                vals.update(sold_out_until=False, sold_out_reason=False)
            food.sudo().write(vals)

    def _check_manager(self):
        self.env.user._dukkango_check_manager(
            self.env._("Only Point of Sale managers change what is sold on Dükkango.")
        )

    def _lock_one(self):
        """The one dish a manager changes, its row locked until the commit: the scheduled action
        putting it back on sale meanwhile makes Odoo retry the request before anything was sent to
        Dükkango, not after. One dish at a time: a refusal for a later dish would roll back Odoo's
        record of the earlier ones the platform already changed."""
        if len(self) != 1:
            raise UserError(
                self.env._("Change one Dükkango dish at a time (%(count)s were selected).", count=len(self))
            )
        self.env.cr.execute("SELECT id FROM dukkango_food WHERE id = %s FOR NO KEY UPDATE NOWAIT", (self.id,))
        self.invalidate_recordset()

    def action_set_available(self):
        self._check_manager()
        self._lock_one()
        self._set_available(True)
        return True

    def action_set_unavailable(self):
        self._check_manager()
        self._lock_one()
        self._set_available(False)
        self.sudo().write({"sold_out_until": False, "sold_out_reason": "manual"})
        return True

    def _request_passive(self):
        """Take the dishes off Dükkango after the commit (their product leaves the POS)."""
        available = self.filtered("available")
        if available:
            available.write({"passive_requested": True})
            self.env.ref("pos_dukkango.ir_cron_dukkango_platform_changes")._trigger()

    def _make_passive_quietly(self):
        """Take the available dishes off Dükkango without stopping the caller on an error
        (the product is archived or removed from the POS anyway): errors are recorded."""
        for food in self.filtered("available"):
            try:
                food._set_available(False)
            except UserError as error:
                _logger.warning("Dükkango dish %s stays orderable on the platform: %s", food.food_id, error)
                food.sudo().last_error = str(error)[:200]

    # ------------------------------------------------------------------
    # Sold out with an end
    # ------------------------------------------------------------------
    def action_sold_out(self, minutes=None, until_tomorrow=False):
        """Take the dish off Dükkango now and put it back on sale after ``minutes`` (a whole number
        from 1 to 1440) or, with ``until_tomorrow``, at the next opening of the restaurant's till
        (see ``_next_opening``). One dish at a time, by Point of Sale managers only; a refusal of
        the platform names the dish and changes nothing."""
        self._check_manager()
        self._lock_one()
        if not until_tomorrow:
            self._check_sold_out_minutes(minutes)
        food = self.sudo()
        now = fields.Datetime.now()
        until = food._next_opening(now) if until_tomorrow else now + timedelta(minutes=minutes)
        if food.available:
            try:
                food._set_available(False)
            except UserError as error:
                raise UserError(
                    self.env._("Dükkango did not take “%(dish)s” off sale: %(error)s", dish=food.name, error=error)
                ) from None
        food.write({"sold_out_until": until, "sold_out_reason": "timer", "passive_requested": False})
        self.env.ref("pos_dukkango.ir_cron_dukkango_back_on_sale")._trigger(at=until)
        return True

    def _check_sold_out_minutes(self, minutes):
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_SOLD_OUT_MINUTES:
            raise UserError(
                self.env._(
                    "Say for how many minutes “%(dish)s” is sold out: a whole number from 1 to %(max)s "
                    "(24 hours), or until the next opening.",
                    dish=self.name,
                    max=MAX_SOLD_OUT_MINUTES,
                )
            )

    def action_sold_out_30(self):
        return self.action_sold_out(minutes=30)

    def action_sold_out_60(self):
        return self.action_sold_out(minutes=60)

    def action_sold_out_next_opening(self):
        return self.action_sold_out(until_tomorrow=True)

    def _next_opening(self, now):
        """The first opening after ``now`` (UTC, naive) of the till serving the dish's restaurant
        (``pos.config._dukkango_next_opening``); without opening hours, the next midnight in the
        time zone of its opening hours' calendar, else in İstanbul's (the restaurant's, not the
        time zone of whoever clicked)."""
        self.ensure_one()
        config = self.restaurant_id._dukkango_config()
        # a minute later: sold out at the very moment the till opens means until its next opening
        opening = config and config._dukkango_next_opening(now + timedelta(minutes=1))
        if opening and opening > now:
            return opening
        tz_name = config.dukkango_calendar_id.tz
        tz = pytz.timezone(tz_name if tz_name in pytz.all_timezones_set else "Europe/Istanbul")
        local_day = pytz.utc.localize(now).astimezone(tz).date()
        midnight = tz.localize(datetime.combine(local_day + timedelta(days=1), time.min))
        return midnight.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _cron_back_on_sale(self, now=None):
        """Put back on sale every dish whose sold-out time is up; each one is committed as soon as
        the platform confirmed it. A refusal keeps the dish for the next run, with its error; a dish
        a manager is changing at that moment is left to the next run; an archived one only loses
        its time. Returns the dishes handled."""
        now = now or fields.Datetime.now()
        domain = [("sold_out_until", "!=", False), ("sold_out_until", "<=", now)]
        foods = self.sudo().with_context(active_test=False).search(domain)
        cycle = self.env["dukkango.poll.cycle"]
        done = self.browse()
        for food in foods:
            # checked again once locked: a manager may have changed the dish since the search
            if food._lock_or_skip() and food.sold_out_until and food.sold_out_until <= now:
                food._back_on_sale()
                done |= food
            cycle._commit()
        return done

    def _lock_or_skip(self):
        """Lock the dish's row for the scheduled action; False when a manager holds it (or changed
        it since this transaction began): the next run sees it again."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM dukkango_food WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
                    (self.id,),
                    log_exceptions=False,
                )
                locked = bool(self.env.cr.fetchone())
        except psycopg2.errors.SerializationFailure:
            return False
        self.invalidate_recordset()
        return locked

    def _sellable(self):
        """Whether the dish and its product are still on the POS (neither archived nor removed)."""
        template = self.product_tmpl_id
        return self.active and template.active and template.available_in_pos

    def _back_on_sale(self):
        self.ensure_one()
        if not self._sellable() or self.passive_requested:
            # it or its product left the POS meanwhile: it stays off, the timer is over
            self.write({"sold_out_until": False, "sold_out_reason": False})
        elif self._out_of_stock():
            self.write({"sold_out_until": False, "sold_out_reason": "stock"})
        else:
            try:
                self._set_available(True)
            except UserError as error:
                _logger.warning("Dükkango dish %s could not be put back on sale: %s", self.food_id, error)
                self.last_error = str(error)[:200]

    # ------------------------------------------------------------------
    # Off Dükkango when the stock runs out (setting pos_dukkango.sold_out_on_stock)
    # ------------------------------------------------------------------
    @api.model
    def _stock_option_on(self):
        return str2bool(self.env["ir.config_parameter"].sudo().get_param("pos_dukkango.sold_out_on_stock", "False"))

    def _out_of_stock(self):
        """Whether the dish's product tracks its inventory and has none left (with the option on)
        in the warehouse of the restaurant's point of sale (without one: of the company)."""
        self.ensure_one()
        template = self.product_tmpl_id
        if not (template.is_storable and self._stock_option_on()):
            return False
        if self.company_id:
            template = template.with_company(self.company_id)
        warehouses = self.restaurant_id._dukkango_config().picking_type_id.warehouse_id
        if warehouses:
            template = template.with_context(warehouse_id=warehouses.ids)
        return template.qty_available <= 0

    @api.model
    def _follow_stock(self, templates):
        """After stock moves of ``templates``: request their dishes off Dükkango when the stock is
        gone, back on sale when it came back (both sent after the commit by a scheduled action)."""
        if not self._stock_option_on():
            return
        self.env["product.template"].invalidate_model(["qty_available"])
        self.env["product.product"].invalidate_model(["qty_available"])
        foods = self.sudo().search([("product_tmpl_id", "in", templates.ids)])
        for food in foods.filtered(lambda f: f.product_tmpl_id.is_storable):
            if food._out_of_stock():
                if food.available and not food.passive_requested and not food.sold_out_until:
                    food.sold_out_reason = "stock"
                    food._request_passive()
            elif food.sold_out_reason == "stock" and food._sellable():
                food._back_from_stock()

    def _back_from_stock(self):
        """Its stock no longer holds the dish off: back on sale after the commit (by the scheduled
        action), or simply not taken off when that was not sent yet."""
        if self.passive_requested or self.available:  # never went off: nothing to send
            self.write({"passive_requested": False, "sold_out_reason": False})
        elif not self.sold_out_until:
            self.sold_out_until = fields.Datetime.now()
            self.env.ref("pos_dukkango.ir_cron_dukkango_back_on_sale")._trigger()

    @api.model
    def _stock_option_switched_off(self):
        """The setting was switched off: the dishes its stock took off Dükkango go back on sale."""
        foods = self.sudo().with_context(active_test=False).search([("sold_out_reason", "=", "stock")])
        for food in foods:
            if food._sellable():
                food._back_from_stock()
            else:  # archived or out of the POS: stays off, for that reason
                food.sold_out_reason = False
