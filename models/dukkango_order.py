# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging
import uuid
from datetime import timezone
from decimal import Decimal

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import float_compare, float_is_zero

from ..dukkango.client import validate_uuid
from ..dukkango.orders import OrderParseError, parse_order
from ..dukkango.statuses import (
    STATUS_CANCELLED,
    STATUS_CONFIRMED,
    STATUS_DELIVERED,
    STATUS_IN_DELIVERY,
    STATUS_RECEIVED,
    STATUS_SELECTION,
    TERMINAL_STATUSES,
    status_advances,
    status_key,
)

_logger = logging.getLogger(__name__)

#: namespace of the pos.order uuid derived from a payment_key (idempotent imports)
POS_ORDER_UUID_NAMESPACE = uuid.UUID("6f1c2b9e-3f0d-4c55-9a57-d0c4a1e6b7a3")
IMPORT_BATCH = 100


class DukkangoOrder(models.Model):
    """The local record of one Dükkango order: what the platform sent, what was
    acknowledged, and the pos.order it became."""

    _name = "dukkango.order"
    _description = "Dükkango Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "first_seen_at desc, id desc"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name", store=True)
    account_id = fields.Many2one("dukkango.account", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    config_id = fields.Many2one("pos.config", string="Point of Sale", index=True, readonly=True)
    payment_key = fields.Char(required=True, readonly=True)
    dukkango_id = fields.Integer(string="Dükkango Number", readonly=True)
    restaurant_id = fields.Char(string="Restaurant", index=True, readonly=True)
    restaurant_name = fields.Char(readonly=True)
    status_id = fields.Integer(string="Status ID", readonly=True, tracking=True)
    status_text = fields.Char(string="Platform Status", readonly=True)
    status = fields.Selection(STATUS_SELECTION, compute="_compute_status", store=True, index=True)
    seen_status_id = fields.Integer(
        string="Last Status Received", readonly=True, help="Status of the order in the last get-current answer."
    )
    acked_status_id = fields.Integer(
        string="Acknowledged Status", readonly=True, help="Status last acknowledged to Dükkango."
    )
    ack_needed = fields.Boolean(index=True, readonly=True)
    ack_count = fields.Integer(readonly=True)
    ack_failures = fields.Integer(readonly=True, help="Failed acknowledgements since the last successful one.")
    last_ack_error = fields.Char(readonly=True)
    acked_at = fields.Datetime(string="Acknowledged On", readonly=True)
    first_seen_at = fields.Datetime(string="First Seen", readonly=True)
    last_seen_at = fields.Datetime(string="Last Seen", readonly=True)
    seen_count = fields.Integer(string="Times Received", readonly=True)
    payload = fields.Text(
        readonly=True, groups="point_of_sale.group_pos_manager", help="The raw order, as received last."
    )
    pos_order_id = fields.Many2one("pos.order", string="POS Order", index="btree_not_null", readonly=True, copy=False)
    state = fields.Selection(
        [("pending", "Waiting for import"), ("done", "Imported"), ("error", "Error")],
        default="pending",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    error_message = fields.Text(readonly=True)
    needs_attention = fields.Boolean(index=True, readonly=True)
    attention_reason = fields.Text(readonly=True)
    amount_total = fields.Monetary(readonly=True)
    date_order = fields.Datetime(string="Ordered On", readonly=True)
    scheduled_date = fields.Datetime(readonly=True)
    customer_name = fields.Char(readonly=True)
    customer_phone = fields.Char(readonly=True)
    shipping_method = fields.Char(readonly=True)
    payment_method = fields.Char(readonly=True)
    courier_type = fields.Char(readonly=True)
    address = fields.Text(readonly=True)
    note = fields.Text(string="Customer Note", readonly=True)
    preparing_time = fields.Integer(string="Preparation Time (min)", readonly=True)
    can_accept = fields.Boolean(compute="_compute_allowed_actions")
    can_on_the_way = fields.Boolean(compute="_compute_allowed_actions")
    can_complete = fields.Boolean(compute="_compute_allowed_actions")
    can_cancel = fields.Boolean(compute="_compute_allowed_actions")
    status_applied_id = fields.Integer(readonly=True, help="Last status applied to the POS order.")
    auto_accept_done = fields.Boolean(readonly=True)

    _sql_constraints = [
        ("payment_key_unique", "UNIQUE(account_id, payment_key)", "A Dükkango order is stored only once."),
    ]

    @api.depends("dukkango_id", "payment_key")
    def _compute_name(self):
        for order in self:
            order.name = f"Dükkango #{order.dukkango_id}" if order.dukkango_id else order.payment_key

    @api.depends("status_id", "shipping_method", "courier_type")
    def _compute_allowed_actions(self):
        for order in self:
            own_courier = order.shipping_method == "delivery" and order.courier_type == "restaurant"
            order.can_accept = order.status_id == STATUS_RECEIVED
            order.can_on_the_way = order.status_id == STATUS_CONFIRMED and own_courier
            order.can_complete = order.status_id == STATUS_IN_DELIVERY or (
                order.status_id == STATUS_CONFIRMED and not own_courier
            )
            order.can_cancel = bool(order.status_id) and order.status_id not in TERMINAL_STATUSES

    @api.depends("status_id")
    def _compute_status(self):
        for order in self:
            order.status = status_key(order.status_id) if order.status_id else False

    # ------------------------------------------------------------------
    # Storing what get-current returned
    # ------------------------------------------------------------------
    @api.model
    def _store_batch(self, account, raw_orders):
        """Upsert every order of one get-current answer; never raise for one bad order.

        Returns a dict of counters. Orders are keyed by (account, payment_key): a
        repeat updates the same record, a newer status moves it forward, an older
        one is only recorded as seen (so that it can be acknowledged).
        """
        counters = {"received": len(raw_orders), "stored": 0, "errors": 0, "rejected": 0}
        if not raw_orders:
            return counters
        now = fields.Datetime.now()
        routes = account._dukkango_routes()
        keys = []
        for raw in raw_orders:
            key = raw.get("payment_key") if isinstance(raw, dict) else None
            try:
                keys.append(validate_uuid(key, "payment_key").lower())
            except ValueError:
                keys.append(None)
        known = {
            order.payment_key: order
            for order in self.search([("account_id", "=", account.id), ("payment_key", "in", [k for k in keys if k])])
        }
        # a new order's creation is not logged in its chatter: first_seen_at says it
        create = self.with_context(mail_create_nolog=True).create
        for raw, key in zip(raw_orders, keys, strict=True):
            existing = known.get(key, self.browse()) if key else None
            try:
                parsed = parse_order(raw)
            except OrderParseError as error:
                counters["errors"] += 1
                stored = self._store_error(account, key, existing, raw, error, now)
                if key:
                    known[key] = stored
                else:
                    counters["rejected"] += 1
                continue
            payload = json.dumps(raw, ensure_ascii=False, sort_keys=True)
            if not existing:
                known[key] = create(
                    {
                        **self._prepare_order_vals(parsed, payload),
                        "account_id": account.id,
                        "config_id": routes.get(parsed.restaurant_id, False),
                        "seen_status_id": parsed.status_id,
                        "ack_needed": True,
                        "first_seen_at": now,
                        "last_seen_at": now,
                        "seen_count": 1,
                    }
                )
            else:
                vals = {
                    "last_seen_at": now,
                    "seen_count": existing.seen_count + 1,
                    "seen_status_id": parsed.status_id,
                    # the platform repeats an order until it has our ack for its status
                    "ack_needed": True,
                }
                if existing.state == "error" and not existing.pos_order_id:
                    vals.update(self._prepare_order_vals(parsed, payload), state="pending", error_message=False)
                elif status_advances(existing.status_id, parsed.status_id):
                    vals.update(self._prepare_order_vals(parsed, payload))
                elif parsed.status_id != existing.status_id:
                    _logger.info(
                        "Dükkango order %s: status %s arrived after %s, not going back",
                        key,
                        parsed.status_id,
                        existing.status_id,
                    )
                else:
                    vals["payload"] = payload
                if existing.state == "error" and existing.pos_order_id:
                    vals.update(state="done", error_message=False)
                existing.sudo().write(vals)
            counters["stored"] += 1
        return counters

    @api.model
    def _prepare_order_vals(self, parsed, payload):
        return {
            "payment_key": parsed.payment_key,
            "dukkango_id": parsed.id,
            "restaurant_id": parsed.restaurant_id,
            "restaurant_name": parsed.restaurant_name,
            "status_id": parsed.status_id,
            "status_text": parsed.status_text,
            "payload": payload,
            "amount_total": float(parsed.total),
            "date_order": _utc_naive(parsed.date),
            "scheduled_date": _utc_naive(parsed.scheduled_date),
            "customer_name": parsed.customer.name,
            "address": parsed.address_text("\n") or False,
            "customer_phone": parsed.customer.phone_e164,
            "shipping_method": parsed.shipping_method,
            "payment_method": parsed.payment_method,
            "courier_type": parsed.courier_type,
            "note": parsed.note or False,
        }

    @api.model
    def _store_error(self, account, key, existing, raw, error, now):
        """Keep an order that cannot be used: with its reason, never acknowledged.

        Returns its record (none for an order without a usable payment_key).
        """
        try:
            payload = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
        except (TypeError, ValueError):
            payload = repr(raw)
        message = self.env._("Dükkango sent an order that cannot be used: %(error)s", error=str(error)[:500])
        if not key:
            _logger.warning("Dükkango account %s: order without a valid payment_key dropped: %s", account.id, error)
            return self.browse()
        _logger.warning("Dükkango order %s cannot be used: %s", key, error)
        if existing:
            vals = {"last_seen_at": now, "seen_count": existing.seen_count + 1, "ack_needed": False}
            if existing.pos_order_id:
                vals.update(needs_attention=True, attention_reason=message)
            else:
                vals.update(state="error", error_message=message, payload=payload)
            existing.sudo().write(vals)
            return existing
        restaurant = raw.get("restaurant_id") if isinstance(raw.get("restaurant_id"), str) else ""
        return self.sudo().create(
            {
                "account_id": account.id,
                "payment_key": key,
                "dukkango_id": raw.get("id") if isinstance(raw.get("id"), int) and raw["id"] >= 0 else 0,
                "restaurant_id": restaurant[:64],
                "state": "error",
                "error_message": message,
                "payload": payload,
                "first_seen_at": now,
                "last_seen_at": now,
                "seen_count": 1,
            }
        )

    @api.model
    def _route_pending(self, accounts):
        """Give waiting orders without a point of sale the config of their restaurant."""
        for account in accounts:
            unrouted = self.search(
                [("account_id", "=", account.id), ("state", "=", "pending"), ("config_id", "=", False)]
            )
            routes = unrouted and account._dukkango_routes()
            for order in unrouted:
                if routes.get(order.restaurant_id):
                    order.config_id = routes[order.restaurant_id]

    # ------------------------------------------------------------------
    # Turning stored orders into pos.order
    # ------------------------------------------------------------------
    @api.model
    def _import_pending(self, accounts, configs=None, limit=IMPORT_BATCH):
        """Map waiting orders that have an open session to pos.orders, one savepoint each.

        Returns ``(imported, remaining)``.
        """
        self._route_pending(accounts)
        domain = [("account_id", "in", accounts.ids), ("state", "=", "pending"), ("config_id", "!=", False)]
        if configs is not None:
            domain.append(("config_id", "in", configs.ids))
        waiting = self.search(domain, order="id")
        ready = waiting.filtered(lambda order: order.config_id._dukkango_open_session())
        (waiting - ready)._notify_no_session()
        self._apply_pending_statuses(accounts)
        batch = ready[:limit]
        if not batch:
            return 0, 0
        products = {}  # the products of the batch's dishes, looked up once
        try:
            # usually every order imports: one savepoint for the whole batch
            with self.env.cr.savepoint():
                for order in batch:
                    order._import_to_pos(products)
            imported = batch
        except Exception as error:  # noqa: BLE001 - retried order by order below
            _raise_if_concurrency(error)
            imported = batch._import_one_by_one(products)
        imported._notify_pos()
        return len(imported), max(0, len(ready) - limit)

    def _import_one_by_one(self, products):
        """Import each order in its own savepoint: the ones that fail are left aside with
        their error, the others are imported. Returns the imported ones."""
        imported = self.browse()
        for order in self:
            try:
                with self.env.cr.savepoint():
                    order._import_to_pos(products)
                imported |= order
            except Exception as error:  # noqa: BLE001 - one bad order must not stop the batch
                _raise_if_concurrency(error)
                _logger.warning("Dükkango order %s could not be imported: %s", order.payment_key, error)
                order.write(
                    {
                        "state": "error",
                        "error_message": self.env._(
                            "The order could not be imported into the point of sale: %(error)s",
                            error=str(error)[:1000],
                        ),
                    }
                )
        return imported

    @api.model
    def _apply_pending_statuses(self, accounts):
        """Apply platform status changes to the pos.orders they concern, one savepoint each."""
        self.flush_model(["account_id", "pos_order_id", "status_id", "status_applied_id"])
        self.env.cr.execute(
            """SELECT id FROM dukkango_order
                WHERE account_id IN %s AND pos_order_id IS NOT NULL
                  AND status_applied_id IS DISTINCT FROM status_id
                ORDER BY id""",
            (tuple(accounts.ids) or (0,),),
        )
        changed = self.browse([row[0] for row in self.env.cr.fetchall()])
        for order in changed:
            try:
                with self.env.cr.savepoint():
                    order._apply_status()
            except Exception as error:  # noqa: BLE001 - one bad order must not stop the batch
                _raise_if_concurrency(error)
                _logger.warning(
                    "Dükkango order %s: status %s not applied: %s", order.payment_key, order.status_id, error
                )
                order._flag(
                    self.env._(
                        "Status %(status)s could not be applied: %(error)s",
                        status=order.status_text or order.status_id,
                        error=str(error)[:500],
                    )
                )
                order.status_applied_id = order.status_id
        changed._notify_pos()

    def _notify_pos(self):
        """Tell the open POS tabs of each config which of its Dükkango orders are new or changed.

        The bus delivers the message after the commit; the POS then reads those orders.
        """
        by_config = {}
        for order in self.filtered("pos_order_id"):
            by_config.setdefault(order.config_id, []).append(order.pos_order_id.id)
        for config, pos_order_ids in by_config.items():
            if config:
                config._notify("DUKKANGO_ORDERS", {"pos_order_ids": pos_order_ids})

    def _notify_no_session(self):
        """Tell the account's responsible that orders wait for a session (once per order)."""
        if not self:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for order in self:
            if order.activity_ids or not activity_type:
                continue
            order.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Open a session of %(config)s", config=order.config_id.display_name),
                note=self.env._(
                    "Dükkango order %(order)s is waiting for an open session of %(config)s; "
                    "it is imported the moment one opens.",
                    order=order.name,
                    config=order.config_id.display_name,
                ),
                user_id=order.account_id.user_id.id or self.env.uid,
            )

    def _import_to_pos(self, products=None):
        """Create the pos.order of one stored order through Odoo's own POS path.

        ``products`` caches the product of each dish across the orders of one batch.
        """
        self.ensure_one()
        order = self.sudo()
        config = order.config_id
        session = config._dukkango_open_session()
        if not session:
            raise UserError(self.env._("No open session for %(config)s.", config=config.display_name))
        config._dukkango_check_products()
        parsed = parse_order(json.loads(order.payload))
        online = config.dukkango_online_payment_method_id
        if not parsed.is_cash and online not in session.payment_method_ids:
            raise UserError(
                self.env._(
                    "Add the payment method %(method)s to %(config)s (Odoo allows it only while no session is open).",
                    method=online.display_name or self.env._("Dükkango Online"),
                    config=config.display_name,
                )
            )
        vals = order._prepare_pos_order_vals(parsed, session, products)
        PosOrder = self.env["pos.order"].sudo().with_company(config.company_id).with_context(dukkango_import=True)
        # what pos.order.sync_from_ui does with an order from the till, without reading the
        # order back for a POS client (a third of its cost): an order of this uuid that is no
        # longer a draft stays as it is
        pos_order = PosOrder._get_open_order(vals)
        if not pos_order or pos_order.state == "draft":
            pos_order = PosOrder.browse(PosOrder._process_order(vals, pos_order or False))
            pos_order._ensure_access_token()
            pos_order.config_id.notify_synchronisation(pos_order.config_id.current_session_id.id, 0)
        if not pos_order or pos_order.dukkango_order_id != order:
            raise UserError(self.env._("Odoo did not create the POS order."))
        values = {"pos_order_id": pos_order.id, "state": "done", "error_message": False}
        if parsed.items and not parsed.identity_holds:
            values.update(
                needs_attention=True,
                attention_reason=self.env._(
                    "Items, discount, fee and tip add up to %(computed)s but Dükkango's total is %(total)s: "
                    "the difference is booked on an adjustment line.",
                    computed=parsed.computed_total,
                    total=parsed.total,
                ),
            )
        # the routine step is not logged in the chatter: its fields say it
        order.with_context(tracking_disable=True).write(values)
        order.activity_ids.unlink()
        order._apply_status()

    def _pos_order_uuid(self):
        """The pos.order uuid of this order: the same at every attempt, so a retried import
        finds the order it created instead of making a second one."""
        self.ensure_one()
        return str(uuid.uuid5(POS_ORDER_UUID_NAMESPACE, f"{self.account_id.id}:{self.payment_key}"))

    def _prepare_pos_order_vals(self, parsed, session, products=None):
        """The dictionary ``pos.order.sync_from_ui`` takes, as the POS app would send it."""
        self.ensure_one()
        config = session.config_id
        company = config.company_id
        currency = session.currency_id
        fiscal_position = config.default_fiscal_position_id
        lines = [
            self._prepare_line_vals(
                product, qty, amount, name, note, fiscal_position, company, currency, attribute_values=values
            )
            for product, qty, amount, name, note, values in self._order_line_specs(parsed, config, products)
        ]
        total = float(parsed.total)
        untaxed = sum(line["price_subtotal"] for line in lines)
        computed = sum(line["price_subtotal_incl"] for line in lines)
        residue = currency.round(total - computed)
        if not float_is_zero(residue, precision_rounding=currency.rounding):
            # kuruş left over by the taxes' rounding: book it untaxed so the total is exact
            lines.append(
                self._prepare_line_vals(
                    config.dukkango_adjustment_product_id,
                    1,
                    Decimal(str(residue)),
                    self.env._("Rounding difference"),
                    "",
                    fiscal_position,
                    company,
                    currency,
                    untaxed=True,
                )
            )
            untaxed += residue
        paid = not parsed.is_cash and parsed.total > 0
        payments = []
        if paid:
            method = config.dukkango_online_payment_method_id
            if not method:
                raise UserError(
                    self.env._(
                        "Point of sale %(config)s has no Dükkango online payment method.", config=config.display_name
                    )
                )
            payments = [
                fields.Command.create({"amount": total, "payment_method_id": method.id, "name": fields.Datetime.now()})
            ]
        reference = f"Dükkango #{parsed.id}"
        return {
            "name": reference,
            "uuid": self._pos_order_uuid(),
            "session_id": session.id,
            "user_id": session.user_id.id,
            "partner_id": self._find_or_create_partner(parsed, company).id,
            "date_order": fields.Datetime.to_string(_utc_naive(parsed.date)),
            "pricelist_id": config.pricelist_id.id,
            "fiscal_position_id": fiscal_position.id,
            "lines": [fields.Command.create(line) for line in lines],
            "payment_ids": payments,
            "amount_total": total,
            "amount_tax": currency.round(total - untaxed),
            "amount_paid": total if paid else 0.0,
            "amount_return": 0.0,
            "state": "paid" if paid else "draft",
            "floating_order_name": reference,
            # the order number called out at the counter ends with the platform number's digits
            "sequence_number": parsed.id,
            "general_note": self._general_note(parsed),
            # nothing sent to the kitchen yet, in the shape the POS app reads
            "last_order_preparation_change": json.dumps({"lines": {}, "generalNote": "", "sittingMode": "dine in"}),
            "to_invoice": False,
            "dukkango_order_id": self.id,
        }

    def _order_line_specs(self, parsed, config, products=None):
        """(product, quantity, VAT-included line amount, label, kitchen note, attribute values)
        of every line. The options a dish's product has as attribute values (menu import) are
        set on the line; the others are written in its kitchen note."""
        _ = self.env._
        no_values = self.env["product.template.attribute.value"]
        specs = []
        for item in parsed.items:
            product = self._match_product(item, config, products)
            values, unmatched = self._match_options(product, item.options)
            note = "\n".join(
                [f"{option.group}: {option.name}" if option.group else option.name for option in unmatched]
                + ([item.note] if item.note else [])
            )
            name = item.name
            if values:
                name = f"{product.display_name} ({', '.join(values.mapped('name'))})"
            specs.append((product, item.quantity, item.subtotal, name, note, values))
        if not parsed.items:
            specs.append(
                (config.dukkango_fallback_product_id, 1, parsed.fallback_amount, _("Dükkango order"), "", no_values)
            )
        if parsed.discount:
            specs.append((config.dukkango_discount_product_id, 1, -parsed.discount, _("Discount"), "", no_values))
        if parsed.courier_fee:
            specs.append((config.dukkango_fee_product_id, 1, parsed.courier_fee, _("Delivery fee"), "", no_values))
        if parsed.order_tip:
            specs.append((config.dukkango_tip_product_id, 1, parsed.order_tip, _("Tip"), "", no_values))
        if parsed.adjustment_amount:
            specs.append(
                (config.dukkango_adjustment_product_id, 1, parsed.adjustment_amount, _("Adjustment"), "", no_values)
            )
        return [spec for spec in specs if spec[2] or spec[0] != config.dukkango_fallback_product_id]

    def _match_options(self, product, options):
        """``(attribute values, unmatched options)``: each chosen option is the value of the
        same name of the product's attribute named like its group, when there is one."""
        values = self.env["product.template.attribute.value"]
        unmatched = []
        lines = product.product_tmpl_id.attribute_line_ids if product else []
        for option in options:
            value = next(
                (
                    ptav
                    for line in lines
                    if line.attribute_id.name == option.group
                    for ptav in line.product_template_value_ids
                    if ptav.name == option.name and ptav.ptav_active
                ),
                None,
            )
            if value:
                values |= value
            else:
                unmatched.append(option)
        return values, unmatched

    def _match_product(self, item, config, products=None):
        """The product of an item: the one imported for its food id from the restaurant's menu,
        else by Dükkango food id, else by exact name, else the fallback.

        ``products`` (a dict) remembers the answers for the next orders of the same batch.
        """
        key = (config.id, item.food_id, item.name)
        if products is not None and key in products:
            return products[key]
        product = self._search_product(item, config)
        if products is not None:
            products[key] = product
        return product

    def _search_product(self, item, config):
        Product = self.env["product.product"].with_company(config.company_id)
        domain = [
            ("available_in_pos", "=", True),
            ("sale_ok", "=", True),
            ("company_id", "in", [False, config.company_id.id]),
        ]
        product = Product.browse()
        if item.food_id and config.dukkango_restaurant_ref_id:
            # the product the menu import made of this dish of this restaurant
            product = Product.search(
                [
                    *domain,
                    (
                        "product_tmpl_id.dukkango_food_ids",
                        "any",
                        [("restaurant_id", "=", config.dukkango_restaurant_ref_id.id), ("food_id", "=", item.food_id)],
                    ),
                ],
                limit=1,
            )
        if item.food_id and not product:
            product = Product.search([*domain, ("dukkango_food_id", "=", item.food_id)], limit=1)
        if not product:
            product = Product.search([*domain, ("name", "=", item.name)], limit=1)
        return product or config.dukkango_fallback_product_id

    def _prepare_line_vals(
        self, product, qty, amount, name, note, fiscal_position, company, currency, untaxed=False, attribute_values=None
    ):
        """One order line whose tax-included total is ``amount`` whatever the product's taxes."""
        qty = float(qty)
        taxes = product.taxes_id.filtered_domain(self.env["account.tax"]._check_company_domain(company))
        line_taxes = self.env["account.tax"] if untaxed else fiscal_position.map_tax(taxes)
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
            "full_product_name": name
            if product == self.config_id.dukkango_fallback_product_id or attribute_values
            else product.display_name,
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

    def _find_or_create_partner(self, parsed, company):
        """The customer: found by E.164 phone, else created with name, phone and address."""
        Partner = self.env["res.partner"].sudo().with_company(company)
        phone = parsed.customer.phone_e164
        if phone:
            variants = list({phone, parsed.customer.phone.strip()} - {""})
            partner = Partner.search(
                ["|", ("phone", "in", variants), ("mobile", "in", variants), ("company_id", "in", [False, company.id])],
                limit=1,
            )
            if partner:
                return partner
        if not parsed.customer.name and not phone:
            return Partner.browse()
        # no "contact created" message in the chatter for each customer of the platform
        return Partner.with_context(mail_create_nolog=True, tracking_disable=True).create(
            self._prepare_partner_vals(parsed)
        )

    def _prepare_partner_vals(self, parsed):
        """A new customer: name, E.164 phone and the delivery address."""
        phone = parsed.customer.phone_e164
        address = dict(parsed.address)
        extra = [
            value
            for key, value in parsed.address
            if value and key not in ("address", "description", "city", "district")
        ]
        country_id = self.env["ir.model.data"]._xmlid_to_res_id("base.tr", raise_if_not_found=False)
        return {
            "name": parsed.customer.name or phone,
            "phone": phone or False,
            "street": address.get("address") or False,
            "street2": ", ".join(extra) or False,
            "city": ", ".join(v for v in (address.get("district"), address.get("city")) if v) or False,
            "country_id": country_id or False,
            "comment": address.get("description") or False,
            "company_id": False,
        }

    def _general_note(self, parsed):
        _ = self.env._
        rows = [
            (_("Dükkango order"), f"#{parsed.id}"),
            (_("Customer note"), parsed.note),
            (_("Shipping"), parsed.shipping_method),
            (_("Courier"), parsed.courier_type),
            (_("Payment"), parsed.payment_method),
            (_("Customer"), " ".join(v for v in (parsed.customer.name, parsed.customer.phone_e164) if v)),
            (_("Address"), parsed.address_text(", ")),
            (_("Scheduled for"), parsed.scheduled_date.strftime("%Y-%m-%d %H:%M") if parsed.scheduled_date else ""),
        ]
        return "\n".join(f"{label}: {value}" for label, value in rows if value)

    # ------------------------------------------------------------------
    # Following the platform's status
    # ------------------------------------------------------------------
    def _apply_status(self):
        """Bring each imported pos.order in line with the platform's latest status."""
        for order in self.filtered(lambda o: o.pos_order_id and o.status_applied_id != o.status_id):
            pos_order = order.pos_order_id.sudo()
            if order.status_id == STATUS_CANCELLED:
                if pos_order.state == "draft":
                    pos_order.action_pos_order_cancel()
                elif pos_order.state != "cancel":
                    order._flag(
                        self.env._(
                            "Dükkango cancelled this order after it was paid: refund %(pos_order)s at the till.",
                            pos_order=pos_order.name,
                        )
                    )
            elif order.status_id == STATUS_DELIVERED and pos_order.state == "draft":
                method = pos_order.config_id._dukkango_cash_method()
                if method and pos_order.session_id.state == "opened":
                    pos_order.add_payment(
                        {
                            "pos_order_id": pos_order.id,
                            "amount": pos_order.amount_total,
                            "payment_method_id": method.id,
                            "name": fields.Datetime.now(),
                        }
                    )
                    pos_order.action_pos_order_paid()
                    pos_order._create_order_picking()
            order.status_applied_id = order.status_id

    def _flag(self, reason):
        self.ensure_one()
        self.write({"needs_attention": True, "attention_reason": reason})
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        if activity_type:
            self.activity_schedule(
                activity_type_id=activity_type.id,
                summary=reason[:100],
                note=reason,
                user_id=self.account_id.user_id.id or self.env.uid,
            )

    # ------------------------------------------------------------------
    # Platform actions
    # ------------------------------------------------------------------
    def _auto_accept(self, client):
        """Accept new orders of configs that accept automatically; local status moves on success."""
        for order in self.filtered(
            lambda o: o.state == "done"
            and o.status_id == STATUS_RECEIVED
            and not o.auto_accept_done
            and o.config_id.dukkango_auto_accept
        ):
            order.auto_accept_done = True
            minutes = order.config_id.dukkango_preparing_time
            try:
                client.accept_order(order.payment_key, minutes)
            except Exception as error:  # noqa: BLE001 - reported on the order, the batch goes on
                _logger.warning("Dükkango refused to accept order %s: %s", order.payment_key, error)
                order._flag(self.env._("Automatic acceptance failed: %(error)s", error=str(error)[:500]))
                continue
            order._set_local_status(STATUS_CONFIRMED)

    def _check_allowed(self, flag, action):
        for order in self:
            if not order[flag]:
                raise UserError(
                    self.env._(
                        "%(order)s cannot be %(action)s in its current status (%(status)s).",
                        order=order.name,
                        action=action,
                        status=order.status_text or order.status_id,
                    )
                )

    def _platform_accept(self, preparing_time):
        if isinstance(preparing_time, bool) or not isinstance(preparing_time, int) or preparing_time <= 0:
            raise UserError(self.env._("The preparation time must be a positive number of minutes."))
        self._check_allowed("can_accept", self.env._("accepted"))
        for order in self:
            order.account_id._call_platform("accept_order", order.payment_key, preparing_time)
            order.sudo().preparing_time = preparing_time
            order._set_local_status(STATUS_CONFIRMED)

    def _platform_on_the_way(self):
        self._check_allowed("can_on_the_way", self.env._("sent on the way"))
        for order in self:
            order.account_id._call_platform("mark_on_the_way", order.payment_key)
            order._set_local_status(STATUS_IN_DELIVERY)

    def _platform_complete(self):
        self._check_allowed("can_complete", self.env._("completed"))
        for order in self:
            order.account_id._call_platform("complete_order", order.payment_key)
            order._set_local_status(STATUS_DELIVERED)

    def _platform_cancel(self, reason_code):
        self._check_allowed("can_cancel", self.env._("cancelled"))
        for order in self:
            order.account_id._call_platform("cancel_order", order.payment_key, reason_code)
            order._set_local_status(STATUS_CANCELLED)

    def action_retry_import(self):
        """Import again orders that failed (or wait), now if their session is open."""
        retry = self.filtered(lambda o: o.state in ("error", "pending") and not o.pos_order_id)
        for order in retry.sudo():
            try:
                order.payload and parse_order(json.loads(order.payload))
            except (OrderParseError, ValueError) as error:
                raise UserError(
                    self.env._("%(order)s still cannot be used: %(error)s", order=order.name, error=error)
                ) from None
            order.write({"state": "pending", "error_message": False})
        if retry:
            self._import_pending(retry.account_id, configs=retry.config_id)
        return True

    def action_open_pos_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pos.order",
            "res_id": self.pos_order_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def _set_local_status(self, status_id):
        """Record a status the platform confirmed for an action of ours."""
        self.ensure_one()
        order = self.sudo()
        if status_advances(order.status_id, status_id):
            order.write({"status_id": status_id})
            order._apply_status()
            order._notify_pos()


def _utc_naive(value):
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value else False


def _raise_if_concurrency(error):
    """A concurrent worker's update is no fault of the order: the cycle stops (its transaction
    is rolled back) and the order stays waiting for the next poll instead of being failed."""
    if isinstance(error, psycopg2.OperationalError) and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
        raise error
