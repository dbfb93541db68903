# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging
import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..dukkango import mapping
from ..dukkango.orders import parse_order
from .common import raise_if_concurrency, utc_naive

_logger = logging.getLogger(__name__)

#: namespace of the pos.order uuid derived from a payment_key (idempotent imports)
POS_ORDER_UUID_NAMESPACE = uuid.UUID("6f1c2b9e-3f0d-4c55-9a57-d0c4a1e6b7a3")
#: pos.config field of the product each kind of line is booked on (items: the dish's product)
LINE_PRODUCT_FIELDS = {
    mapping.FALLBACK: "dukkango_fallback_product_id",
    mapping.DISCOUNT: "dukkango_discount_product_id",
    mapping.FEE: "dukkango_fee_product_id",
    mapping.TIP: "dukkango_tip_product_id",
    mapping.ADJUSTMENT: "dukkango_adjustment_product_id",
}


class DukkangoPosImport(models.AbstractModel):
    """Turns stored Dükkango orders into ``pos.order`` through Odoo's own POS path.

    The platform's order is mapped without the ORM (:mod:`dukkango.mapping`); this model
    adds what needs the database: the session, the products of the dishes and their
    options, the customer and the unit prices that give Dükkango's totals whatever the
    products' taxes (``dukkango.line.pricing``). Each step is a method another addon can
    extend (``_prepare_pos_order_vals``, ``_match_product``, ``_prepare_partner_vals``…).
    """

    _name = "dukkango.pos.import"
    _description = "Dükkango Import into the Point of Sale"

    @api.model
    def _import_pending(self, accounts, configs=None, limit=100):
        """Map waiting orders that have an open session to pos.orders; ``(imported, remaining)``."""
        Order = self.env["dukkango.order"].sudo()
        # one search for all that waits: routed, closed when cancelled, then imported
        pending = Order.search([("account_id", "in", accounts.ids), ("state", "=", "pending")], order="id")
        pending.filtered(lambda order: not order.config_id)._route()
        waiting = pending._close_cancelled().filtered("config_id")
        if configs is not None:
            waiting = waiting.filtered(lambda order: order.config_id in configs)
        ready = waiting.filtered(lambda order: order.config_id._dukkango_open_session())
        (waiting - ready)._notify_no_session()
        Order._apply_pending_statuses(accounts)
        batch = ready[:limit]
        if not batch:
            return 0, 0
        products = {}  # the products of the batch's dishes, looked up once
        try:
            # usually every order imports: one savepoint for the whole batch
            with self.env.cr.savepoint():
                for order in batch:
                    self._import_order(order, products)
            imported = batch
        except Exception as error:  # noqa: BLE001 - retried order by order below
            raise_if_concurrency(error)
            imported = self._import_one_by_one(batch, products)
        imported._notify_pos()
        return len(imported), max(0, len(ready) - limit)

    def _import_one_by_one(self, orders, products):
        """Import each order in its own savepoint: the ones that fail are left aside with
        their error, the others are imported. Returns the imported ones."""
        imported = orders.browse()
        for order in orders:
            try:
                with self.env.cr.savepoint():
                    self._import_order(order, products)
                imported |= order
            except Exception as error:  # noqa: BLE001 - one bad order must not stop the batch
                raise_if_concurrency(error)
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
        if imported != orders:
            (orders - imported).account_id._notify_attention()  # a failed import needs a person
        return imported

    def _import_order(self, order, products=None):
        """Create the pos.order of one stored order (``dukkango.order``, sudo).

        ``products`` caches the product of each dish across the orders of one batch.
        """
        config = order.config_id
        session = self._lock_open_session(config)
        config._dukkango_check_products()
        draft = self._draft(order, products)
        online = config.dukkango_online_payment_method_id
        if draft.paid_online and online not in session.payment_method_ids:
            raise UserError(
                self.env._(
                    "Add the payment method %(method)s to %(config)s (Odoo allows it only while no session is open).",
                    method=online.display_name or self.env._("Dükkango Online"),
                    config=config.display_name,
                )
            )
        pos_order = self._create_pos_order(self._prepare_pos_order_vals(order, session, products, draft), config)
        if not pos_order or pos_order.dukkango_order_id != order:
            raise UserError(self.env._("Odoo did not create the POS order."))
        values = {"pos_order_id": pos_order.id, "state": "done", "error_message": False}
        reasons = [self._adjustment_reason(draft)] if draft.needs_adjustment else []
        if not draft.payment_known:
            reasons.append(
                self.env._(
                    "Dükkango's list of payment methods does not have '%(method)s': the order is left to be "
                    "paid at the till. Check how the customer paid.",
                    method=order.payment_method or "-",
                )
            )
        if reasons:
            values.update(needs_attention=True, attention_reason="\n".join(reasons))
        # the routine step is not logged in the chatter: its fields say it
        order.with_context(tracking_disable=True).write(values)
        order.activity_ids.unlink()
        order._apply_status()

    def _lock_open_session(self, config):
        """The open session of ``config``, its row locked until the commit: a session that
        starts closing meanwhile waits for this import, and an import never goes into a
        session that closed since this transaction began (PostgreSQL refuses the lock)."""
        session = config._dukkango_open_session()
        if session:
            self.env.cr.execute("SELECT state FROM pos_session WHERE id = %s FOR NO KEY UPDATE", (session.id,))
            row = self.env.cr.fetchone()
            if row and row[0] == "opened":
                return session
        raise UserError(self.env._("No open session for %(config)s.", config=config.display_name))

    def _adjustment_reason(self, draft):
        if draft.unpriced_names:
            return self.env._(
                "Dükkango sent no price for %(items)s: booked at 0 on the unmatched-item product; the "
                "adjustment line keeps the order total equal to Dükkango's (%(total)s).",
                items=", ".join(f"'{name}'" for name in draft.unpriced_names),
                total=draft.total,
            )
        return self.env._(
            "Items, discount, fee and tip add up to %(computed)s but Dükkango's total is %(total)s: "
            "the difference is booked on an adjustment line.",
            computed=draft.computed_total,
            total=draft.total,
        )

    @api.model
    def _draft(self, order, cache=None):
        """The platform's order of a stored record, mapped onto a point of sale order.

        ``cache`` (a dict, the batch's) keeps the account's payment methods for the next orders.
        """
        cache = {} if cache is None else cache
        key = ("payment methods", order.account_id.id)
        if key not in cache:
            cache[key] = self.env["dukkango.payment.method"]._kinds(order.account_id)
        return mapping.map_order(parse_order(json.loads(order.sudo().payload)), cache[key])

    def _create_pos_order(self, vals, config):
        """What pos.order.sync_from_ui does with a new order from the till, without reading
        the order back for a POS client (a third of its cost). An order of this uuid that
        exists already (an import repeated after its record lost the link), draft or paid,
        is the one: its lines are the platform's, never written twice."""
        PosOrder = self.env["pos.order"].sudo().with_company(config.company_id).with_context(dukkango_import=True)
        pos_order = PosOrder._get_open_order(vals)
        if not pos_order:
            pos_order = PosOrder.browse(PosOrder._process_order(vals, False))
            pos_order._ensure_access_token()
            pos_order.config_id.notify_synchronisation(pos_order.config_id.current_session_id.id, 0)
        return pos_order

    @api.model
    def _pos_order_uuid(self, order):
        """The pos.order uuid of a stored order: the same at every attempt, so a retried
        import finds the order it created instead of making a second one."""
        return str(uuid.uuid5(POS_ORDER_UUID_NAMESPACE, f"{order.account_id.id}:{order.payment_key}"))

    def _prepare_pos_order_vals(self, order, session, products=None, draft=None):
        """The dictionary ``pos.order.sync_from_ui`` takes, as the POS app would send it."""
        draft = draft or self._draft(order)
        config = session.config_id
        currency = session.currency_id
        lines = self._prepare_lines(draft, config, currency, products)
        total = float(draft.total)
        untaxed = sum(line["price_subtotal"] for line in lines)
        return {
            "name": draft.reference,
            "uuid": self._pos_order_uuid(order),
            "session_id": session.id,
            "user_id": session.user_id.id,
            "partner_id": self._find_or_create_partner(draft.partner, config.company_id).id,
            "date_order": fields.Datetime.to_string(utc_naive(draft.date)),
            "pricelist_id": config.pricelist_id.id,
            "fiscal_position_id": config.default_fiscal_position_id.id,
            "lines": [fields.Command.create(line) for line in lines],
            "payment_ids": self._prepare_payments(draft, config),
            "amount_total": total,
            "amount_tax": currency.round(total - untaxed),
            "amount_paid": total if draft.paid_online else 0.0,
            "amount_return": 0.0,
            "state": "paid" if draft.paid_online else "draft",
            "floating_order_name": draft.reference,
            # the order number called out at the counter ends with the platform number's digits
            "sequence_number": draft.number,
            "general_note": self._general_note(draft),
            # nothing sent to the kitchen yet, in the shape the POS app reads
            "last_order_preparation_change": json.dumps({"lines": {}, "generalNote": "", "sittingMode": "dine in"}),
            "to_invoice": False,
            "dukkango_order_id": order.id,
        }

    def _prepare_lines(self, draft, config, currency, products=None):
        """The order lines, plus one untaxed line for the kuruş the taxes' rounding leaves."""
        Line = self.env["dukkango.line.pricing"]
        lines = []
        for line in draft.lines:
            if line.kind == mapping.DISCOUNT:
                lines.extend(self.env["dukkango.line.pricing"]._prepare_discount_lines(line.amount, lines, config))
            else:
                lines.append(self._prepare_draft_line_vals(line, config, products))
        residue = currency.round(float(draft.total) - sum(line["price_subtotal_incl"] for line in lines))
        if not currency.is_zero(residue):
            # kuruş left over by the taxes' rounding: book it untaxed so the total is exact
            lines.append(
                Line._prepare_line_vals(
                    config.dukkango_adjustment_product_id,
                    config,
                    qty=1,
                    amount=residue,
                    name=config.dukkango_adjustment_product_id.display_name,
                    untaxed=True,
                )
            )
        return lines

    def _prepare_draft_line_vals(self, line, config, products=None):
        """The vals of one line of the mapped order: a dish on its product, with the options
        its product has as attribute values; the others written in its kitchen note."""
        Line = self.env["dukkango.line.pricing"]
        if line.kind not in mapping.DISH_KINDS:
            product = config[LINE_PRODUCT_FIELDS[line.kind]]
            # an order without items is one line named for the order; the others are their product
            name = self.env._("Dükkango order") if line.kind == mapping.FALLBACK else product.display_name
            return Line._prepare_line_vals(product, config, qty=1, amount=line.amount, name=name)
        if line.kind == mapping.UNMATCHED:
            # no price from Dükkango: on the unmatched-item product, under its own name
            product = config.dukkango_fallback_product_id
        else:
            product = self._match_product(line, config, products)
        values, unmatched = self._match_options(product, line.options)
        note = "\n".join(
            [f"{option.group}: {option.name}" if option.group else option.name for option in unmatched]
            + ([line.note] if line.note else [])
        )
        name = line.name
        if values:
            name = f"{product.display_name} ({', '.join(values.mapped('name'))})"
        keep_name = bool(values) or product == config.dukkango_fallback_product_id
        return Line._prepare_line_vals(
            product,
            config,
            qty=line.qty,
            amount=line.amount,
            name=name if keep_name else product.display_name,
            note=note,
            attribute_values=values,
        )

    def _prepare_payments(self, draft, config):
        """The online payment of an order paid on Dükkango (none for cash: paid at the till)."""
        if not draft.paid_online:
            return []
        method = config.dukkango_online_payment_method_id
        if not method:
            raise UserError(
                self.env._(
                    "Point of sale %(config)s has no Dükkango online payment method.", config=config.display_name
                )
            )
        return [
            fields.Command.create(
                {"amount": float(draft.total), "payment_method_id": method.id, "name": fields.Datetime.now()}
            )
        ]

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

    def _match_product(self, line, config, products=None):
        """The product of a dish: the one imported for its food id from the restaurant's menu,
        else by Dükkango food id, else by exact name, else the fallback.

        ``products`` (a dict) remembers the answers for the next orders of the same batch.
        """
        key = (config.id, line.food_id, line.name)
        if products is not None and key in products:
            return products[key]
        product = self._search_product(line, config)
        if products is not None:
            products[key] = product
        return product

    def _search_product(self, line, config):
        Product = self.env["product.product"].with_company(config.company_id)
        domain = [
            ("available_in_pos", "=", True),
            ("sale_ok", "=", True),
            ("company_id", "in", [False, config.company_id.id]),
        ]
        product = Product.browse()
        restaurant = config.dukkango_restaurant_id
        if line.food_id and restaurant:
            # the product the menu import made of this dish of this restaurant
            menu = [("restaurant_id", "=", restaurant.id), ("food_id", "=", line.food_id)]
            product = Product.search([*domain, ("product_tmpl_id.dukkango_food_ids", "any", menu)], limit=1)
        if line.food_id and not product:
            product = Product.search([*domain, ("dukkango_food_id", "=", line.food_id)], limit=1)
        if not product:
            product = Product.search([*domain, ("name", "=", line.name)], limit=1)
        return product or config.dukkango_fallback_product_id

    def _find_or_create_partner(self, partner, company):
        """The customer: found by phone, else created with name, phone and address."""
        Partner = self.env["res.partner"].sudo().with_company(company)
        if not partner:
            return Partner
        if partner.phone_variants:
            variants = list(partner.phone_variants)
            found = Partner.search(
                ["|", ("phone", "in", variants), ("mobile", "in", variants), ("company_id", "in", [False, company.id])],
                limit=1,
            )
            if found:
                return found
        # no "contact created" message in the chatter for each customer of the platform
        return Partner.with_context(mail_create_nolog=True, tracking_disable=True).create(
            self._prepare_partner_vals(partner, company)
        )

    def _prepare_partner_vals(self, partner, company):
        """A new customer of the till's company: name, E.164 phone and the delivery address."""
        country_id = self.env["ir.model.data"]._xmlid_to_res_id("base.tr", raise_if_not_found=False)
        return {
            "name": partner.name,
            "phone": partner.phone or False,
            "street": partner.street or False,
            "street2": partner.street2 or False,
            "city": partner.city or False,
            "country_id": country_id or False,
            "comment": partner.comment or False,
            "company_id": company.id,
        }

    def _general_note(self, draft):
        _ = self.env._
        labels = {
            "order": _("Dükkango order"),
            "note": _("Customer note"),
            "shipping": _("Shipping"),
            "courier": _("Courier"),
            "payment": _("Payment"),
            "customer": _("Customer"),
            "address": _("Address"),
            "scheduled": _("Scheduled for"),
        }
        return "\n".join(f"{labels[key]}: {value}" for key, value in draft.note_rows)
